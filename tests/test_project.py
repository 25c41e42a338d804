"""Project-level guarantees: production settings, demo content, roles."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from articles.demo_content import STORIES
from articles.demo_workflow import STORIES as WORKFLOW_STORIES
from articles.models import Article, Byline, Section
from legal.models import Notice
from media.models import Photo

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args, **env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_is_clean_with_production_settings(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="news.example.com",
        TRUSTED_PROXY_COUNT="1",  # behind the TLS proxy docs/deploy.md sets up
        NEWSROOM_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {"DJANGO_ENV": "production", "NEWSROOM_VAR_DIR": str(tmp_path), "SECRET_KEY": ""}
    result = run_manage("check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
def test_seed_demo_creates_a_full_newsroom_once(client, settings, tmp_path, capsys):
    settings.VAR_DIR = tmp_path
    call_command("seed_demo")
    out = capsys.readouterr().out

    assert Section.objects.count() >= 3
    assert Article.objects.published().count() >= 30
    assert Photo.objects.exclude(agency="").count() >= 30
    assert Byline.objects.filter(author__isnull=True).exists()  # a free-text contributor
    assert all(article.tags.exists() for article in Article.objects.all())
    assert Notice.objects.in_force(Notice.Kind.COPYRIGHT).exists()
    assert "Created staff login: admin / " in out
    assert (tmp_path / "demo-logins.txt").read_text().count("\n") == 5
    assert Group.objects.get(name="Editor").user_set.filter(username="editor").exists()
    assert Group.objects.get(name="Journalist").user_set.filter(username="journalist").exists()

    # A story with a photo (the workflow's demo stories have none).
    article = Article.objects.published().exclude(lead_photo=None).first()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Images source: © " in html
    assert "machine learning or artificial intelligence programs" in html

    call_command("seed_demo")
    assert "not seeded" in capsys.readouterr().out
    assert Article.objects.count() == len(STORIES) + len(WORKFLOW_STORIES)  # unchanged


@pytest.mark.django_db
def test_setup_roles_is_idempotent():
    call_command("setup_roles")
    call_command("setup_roles")
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "Journalist",
        "Editor",
        "Photo editor",
        "Legal",
    }
    journalist = Group.objects.get(name="Journalist")
    assert not journalist.permissions.filter(codename="publish_article").exists()


# Run in a production-settings process: is the request secure, and would the SSL redirect
# send it to https? The second line is who must use two-factor sign-in.
HTTPS_PROBE = """
from django.conf import settings
from django.middleware.security import SecurityMiddleware
from django.test import RequestFactory
request = RequestFactory().get("/", HTTP_X_FORWARDED_PROTO="https", SERVER_NAME="news.example.com")
redirect = SecurityMiddleware(lambda request: None).process_request(request)
print(request.is_secure(), redirect is not None and redirect["Location"])
print(",".join(settings.OTP_REQUIRED_ROLES))
"""


def production_probe(tmp_path, **env):
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        HTTPS_PROBE,
        DJANGO_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="news.example.com",
        NEWSROOM_VAR_DIR=str(tmp_path),
        **env,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_production_ignores_a_forwarded_proto_header_unless_a_proxy_is_trusted(tmp_path):
    secure, required = production_probe(tmp_path, TRUSTED_PROXY_COUNT="")
    assert secure == "False https://news.example.com/"
    assert required == "superuser,Editor"


def test_production_behind_a_trusted_proxy_believes_its_forwarded_proto(tmp_path):
    secure, _ = production_probe(tmp_path, TRUSTED_PROXY_COUNT="1")
    assert secure == "True False"


def test_deploy_check_is_clean_behind_a_trusted_proxy(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="news.example.com",
        NEWSROOM_VAR_DIR=str(tmp_path),
        TRUSTED_PROXY_COUNT="1",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
