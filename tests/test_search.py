"""Search: /search/?q= over headline, lead, body and tags of published articles only.

The same tests run on SQLite (FTS5) and PostgreSQL (tsvector + GIN).
"""

import datetime as dt
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article
from articles.search.models import SearchEntry, SqliteSearchEntry
from articles.search.operations import restore_sqlite_triggers
from articles.search.queries import search_articles

from .factories import ArticleFactory, BylineFactory

pytestmark = pytest.mark.django_db

INDEX_MIGRATION_BEFORE = "0013_deleted_article_text_refuses_control_characters"


def search(client, query, **params):
    response = client.get(reverse("articles:search"), {"q": query, **params})
    assert response.status_code == 200
    return response


def headlines(response):
    return [article.headline for article in response.context["page"].object_list]


def test_search_finds_published_articles_by_headline_lead_body_and_tags(client):
    ArticleFactory(headline="Lighthouse keeper retires", slug="keeper")
    ArticleFactory(headline="Ferry timetable", slug="ferry", lead="The lighthouse route changes.")
    ArticleFactory(headline="Council budget", slug="budget", body="Money for the lighthouse.")
    ArticleFactory(headline="Coastal walks", slug="walks", tags=["lighthouse"])
    ArticleFactory(headline="Unrelated story", slug="unrelated")

    response = search(client, "lighthouse")

    assert sorted(headlines(response)) == [
        "Coastal walks",
        "Council budget",
        "Ferry timetable",
        "Lighthouse keeper retires",
    ]
    assert "4 results for “lighthouse”" in response.content.decode()


def test_every_word_must_match_and_word_forms_are_stemmed(client):
    ArticleFactory(headline="Storms close the harbour", slug="storms-harbour")
    ArticleFactory(headline="Storm warning inland", slug="storm-inland")

    assert headlines(search(client, "storm harbour")) == ["Storms close the harbour"]
    assert sorted(headlines(search(client, "STORMS"))) == [
        "Storm warning inland",
        "Storms close the harbour",
    ]


def test_results_are_ranked_by_relevance_headline_first(client):
    now = timezone.now()
    # The newest article mentions the word only in its body, the oldest in its headline.
    ArticleFactory(
        headline="Weekly round-up",
        slug="body-match",
        body="Later the regatta was cancelled.",
        published_at=now - dt.timedelta(minutes=1),
    )
    ArticleFactory(
        headline="Sailing club news",
        slug="lead-match",
        lead="The regatta moves to June.",
        published_at=now - dt.timedelta(minutes=2),
    )
    ArticleFactory(
        headline="Regatta returns to the bay",
        slug="headline-match",
        published_at=now - dt.timedelta(minutes=3),
    )

    assert headlines(search(client, "regatta")) == [
        "Regatta returns to the bay",
        "Sailing club news",
        "Weekly round-up",
    ]


def test_matched_words_are_highlighted_and_article_text_is_escaped(client):
    ArticleFactory(
        headline="Harbour <script>alert(1)</script> reopens",
        slug="harbour",
        lead="Ferries sail from the harbour again & crowds cheer.",
        body="## Damage\n\nEngineers inspected the **harbour** walls at dawn.",
    )

    html = search(client, "harbour").content.decode()

    assert "<mark>Harbour</mark> &lt;script&gt;alert(1)&lt;/script&gt; reopens" in html
    assert "Ferries sail from the <mark>harbour</mark> again &amp; crowds cheer." in html
    assert "inspected the <mark>harbour</mark> walls" in html
    assert "<script>alert(1)</script>" not in html


