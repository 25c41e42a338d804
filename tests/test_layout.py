"""The layout the next person reads: a thin project package, small modules (issue 13)."""

from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["articles", "core", "desk", "legal", "media", "newsroom", "ops", "publishing", "staff"]
MAX_LINES = 400


def test_the_project_package_is_settings_urls_and_servers_only():
    assert not apps.is_installed("newsroom")
    modules = sorted(path.name for path in (ROOT / "newsroom").glob("*.py"))
    assert modules == [
        "__init__.py",
        "asgi.py",
        "env.py",
        "gunicorn.conf.py",
        "settings.py",
        "sitemap_urls.py",
        "urls.py",
        "wsgi.py",
    ]
    assert not [
        path
        for path in (ROOT / "newsroom").iterdir()
        if path.is_dir() and path.name != "__pycache__"
    ]


def test_no_production_module_is_over_400_lines():
    too_long = {
        str(path.relative_to(ROOT)): length
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
        and (length := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert too_long == {}
