"""Page times at 1,000 and at 1,000,000 articles in PostgreSQL, with the plans behind them.

Articles, tags and bylines are generated with SQL (generate_series), so a million
rows take minutes, not hours. Pages are rendered in-process with the page cache
off (the render and query cost is what must not grow), median of many requests.
Run with `scripts/bench-scale`; results go to bench-results/scale-*.{json,txt}.
"""

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.bench_lib import ROOT, body  # noqa: E402

SECTIONS = ["news", "world", "business", "culture", "sport", "science", "opinion", "travel"]
TAGS = 2000
AUTHORS = 100


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/newsroom_million"
    )
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    parser.add_argument(
        "--measure-only",
        action="store_true",
        help="measure the database as it is (after a full run), without regenerating",
    )
    return parser.parse_args()


def configure(args):
    var = ROOT / "var" / "bench-scale"
    var.mkdir(parents=True, exist_ok=True)
    for name in ("REDIS_URL", "DEBUG"):
        os.environ.pop(name, None)
    os.environ.update(
        {
            "NEWSROOM_VAR_DIR": str(var),
            "DATABASE_URL": args.database_url,
            "DJANGO_ENV": "production",
            "SECRET_KEY": "benchmark-only-secret-key-" + "x" * 40,
            "SECURE_SSL_REDIRECT": "0",
            "ALLOWED_HOSTS": "testserver",
            "PAGE_CACHE": "0",
            # What must not grow is the database's work: no fragment served from memory.
            "FRAGMENT_CACHE": "0",
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        }
    )


def reset():
    """Empty the content tables and create the small fixed ones with the ORM."""
    from django.db import connection
    from taggit.models import Tag

    from articles.models import Author, Section
    from media.models import Photo

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE taggit_taggeditem, articles_byline, articles_article, taggit_tag,"
            " articles_author, articles_section, media_photo RESTART IDENTITY CASCADE"
        )
    Section.objects.bulk_create(
        [Section(name=slug.title(), slug=slug, position=n) for n, slug in enumerate(SECTIONS)]
    )
    Author.objects.bulk_create(
        [Author(name=f"Reporter {n}", slug=f"reporter-{n}") for n in range(AUTHORS)]
    )
    Photo.objects.bulk_create(
        [
            Photo(
                image=f"photos/bench/{n}.jpg",
                width=1200,
                height=800,
                alt_text="Benchmark photo",
                agency="PAP",
                photographer="Bench Photographer",
            )
            for n in range(6)
        ]
    )
    Tag.objects.bulk_create(
        [Tag(name="harbour", slug="harbour")]
        + [Tag(name=f"topic {n}", slug=f"topic-{n}") for n in range(1, TAGS)]
    )


def generate(start, stop):
    """Articles number start..stop-1 (1-based), each with three tags and a byline.

    Every tenth article is also tagged `harbour`, so the tag page reads a tag with
    100,000 articles at the large size.
    """
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from articles.models import Article
    from core.text import render_markdown

    text = body(1)
    html = render_markdown(text)
    content_type = ContentType.objects.get_for_model(Article).pk
    step = 200_000
    with connection.cursor() as cursor:
        # The search index is filled once per batch, after its tags: the triggers would
        # write each article's entry once, then again for each of its tags.
        cursor.execute("ALTER TABLE articles_article DISABLE TRIGGER articles_search_article")
        cursor.execute("ALTER TABLE taggit_taggeditem DISABLE TRIGGER articles_search_tagged")
        try:
            _generate_batches(cursor, start, stop, step, text, html, content_type)
        finally:
            cursor.execute("ALTER TABLE taggit_taggeditem ENABLE TRIGGER articles_search_tagged")
            cursor.execute("ALTER TABLE articles_article ENABLE TRIGGER articles_search_article")
    connection.ensure_connection()
    connection.connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def _generate_batches(cursor, start, stop, step, text, html, content_type):
    """Articles, their tags and bylines, and their search entries, batch by batch."""
    for low in range(start, stop, step):
        high = min(stop, low + step) - 1
        cursor.execute(
            """
            INSERT INTO articles_article (headline, slug, lead, body, body_html,
                lead_photo_caption, source_line, status, published_at, first_published_at,
                created, modified, lead_photo_id, section_id, lock_version)
            SELECT 'Generated story number ' || g, 'story-' || g,
                'A lead paragraph that tells the story in one sentence.', %s, %s, '',
                '© example-news.com', 'published',
                now() - g * interval '1 minute', now() - g * interval '1 minute',
                now(), now(), 1 + g %% 6, 1 + g %% 8, 1
            FROM generate_series(%s, %s) AS g
            """,
            [text, html, low, high],
        )
        cursor.execute(
            """
            INSERT INTO taggit_taggeditem (content_type_id, object_id, tag_id)
            SELECT %s, a.id, t.tag
            FROM articles_article a
            CROSS JOIN LATERAL (VALUES
                (2 + (a.id * 7) %% 666), (668 + (a.id * 13) %% 666), (1334 + (a.id * 31) %% 666)
            ) AS t(tag)
            WHERE a.id BETWEEN %s AND %s
            UNION ALL
            SELECT %s, a.id, 1 FROM articles_article a
            WHERE a.id BETWEEN %s AND %s AND a.id %% 10 = 0
            """,
            [content_type, low, high, content_type, low, high],
        )
        cursor.execute(
            """
            INSERT INTO articles_byline (article_id, author_id, contributor, position)
            SELECT a.id, 1 + a.id %% %s, '', 0 FROM articles_article a
            WHERE a.id BETWEEN %s AND %s
            """,
            [AUTHORS, low, high],
        )
        # The article pages' extras (articles/models/page_extras.py), as written by
        # articles/page_extras.py: bylines in byline order, tags in tagging order.
        cursor.execute(
            """
            INSERT INTO articles_articlepageextras (article_id, bylines, tags, has_corrections)
            SELECT a.id,
                (SELECT coalesce(jsonb_agg(jsonb_build_object(
                    'name', CASE WHEN au.id IS NULL THEN b.contributor ELSE au.name END,
                    'author_slug', au.slug) ORDER BY b.position, b.id), '[]')
                 FROM articles_byline b LEFT JOIN articles_author au ON au.id = b.author_id
                 WHERE b.article_id = a.id),
                (SELECT coalesce(jsonb_agg(jsonb_build_object(
                    'name', t.name, 'slug', t.slug) ORDER BY ti.id), '[]')
                 FROM taggit_taggeditem ti JOIN taggit_tag t ON t.id = ti.tag_id
                 WHERE ti.content_type_id = %s AND ti.object_id = a.id),
                false
            FROM articles_article a WHERE a.id BETWEEN %s AND %s
            """,
            [content_type, low, high],
        )
        cursor.execute(
            "SELECT articles_search_reindex(ARRAY(SELECT id FROM articles_article "
            "WHERE id BETWEEN %s AND %s))",
            [low, high],
        )
        print(f"  generated up to {high:,}", flush=True)