def test_search_never_shows_unpublished_articles(client):
    now = timezone.now()
    ArticleFactory(headline="Published glacier report", slug="published")
    hidden = [
        ArticleFactory(status=Article.Status.DRAFT, published_at=None, slug="draft"),
        ArticleFactory(status=Article.Status.IN_REVIEW, published_at=None, slug="review"),
        ArticleFactory(status=Article.Status.UNPUBLISHED, published_at=now, slug="pulled"),
        ArticleFactory(published_at=now + dt.timedelta(hours=1), slug="scheduled"),
        ArticleFactory(embargo_until=now + dt.timedelta(hours=1), slug="embargoed"),
        ArticleFactory(expire_at=now - dt.timedelta(minutes=1), slug="expired"),
    ]
    for article in hidden:
        Article.objects.filter(pk=article.pk).update(headline=f"Secret glacier {article.slug}")

    response = search(client, "glacier")

    assert headlines(response) == ["Published glacier report"]
    assert "Secret" not in response.content.decode()


def test_scheduled_article_appears_in_search_at_its_time(client, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 20, 8, 0, tzinfo=dt.UTC), tick=False)
    ArticleFactory(
        headline="Budget vote tonight",
        slug="budget-vote",
        published_at=dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC),
    )
    assert headlines(search(client, "budget")) == []

    time_machine.move_to(dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC), tick=False)
    assert headlines(search(client, "budget")) == ["Budget vote tonight"]


def test_index_follows_edits_tag_changes_renames_and_deletions(client):
    article = ArticleFactory(headline="Old headline", slug="story", tags=["ferries"])

    article.headline = "Fresh headline"
    article.save()
    assert headlines(search(client, "fresh")) == ["Fresh headline"]
    assert headlines(search(client, "old")) == []

    Article.objects.filter(pk=article.pk).update(lead="Quietly changed lead about otters.")
    assert headlines(search(client, "otters")) == ["Fresh headline"]

    article.tags.add("wildlife")
    assert headlines(search(client, "wildlife")) == ["Fresh headline"]
    article.tags.remove("ferries")
    assert headlines(search(client, "ferries")) == []

    tag = Tag.objects.get(name="wildlife")
    tag.name = "nature"
    tag.save()
    assert headlines(search(client, "nature")) == ["Fresh headline"]
    assert headlines(search(client, "wildlife")) == []

    article.delete()
    assert headlines(search(client, "fresh")) == []


def rebuild_search_index():
    out = io.StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert "rebuilt" in out.getvalue()


def test_search_entries_are_rows_of_a_model_kept_by_the_database():
    article = ArticleFactory(headline="Lighthouse keeper retires", slug="keeper", tags=["coast"])
    Article.objects.filter(pk=article.pk).update(lead="Quietly changed lead about otters.")

    if connection.vendor == "postgresql":
        entry = SearchEntry.objects.get(article=article)
        assert entry.published_at == article.published_at
        assert {"lighthous", "keeper", "coast", "otter"} <= {
            lexeme.split(":")[0].strip("'") for lexeme in entry.search_vector.split()
        }
    else:
        entry = SqliteSearchEntry.objects.get(article=article)
        assert (entry.headline, entry.lead, entry.tags) == (
            "Lighthouse keeper retires",
            "Quietly changed lead about otters.",
            "coast",
        )


def test_migrate_writes_nothing_to_an_intact_index():
    ArticleFactory(headline="Harbour storm damage", slug="harbour")

    with CaptureQueriesContext(connection) as queries:
        call_command("migrate", verbosity=0)

    writes = [
        query["sql"]
        for query in queries.captured_queries
        if re.match(r"\s*(CREATE|DROP|ALTER|INSERT|UPDATE|DELETE|LOCK)", query["sql"], re.I)
        and "django_migrations" not in query["sql"]
    ]
    assert writes == []


def test_a_lost_trigger_stops_migrate_and_the_rebuild_command_restores_it(client):
    # A later SQLite migration that rebuilds articles_article drops its triggers: migrate
    # says so instead of repairing behind the migrations' back.
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER articles_search_article_insert")
        else:
            cursor.execute("DROP TRIGGER articles_search_article ON articles_article")
    ArticleFactory(headline="Written while the index was broken", slug="broken")

    with pytest.raises(CommandError, match="rebuild_search_index"):
        call_command("migrate", verbosity=0)
    rebuild_search_index()
    call_command("migrate", verbosity=0)

    assert headlines(search(client, "broken")) == ["Written while the index was broken"]
    ArticleFactory(headline="Written after the repair", slug="repaired")
    assert headlines(search(client, "repair")) == ["Written after the repair"]


