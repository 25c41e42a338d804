"""A newsroom loses no data: `manage.py backup` copies the database and the uploads while
the site runs, and `manage.py restore` brings every row, file and page back."""

import hashlib
import json
import re
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from articles import roles, services
from articles.deletion import article_delete
from articles.models import (
    Article,
    ArticleEvent,
    ArticleRevision,
    Byline,
    Correction,
    DeletedArticle,
    Section,
)
from media.models import Photo

from .admin_forms import user_in_role
from .factories import CorrectionFactory, DraftArticleFactory, PhotoFactory, UserFactory

# Restoring replaces the whole database: the test needs real commits, as in production.
pytestmark = pytest.mark.django_db(transaction=True)

MODELS = [
    Article,
    ArticleRevision,
    ArticleEvent,
    Correction,
    DeletedArticle,
    Photo,
    Byline,
    Section,
    Tag,
]


def build_newsroom():
    """Articles in several states, with revisions, workflow events, a correction, tags, a
    lead photo with its renditions and a deleted article's record. Returns the live one."""
    editor = user_in_role(roles.EDITOR, username="editor")
    photo = PhotoFactory()
    live = DraftArticleFactory(
        headline="Harbour reopens", slug="harbour-reopens", lead_photo=photo, tags=["harbour"]
    )
    ArticleRevision.objects.record(article=live, user=editor)
    services.article_submit(article=live, user=editor)
    services.article_approve(article=live, user=editor)
    services.article_publish(article=live, user=editor)
    CorrectionFactory(article=live, text="The ferry sails at nine, not ten.")
    scheduled = DraftArticleFactory(headline="Bridge vote", slug="bridge-vote")
    services.article_schedule(article=scheduled, user=editor, at=timezone.now() + timedelta(days=1))
    withdrawn = DraftArticleFactory(headline="Withdrawn story", slug="withdrawn-story")
    services.article_publish(article=withdrawn, user=editor)
    services.article_unpublish(article=withdrawn, user=editor, comment="Legal asked")
    draft = DraftArticleFactory(headline="Draft story", slug="draft-story")
    ArticleRevision.objects.record(article=draft, user=editor, comment="First draft")
    empty = DraftArticleFactory(headline="Empty draft", slug="empty-draft")
    ArticleRevision.objects.record(article=empty, user=editor)
    article_delete(articles=empty, user=UserFactory(username="chief", is_superuser=True))
    return Article.objects.get(pk=live.pk)


def rows():
    """Every row of the models the newsroom cannot lose, as plain values."""
    found = {model.__name__: list(model.objects.order_by("pk").values()) for model in MODELS}
    found["TaggedItem"] = list(TaggedItem.objects.order_by("pk").values())
    found["User"] = list(get_user_model().objects.order_by("pk").values())
    return found


def uploads(media_root):
    return {
        str(path.relative_to(media_root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(Path(media_root).rglob("*"))
        if path.is_file()
    }


def main_content(client, article):
    for alias in ("default", "fragments"):
        caches[alias].clear()
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return re.search(r"<main\b.*</main>", response.content.decode(), re.S).group(0)


def wipe(media_root):
    call_command("flush", interactive=False, verbosity=0)
    for path in sorted(Path(media_root).rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()


def backup(tmp_path):
    output = StringIO()
    call_command("backup", output=str(tmp_path / "backups"), stdout=output)
    (made,) = (tmp_path / "backups").iterdir()
    assert str(made) in output.getvalue()
    return made


def test_backup_then_wipe_then_restore_brings_back_every_row_file_and_page(
    client, settings, tmp_path
):
    article = build_newsroom()
    page = main_content(client, article)
    before_rows, before_files = rows(), uploads(settings.MEDIA_ROOT)
    assert len(before_rows["Article"]) == 4 and len(before_rows["ArticleEvent"]) == 7
    assert len(before_rows["ArticleRevision"]) >= 3 and before_rows["Correction"]
    assert len(before_rows["DeletedArticle"]) == 1
    assert any(name.startswith("renditions/") for name in before_files), before_files

    made = backup(tmp_path)
    wipe(settings.MEDIA_ROOT)
    assert not Article.objects.exists() and not uploads(settings.MEDIA_ROOT)
    assert client.get(article.get_absolute_url()).status_code == 404
    output = StringIO()
    call_command("restore", str(made), yes=True, stdout=output)

    assert rows() == before_rows
    assert uploads(settings.MEDIA_ROOT) == before_files
    assert main_content(client, article) == page
    assert "Restored" in output.getvalue()


def test_the_manifest_records_engine_migrations_counts_and_checksums(settings, tmp_path):
    build_newsroom()

    made = backup(tmp_path)

    manifest = json.loads((made / "manifest.json").read_text())
    from django.db import connection

    assert manifest["engine"] == connection.vendor
    assert ["articles", "0001_initial"] in manifest["migrations"]
    assert manifest["tables"]["articles_article"] == 4
    assert manifest["tables"]["articles_articleevent"] == 7
    files = uploads(settings.MEDIA_ROOT)
    assert {name: entry["sha256"] for name, entry in manifest["uploads"].items()} == files
    assert (made / manifest["database"]["file"]).is_file()


def test_restore_refuses_without_confirmation_and_changes_nothing(tmp_path):
    build_newsroom()
    made = backup(tmp_path)
    Article.objects.filter(slug="draft-story").update(headline="Changed after the backup")

    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(made))

    assert Article.objects.filter(headline="Changed after the backup").exists()


def test_a_missing_or_damaged_backup_is_refused_before_anything_is_touched(tmp_path):
    build_newsroom()
    made = backup(tmp_path)
    count = Article.objects.count()

    with pytest.raises(CommandError, match="No backup"):
        call_command("restore", str(tmp_path / "nowhere"), yes=True)
    rendition = next((made / "uploads" / "renditions").rglob("*.webp"))
    rendition.write_bytes(rendition.read_bytes()[:-10])
    with pytest.raises(CommandError, match="damaged.*renditions/"):
        call_command("restore", str(made), yes=True)
    (made / "manifest.json").write_text("{ not json")
    with pytest.raises(CommandError, match="manifest"):
        call_command("restore", str(made), yes=True)

    assert Article.objects.count() == count


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite's restore replaces the whole file, later tables included",
)
def test_restore_refuses_a_database_migrated_past_the_backup(tmp_path):
    """pg_restore --clean replaces the backup's tables only: tables and columns a later
    migration added would stay behind, and `migrate` would then fail on them."""
    build_newsroom()
    made = backup(tmp_path)
    MigrationRecorder(connection).record_applied("articles", "9999_after_the_backup")
    Article.objects.filter(slug="draft-story").update(headline="Changed after the backup")

    with pytest.raises(CommandError, match="9999_after_the_backup.*fresh database"):
        call_command("restore", str(made), yes=True)

    assert Article.objects.filter(headline="Changed after the backup").exists()
    MigrationRecorder(connection).migration_qs.filter(name="9999_after_the_backup").delete()