def pages():
    from django.urls import reverse

    from articles.models import Article

    article = Article.objects.get(slug="story-500")
    urls = {
        "article": article.get_absolute_url(),
        "section": reverse("articles:section", kwargs={"slug": "news"}),
        "tag": reverse("articles:tag", kwargs={"slug": "harbour"}),
        "author": reverse("articles:author", kwargs={"slug": "reporter-1"}),
        "home": reverse("articles:home"),
        "section page 50": reverse("articles:section", kwargs={"slug": "news"}) + "?page=50",
        "search": "/search/?q=harbour",
    }
    return urls


def measure(requests):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    results = {}
    for name, url in pages().items():
        if client.get(url).status_code != 200:
            results[name] = {"url": url, "status": client.get(url).status_code}
            continue
        for _ in range(5):
            client.get(url)
        timings = []
        for _ in range(requests):
            started = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        slowest = max(queries.captured_queries, key=lambda q: float(q["time"]))
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest["sql"])
            plan = "\n".join(row[0] for row in cursor.fetchall())
        results[name] = {
            "url": url,
            "median_ms": round(statistics.median(timings), 2),
            # The fastest run is the least disturbed by other processes on a shared machine.
            "min_ms": round(min(timings), 2),
            "p90_ms": round(statistics.quantiles(timings, n=10)[-1], 2),
            "queries": len(queries.captured_queries),
            "slowest_query_ms": round(float(slowest["time"]) * 1000, 2),
            "slowest_query_plan": plan,
        }
        print(
            f"  {name:16} {results[name]['median_ms']:7.2f} ms median, "
            f"{results[name]['min_ms']:7.2f} ms min, "
            f"{results[name]['queries']} queries, slowest {results[name]['slowest_query_ms']} ms",
            flush=True,
        )
    return results


def create_database(url):
    """The benchmark's own database, made on first use (the server must accept the user)."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    server = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def main():
    args = parse_args()
    create_database(args.database_url)
    configure(args)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    report = {
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "command": " ".join(["scripts/bench-scale", *sys.argv[1:]]),
        "load_before": os.getloadavg(),
    }
    if args.measure_only:
        from articles.models import Article

        count = Article.objects.count()
        print(f"{count:,} articles:", flush=True)
        report["only"] = {"articles": count, "pages": measure(args.requests)}
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        (ROOT / "bench-results" / f"scale-measure-{stamp}.json").write_text(
            json.dumps(report, indent=2)
        )
        return
    reset()
    started = time.monotonic()
    generate(1, args.small + 1)
    print(f"{args.small:,} articles:", flush=True)
    report["small"] = {"articles": args.small, "pages": measure(args.requests)}
    generate(args.small + 1, args.large + 1)
    report["generate_seconds"] = round(time.monotonic() - started)
    print(f"{args.large:,} articles (generated in {report['generate_seconds']} s):", flush=True)
    report["large"] = {"articles": args.large, "pages": measure(args.requests)}
    report["load_after"] = os.getloadavg()

    lines = [
        f"newsroom scale benchmark {report['started']} ({report['command']})",
        f"PostgreSQL, page cache off, in-process median of {args.requests} requests; load "
        f"{report['load_before'][0]:.1f} -> {report['load_after'][0]:.1f} (shared machine)",
        "",
        f"{'page':16} {args.small:>12,} {args.large:>12,}  ratio  (min: small, large, ratio)"
        "  queries",
    ]
    for name, small in report["small"]["pages"].items():
        large = report["large"]["pages"].get(name, {})
        if "median_ms" not in small or "median_ms" not in large:
            lines.append(f"{name:16} unavailable (status {small.get('status')})")
            continue
        ratio = large["median_ms"] / small["median_ms"]
        fastest = large["min_ms"] / small["min_ms"]
        lines.append(
            f"{name:16} {small['median_ms']:10.2f}ms {large['median_ms']:10.2f}ms "
            f"{ratio:6.2f}  ({small['min_ms']:.2f}, {large['min_ms']:.2f}, {fastest:.2f})"
            f"  {small['queries']}/{large['queries']}"
        )
    text = "\n".join(lines) + "\n"
    results = ROOT / "bench-results"
    results.mkdir(exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    (results / f"scale-{stamp}.json").write_text(json.dumps(report, indent=2))
    (results / f"scale-{stamp}.txt").write_text(text)
    (results / "scale-latest.txt").write_text(text)
    print()
    print(text)


if __name__ == "__main__":
    main()