def test_index_triggers_left_disabled_by_a_bulk_load_are_turned_back_on(client):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite triggers cannot be disabled")
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE articles_article DISABLE TRIGGER articles_search_article")
    ArticleFactory(headline="Loaded in bulk", slug="bulk")

    with pytest.raises(CommandError, match="articles_search_article"):
        call_command("migrate", verbosity=0)
    rebuild_search_index()

    assert headlines(search(client, "bulk")) == ["Loaded in bulk"]
    ArticleFactory(headline="Written after the load", slug="after-load")
    assert headlines(search(client, "written")) == ["Written after the load"]


@pytest.mark.django_db(transaction=True)
def test_search_keeps_working_after_a_migration_alters_the_article_table(client):
    # SQLite rebuilds the whole table for this change and drops its triggers: migrate
    # stops until they are back. PostgreSQL must accept the type change although
    # triggers watch the column.
    old = Article._meta.get_field("headline")
    wider = models.CharField(max_length=250)
    wider.set_attributes_from_name("headline")
    wider.model = Article
    ArticleFactory(headline="Written before the migration", slug="before")
    with connection.schema_editor() as editor:
        editor.alter_field(Article, old, wider)
    try:
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
                    "AND tbl_name = 'articles_article'"
                )
                assert cursor.fetchone()[0] == 0  # the rebuild dropped them
            with pytest.raises(CommandError, match="restore_sqlite_triggers"):
                call_command("migrate", verbosity=0)
            # What the migration that rebuilt the table ends with.
            with connection.schema_editor() as editor:
                restore_sqlite_triggers().database_forwards("articles", editor, None, None)
        call_command("migrate", verbosity=0)
        ArticleFactory(headline="Written after the migration", slug="after")

        assert sorted(headlines(search(client, "migration"))) == [
            "Written after the migration",
            "Written before the migration",
        ]
    finally:
        with connection.schema_editor() as editor:
            editor.alter_field(Article, wider, old)
        rebuild_search_index()


@pytest.mark.django_db(transaction=True)
def test_the_index_migration_takes_over_an_existing_index_and_reverses(client):
    ArticleFactory(headline="Written before the index", slug="before")
    try:
        call_command("migrate", "articles", INDEX_MIGRATION_BEFORE, verbosity=0)
        with connection.cursor() as cursor:
            tables = connection.introspection.table_names(cursor)
            assert "articles_search_entry" not in tables
            assert "articles_search_fts" not in tables
            if connection.vendor == "postgresql":
                # The layout the earlier code kept outside the migrations, with a word
                # that is in no article: only a copy of the entry can find it.
                cursor.execute(
                    "CREATE TABLE articles_search_index (article_id bigint PRIMARY KEY, "
                    "published_at timestamptz, search_vector tsvector NOT NULL)"
                )
                cursor.execute(
                    "INSERT INTO articles_search_index SELECT id, published_at, "
                    "to_tsvector(headline) || to_tsvector('simple', 'zeppelin') "
                    "FROM articles_article"
                )
    finally:
        call_command("migrate", verbosity=0)

    ArticleFactory(headline="Written after the index", slug="after")
    assert sorted(headlines(search(client, "written"))) == [
        "Written after the index",
        "Written before the index",
    ]
    if connection.vendor == "postgresql":
        assert headlines(search(client, "zeppelin")) == ["Written before the index"]
        with connection.cursor() as cursor:
            assert "articles_search_index" not in connection.introspection.table_names(cursor)


