"""Shared by scripts/bench.py and scripts/bench_scale.py: seeding and the wrk driver."""

import io
import json
import os
import random
import re
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PARAGRAPHS = [
    "The council met on Tuesday evening to discuss the plan, which has been debated for "
    "more than two years and drew a crowd of residents to the town hall.",
    "Engineers said the work would take at least eighteen months. The first phase, "
    "covering the northern districts, is expected to begin in the spring.",
    "“We have listened to every objection,” the deputy mayor said. “This version is "
    "cheaper, quieter and finished sooner than anything we proposed before.”",
    "Opponents were not convinced. A petition signed by 4,000 people asks the council to "
    "hold a referendum before any contract is signed.",
    "The budget includes money for new lighting, wider pavements and a protected cycle "
    "lane along the river, as well as three new crossings near schools.",
    "Local businesses gave the plan a cautious welcome, but asked for compensation during "
    "the months when the main street will be closed to traffic.",
]
WORDS = [
    "harbour",
    "council",
    "river",
    "storm",
    "election",
    "budget",
    "school",
    "transport",
    "health",
    "market",
    "museum",
    "festival",
    "bridge",
    "railway",
    "climate",
    "energy",
    "housing",
    "court",
    "police",
    "football",
    "theatre",
]


def body(variant):
    rng = random.Random(variant)
    paragraphs = rng.sample(PARAGRAPHS, k=len(PARAGRAPHS))
    parts = paragraphs[:3] + ["## What happens next"] + paragraphs[3:] + paragraphs[:2]
    return "\n\n".join(parts)


def seed(count, *, photos=6, stdout=print):
    """`count` published articles with photos, tags and bylines, written with bulk_create.

    Idempotent: does nothing when the database already holds `count` articles.
    """
    from django.contrib.contenttypes.models import ContentType
    from django.core.files.base import ContentFile
    from django.db import connection, transaction
    from django.utils import timezone
    from PIL import Image, ImageDraw
    from taggit.models import Tag, TaggedItem

    from articles.models import Article, Author, Byline, Section
    from articles.page_extras import fill_page_extras
    from core.text import render_markdown
    from legal.models import LegalPage, Notice, NoticeVersion
    from media.models import Photo
    from publishing.version import bump_version

    if Article.objects.count() >= count:
        stdout(f"seed: {Article.objects.count()} articles already there")
        return
    started = time.monotonic()
    rng = random.Random(7)
    now = timezone.now()
    with transaction.atomic():
        Article.objects.all().delete()
        sections = [
            Section.objects.get_or_create(slug=slug, defaults={"name": name, "position": n})[0]
            for n, (name, slug) in enumerate(
                [
                    ("News", "news"),
                    ("World", "world"),
                    ("Business", "business"),
                    ("Culture", "culture"),
                    ("Sport", "sport"),
                    ("Science", "science"),
                    ("Opinion", "opinion"),
                    ("Travel", "travel"),
                ]
            )
        ]
        authors = list(Author.objects.all()[:60])
        for n in range(len(authors), 60):
            authors.append(Author.objects.create(name=f"Reporter {n}", slug=f"reporter-{n}"))
        library = list(Photo.objects.all()[:photos])
        for n in range(len(library), photos):
            image = Image.new("RGB", (1200, 800), (40 + n * 30, 90, 140))
            ImageDraw.Draw(image).ellipse((200, 150, 1000, 650), fill=(230, 200 - n * 20, 90))
            buffer = io.BytesIO()
            image.save(buffer, "JPEG", quality=80)
            library.append(
                Photo.objects.create(
                    image=ContentFile(buffer.getvalue(), name=f"bench-{n}.jpg"),
                    alt_text=f"Benchmark photo {n}",
                    caption=f"A photo used by many benchmark articles ({n}).",
                    agency="PAP",
                    photographer="Bench Photographer",
                )
            )
        tags = Tag.objects.bulk_create(
            [Tag(name=f"{word} {n}", slug=f"{word}-{n}") for n in range(20) for word in WORDS],
            ignore_conflicts=True,
        )
        tags = list(Tag.objects.all())
        if not Notice.objects.exists():
            page = LegalPage.objects.create(
                title="Copyright", slug="copyright", body="All rights reserved."
            )
            notice = Notice.objects.create(
                kind=Notice.Kind.COPYRIGHT, title="Copyright and TDM reservation"
            )
            NoticeVersion.objects.create(
                notice=notice,
                version=1,
                text="All rights reserved, including text and data mining. Details here.",
                page=page,
                effective_at=now - timedelta(days=1),
            )
        bodies = [(body(n), render_markdown(body(n))) for n in range(12)]
        articles = []
        for n in range(count):
            text, html = bodies[n % len(bodies)]
            published = now - timedelta(minutes=7 * n + rng.randint(0, 6))
            articles.append(
                Article(
                    headline=f"{rng.choice(WORDS).title()} {rng.choice(WORDS)} story number {n}",
                    slug=f"story-{n}",
                    lead="A lead paragraph that tells the story in one sentence, as leads do.",
                    body=text,
                    body_html=html,
                    section=sections[n % len(sections)],
                    lead_photo=library[n % len(library)],
                    status=Article.Status.PUBLISHED,
                    published_at=published,
                    first_published_at=published,
                    source_line="© example-news.com",
                )
            )
        # A few scheduled ones, so the cache has a next visibility change to respect.
        for n in range(5):
            articles.append(
                Article(
                    headline=f"Scheduled story {n}",
                    slug=f"scheduled-{n}",
                    lead="Not yet.",
                    body="Soon.",
                    body_html="<p>Soon.</p>",
                    section=sections[0],
                    status=Article.Status.PUBLISHED,
                    published_at=now + timedelta(days=30 + n),
                    source_line="© example-news.com",
                )
            )
        articles = Article.objects.bulk_create(articles, batch_size=1000)
        content_type = ContentType.objects.get_for_model(Article)
        TaggedItem.objects.bulk_create(
            [
                TaggedItem(content_type=content_type, object_id=article.pk, tag=tag)
                for article in articles
                for tag in rng.sample(tags, 3)
            ],
            batch_size=2000,
        )
        Byline.objects.bulk_create(
            [
                Byline(article=article, author=author, position=position)
                for article in articles
                for position, author in enumerate(rng.sample(authors, rng.choice((1, 1, 2))))
            ],
            batch_size=2000,
        )
        # bulk_create sends no signals: the article pages' extras are written here.
        fill_page_extras([article.pk for article in articles])
        transaction.on_commit(bump_version)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh planner statistics, as after a migrate
    stdout(f"seed: {count} articles in {time.monotonic() - started:.1f} s")