HOSTILE_QUERIES = [
    '"',
    '""',
    "'",
    "NEAR(harbour",
    "harbour NEAR/2 storm",
    "*",
    "harb*",
    "-harbour",
    "harbour -",
    "AND OR NOT",
    "NOT harbour",
    "headline:harbour",
    "{headline lead}: harbour",
    "^harbour",
    "harbour)",
    "(((",
    "'; DROP TABLE articles_article; --",
    "1' OR '1'='1",
    "%",
    "_",
    "\\",
    "harbour\x00storm",
    "\x00",
    "zażółć gęślą jaźń",
    "東京 ハーバー",
    "🙂 harbour 🙂",
    "&& || !",
    "<script>alert(1)</script>",
    "x" * 5000,
    "harbour " * 1000,
]


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_hostile_queries_never_cause_a_server_error(client, query):
    ArticleFactory(headline="Harbour storm damage", slug="harbour")

    response = client.get(reverse("articles:search"), {"q": query})

    assert response.status_code == 200


def test_query_is_escaped_where_it_is_shown(client):
    html = search(client, '"><script>alert(1)</script>').content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_operators_are_searched_as_plain_words(client):
    ArticleFactory(headline="Harbour storm damage", slug="harbour")

    # Every word must match, operators included (on PostgreSQL its stop words,
    # such as "and", are ignored, so this uses a word that is not one).
    assert headlines(search(client, '"harbour" NEAR (storm*')) == []
    assert headlines(search(client, '"harbour" (storm*')) == ["Harbour storm damage"]


def test_empty_query_shows_the_form_and_no_results(client, django_assert_max_num_queries):
    client.get("/robots.txt")  # warms the legal notices' cache, as any earlier visitor would
    ArticleFactory(headline="Harbour storm damage", slug="harbour")

    with django_assert_max_num_queries(1):
        response = search(client, "")
    blank = search(client, "  ?!  ")

    assert response.context["page"] is None
    assert blank.context["page"] is None
    assert 'name="q"' in response.content.decode()
    assert "Type a word or two" in blank.content.decode()


def test_a_search_with_no_results_says_so_and_names_the_query(client):
    ArticleFactory(headline="Harbour storm damage", slug="harbour")

    html = search(client, "zeppelin <b>").content.decode()

    assert "No results for “zeppelin &lt;b&gt;”" in html
    assert "Type a word or two" not in html
    assert "zeppelin <b>" not in html


def test_an_empty_search_asks_for_a_word(client):
    for query in ["", "  ?!  "]:
        html = search(client, query).content.decode()
        assert "Type a word or two" in html
        assert "No results" not in html


def test_results_are_paginated_and_keep_the_query(client):
    for number in range(23):
        ArticleFactory(headline=f"Tide report {number}", slug=f"tide-{number}")

    first = search(client, "tide")
    second = search(client, "tide", page="2")

    assert len(first.context["page"].object_list) == 20
    assert len(second.context["page"].object_list) == 3
    assert first.context["page"].paginator.count == 23
    assert 'href="?q=tide&amp;page=2"' in first.content.decode()
    assert not set(headlines(first)) & set(headlines(second))
    assert headlines(search(client, "tide", page="abc")) == headlines(first)
    assert headlines(search(client, "tide", page="99999")) == headlines(second)
    # Below 1 is the first page, as on every listing: one address (and cache entry) for it.
    assert headlines(search(client, "tide", page="-1")) == headlines(first)


def test_search_page_runs_a_constant_number_of_queries(client, django_assert_max_num_queries):
    for number in range(25):
        article = ArticleFactory(headline=f"Tide report {number}", slug=f"tide-{number}")
        BylineFactory(article=article)
        BylineFactory(article=article, author=None, contributor="Guest Writer")

    client.get("/robots.txt")  # warms the legal notices' cache, as any earlier visitor would
    with django_assert_max_num_queries(6):
        response = search(client, "tide")

    assert len(response.context["page"].object_list) == 20
    assert "Guest Writer" in response.content.decode()


def test_search_interface_returns_highlighted_articles_with_card_data():
    ArticleFactory(headline="Harbour storm damage", slug="harbour", lead="Lead about piers.")

    results = search_articles("piers")
    [article] = results[0:20]

    assert results.count() == 1
    assert article.search_headline == "Harbour storm damage"
    assert article.search_lead == "Lead about <mark>piers</mark>."
    assert article.search_excerpt == ""
    assert article.section.slug == "news"


def test_query_shown_back_is_bounded_and_has_no_control_characters(client):
    ArticleFactory(headline="Harbour storm damage", slug="harbour")

    response = search(client, "harbour\x00\x1b storm" + "x" * 5000)
    html = response.content.decode()

    assert "\x00" not in html and "\x1b" not in html
    assert response.context["query"] == ("harbour storm" + "x" * 5000)[:198]
    assert 'value="harbour storm' in html


def test_rebuild_command_refills_an_index_that_missed_writes(client):
    article = ArticleFactory(headline="Kept headline", slug="kept")
    if connection.vendor == "sqlite":
        SqliteSearchEntry.objects.all().delete()
    else:
        SearchEntry.objects.all().delete()
    assert headlines(search(client, "kept")) == []

    out = io.StringIO()
    call_command("rebuild_search_index", stdout=out)

    assert "rebuilt" in out.getvalue()
    assert headlines(search(client, "kept")) == [article.headline]


def test_a_common_word_ranks_only_its_newest_matches(client, monkeypatch):
    monkeypatch.setattr("articles.search.queries.MAX_RESULTS", 3)
    now = timezone.now()
    for hours in range(1, 6):  # "Tide report 1" is the newest
        ArticleFactory(
            headline=f"Tide report {hours}",
            slug=f"tide-{hours}",
            published_at=now - dt.timedelta(hours=hours),
        )
    # The best match of all, but older than the newest three: not ranked.
    ArticleFactory(
        headline="Tide tide tide",
        slug="old-tide",
        lead="Tide tables, tide times.",
        published_at=now - dt.timedelta(days=3),
    )
    ArticleFactory(
        headline="Tide report draft",
        slug="tide-draft",
        status=Article.Status.DRAFT,
        published_at=None,
    )

    response = search(client, "tide")

    assert sorted(headlines(response)) == ["Tide report 1", "Tide report 2", "Tide report 3"]
    assert response.context["page"].paginator.count == 3
    assert "More than 3 results for “tide”: the newest 3, best match first" in (
        response.content.decode()
    )


def test_a_word_with_fewer_matches_than_the_cap_shows_them_all(client, monkeypatch):
    monkeypatch.setattr("articles.search.queries.MAX_RESULTS", 3)
    for number in range(3):
        ArticleFactory(headline=f"Tide report {number}", slug=f"tide-{number}")

    response = search(client, "tide")

    assert len(headlines(response)) == 3
    assert "3 results for “tide”" in response.content.decode()
    assert "More than" not in response.content.decode()


def test_the_newest_matches_follow_a_changed_publication_time(client, monkeypatch):
    monkeypatch.setattr("articles.search.queries.MAX_RESULTS", 2)
    now = timezone.now()
    stories = [
        ArticleFactory(
            headline=f"Tide report {hours}",
            slug=f"tide-{hours}",
            published_at=now - dt.timedelta(hours=hours),
        )
        for hours in (1, 2, 3)
    ]
    assert sorted(headlines(search(client, "tide"))) == ["Tide report 1", "Tide report 2"]

    oldest = stories[2]
    oldest.published_at = now - dt.timedelta(minutes=5)
    oldest.save()
    Article.objects.filter(pk=stories[1].pk).update(published_at=now - dt.timedelta(days=9))

    assert sorted(headlines(search(client, "tide"))) == ["Tide report 1", "Tide report 3"]