# --- wrk --------------------------------------------------------------------------------

LUA = r"""
local paths = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
end

function init(args)
  if args[1] then
    for line in io.lines(args[1]) do
      if #line > 0 then paths[#paths + 1] = line end
    end
  end
  math.randomseed(os.time() * 1000 + (id or 0))
end

function request()
  if #paths > 0 then
    return wrk.format("GET", paths[math.random(#paths)])
  end
  return wrk.request()
end

function done(summary, latency, requests)
  io.write(string.format(
    'RESULT {"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, ' ..
    '"write": %d, "status": %d, "timeout": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, ' ..
    '"max_us": %d}\n',
    summary.requests, summary.duration, summary.bytes, summary.errors.connect,
    summary.errors.read, summary.errors.write, summary.errors.status, summary.errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
"""


def ensure_wrk():
    if shutil.which("wrk"):
        return "wrk"
    print("wrk is missing; installing Debian's package")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run([*sudo, "apt-get", "install", "-y", "-q", "wrk"], check=True)
    return "wrk"


def wrk(base_url, path, *, seconds, connections, threads=2, paths_file=None, workdir):
    script = Path(workdir) / "bench.lua"
    if not script.exists():
        script.write_text(LUA)
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "5s",
        "-s",
        str(script),
        base_url + path,
    ]
    if paths_file:
        command += ["--", str(paths_file)]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    found = re.search(r"^RESULT (.*)$", output, re.MULTILINE)
    raw = json.loads(found.group(1))
    seconds_run = raw["duration_us"] / 1e6
    errors = sum(raw[k] for k in ("connect", "read", "write", "status", "timeout"))
    return {
        "path": path,
        "connections": connections,
        "seconds": round(seconds_run, 1),
        "requests": raw["requests"],
        "rps": round(raw["requests"] / seconds_run, 1),
        "p50_ms": round(raw["p50_us"] / 1000, 2),
        "p90_ms": round(raw["p90_us"] / 1000, 2),
        "p99_ms": round(raw["p99_us"] / 1000, 2),
        "max_ms": round(raw["max_us"] / 1000, 2),
        "errors": errors,
        "error_detail": {k: raw[k] for k in ("connect", "read", "write", "status", "timeout")},
        "bytes_per_request": round(raw["bytes"] / max(1, raw["requests"])),
    }


def fetch(url, timeout=10):
    """(status, body, headers) for a GET; HTTP errors are answers, not exceptions."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)
