"""The demo's stories in progress: one in every editorial state, moved there by the real services.

Each story goes through articles/services.py as the demo's journalist and editor would
move it, so its history, its comments and the notifications they sent are real. Keyed
by slug: a story that exists already is left alone, so `seed_demo` can run on every start.
"""

import io
from datetime import datetime, time, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image, ImageDraw

from media.models import Photo
from media.renditions import generate_renditions

from . import services
from .autosave import autosave_store
from .editing import correction_add
from .models import Article, Byline

# (state, headline, tags, section slug, lead), written for this demo.
STORIES = [
    (
        "draft",
        "Allotment waiting list reaches ten years",
        ["gardens", "city council"],
        "news",
        "Nearly 2,000 residents are waiting for a plot; the council is looking for new land.",
    ),
    (
        "in_review",
        "Night ferry to the islands returns for the summer",
        ["transport", "islands"],
        "world",
        "The overnight crossing resumes in June after a three-year pause.",
    ),
    (
        "sent_back",
        "Cinema chain plans a screen in every district",
        ["film", "retail"],
        "business",
        "The company says eight small cinemas will open within two years.",
    ),
    (
        "approved",
        "Choir of 500 voices to sing on the harbour steps",
        ["music", "festivals"],
        "culture",
        "Singers from forty choirs will rehearse together only once before the concert.",
    ),
    (
        "scheduled_today",
        "Tram line extension opens to passengers tonight",
        ["transport", "infrastructure"],
        "news",
        "The first tram leaves the new terminus at seven in the evening.",
    ),
    (
        "scheduled_tomorrow",
        "Youth orchestra announces its autumn tour",
        ["music", "education"],
        "culture",
        "The orchestra will play in six cities, starting at home.",
    ),
    (
        "embargoed",
        "Quarterly jobs figures show a rise in hiring",
        ["jobs", "economy"],
        "business",
        "Figures under embargo until the statistics office publishes them in the morning.",
    ),
    (
        "expired",
        "Road closures for the weekend half marathon",
        ["running", "transport"],
        "sport",
        "Streets along the waterfront close from six until noon on Sunday.",
    ),
    (
        "stale_draft",
        "Harbour ferry timetable review stalls",
        ["transport", "harbour"],
        "news",
        "Started two weeks ago and not touched since: the desk's stale drafts show it.",
    ),
    (
        "withdrawn",
        "Harbour market stalls may stay open until midnight",
        ["markets", "harbour"],
        "business",
        "Traders are waiting for the council's answer before the summer season.",
    ),
    (
        "update_requested",
        "New footbridge links the two halves of the old town",
        ["infrastructure", "walking"],
        "news",
        "The bridge opened at noon; more than a thousand people crossed in the first hour.",
    ),
    (
        "unpublished",
        "Stadium roof to be replaced next season",
        ["football", "infrastructure"],
        "sport",
        "Held back while the club confirms the contractor's timetable.",
    ),
]

# Untouched for longer than the desk's week, so it is listed among the stale drafts.
STALE_FOR = timedelta(days=10)
# The approved story's photo is licensed for a few days only: the photo editor's desk and
# the rights report show it ending, and the story that would lose it.
PHOTO_RIGHTS_FOR = timedelta(days=5)
# How one story presents itself in search results and when shared (articles/seo.py).
SEARCH_AND_SOCIAL = {
    "Tram line extension opens to passengers tonight": {
        "seo_title": "Tram extension opens tonight: stops, times and fares",
        "seo_description": "The new line adds four stops to the east; the first tram leaves "
        "the terminus at 7 p.m. and runs every ten minutes.",
        "social_title": "All aboard: the tram extension opens tonight",
    },
}

SEND_BACK_COMMENT = (
    "Good story, but we need the company's own numbers for the screens, and a second "
    "source on the opening dates. Please also shorten the lead."
)


def slug_for(headline):
    return slugify(headline)


def local_moment(day, at):
    return datetime.combine(day, at, tzinfo=timezone.get_current_timezone())


def go_live_times(now):
    """Later today (in the newsroom's zone, when the day has time left), tomorrow morning."""
    today = timezone.localtime(now).date()
    midnight = local_moment(today + timedelta(days=1), time(0))
    later_today = min(now + timedelta(hours=3), midnight - timedelta(minutes=10))
    if later_today <= now + timedelta(minutes=5):
        later_today = now + timedelta(minutes=30)  # just before midnight: tonight's next slot
    tomorrow = local_moment(today + timedelta(days=1), time(9, 0))
    embargo_end = local_moment(today + timedelta(days=1), time(6, 0))
    return later_today, tomorrow, embargo_end


def seed_workflow_stories(*, journalist, editor, sections, author):
    """Create the stories not yet there; returns how many were created."""
    now = timezone.now()
    later_today, tomorrow, embargo_end = go_live_times(now)
    created = 0
    for state, headline, tags, section_slug, lead in STORIES:
        if Article.objects.filter(slug=slug_for(headline)).exists():
            continue
        article = Article.objects.create(
            headline=headline,
            slug=slug_for(headline),
            lead=lead,
            body=f"{lead}\n\n## Background\n\nThe reporter is still gathering the details.",
            section=sections[section_slug],
            created_by=journalist,
            lead_photo=short_licence_photo(headline, now) if state == "approved" else None,
            **SEARCH_AND_SOCIAL.get(headline, {}),
            **(
                {"status": Article.Status.PUBLISHED, "published_at": now - timedelta(days=3)}
                if state == "expired"
                else {}
            ),
        )
        article.tags.add(*tags)
        Byline.objects.create(article=article, author=author, position=0)
        move_to(state, article, journalist, editor, later_today, tomorrow, embargo_end, now)
        created += 1
    return created


def start_answering(article, journalist):
    """The journalist began on the desk's comments, then left without saving: opening the
    story offers their unsaved changes back (articles/autosave.py)."""
    article = Article.objects.get(pk=article.pk)
    autosave_store(
        user=journalist,
        article=article,
        base_version=article.lock_version,
        values={
            "lead": "Eight small cinemas will open within two years, the company says.",
            "body": f"{article.body}\n\nThe company's own figures: eight screens, two of them "
            "in districts without a cinema today.",
        },
    )


def short_licence_photo(headline, now):
    """A photo drawn for the demo whose rights end in a few days, with its renditions."""
    image = Image.new("RGB", (1200, 800), (32, 78, 104))
    draw = ImageDraw.Draw(image)
    for step in range(0, 1200, 60):
        draw.line([(step, 0), (1200 - step, 800)], fill=(70, 130, 160), width=6)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    photo = Photo(
        alt_text="Singers gathered on the harbour steps at dusk",
        caption=f"Rehearsal for “{headline}”, licensed for one week.",
        agency="Harbour Photo Agency",
        photographer="Lena Berg",
        rights_expire_at=now + PHOTO_RIGHTS_FOR,
    )
    photo.image.save("demo.jpg", ContentFile(buffer.getvalue(), name="demo.jpg"), save=False)
    photo.save()
    generate_renditions(photo)
    return photo


def move_to(state, article, journalist, editor, later_today, tomorrow, embargo_end, now):
    if state == "stale_draft":
        # Dated back directly: no save can set `modified` to the past, and no one touched it.
        Article.objects.filter(pk=article.pk).update(modified=now - STALE_FOR)
        return
    if state in {"draft", "expired"}:
        if state == "expired":
            # Published three days ago (before the demo's clock), with an expiry now passed.
            services.article_set_expiry(
                article=article,
                user=editor,
                at=now - timedelta(hours=1),
                comment="Only useful until the race started.",
            )
        return
    services.article_submit(article=article, user=journalist, comment="Ready for the desk.")
    if state == "in_review":
        return
    if state == "withdrawn":
        services.article_withdraw(
            article=article, user=journalist, comment="The council meets on Thursday; holding it."
        )
        return
    if state == "sent_back":
        services.article_send_back(article=article, user=editor, comment=SEND_BACK_COMMENT)
        start_answering(article, journalist)
        return
    services.article_approve(article=article, user=editor)
    if state == "approved":
        return
    if state == "scheduled_today":
        services.article_schedule(article=article, user=editor, at=later_today)
    elif state == "scheduled_tomorrow":
        services.article_schedule(article=article, user=editor, at=tomorrow)
    elif state == "embargoed":
        services.article_set_embargo(article=article, user=editor, until=embargo_end)
        # Scheduled for now, it goes live when the embargo ends.
        services.article_schedule(article=article, user=editor, at=now + timedelta(minutes=1))
    elif state == "update_requested":
        services.article_publish(article=article, user=editor)
        services.article_request_update(
            article=article,
            user=journalist,
            comment="The council now says 1,400 people crossed in the first hour, not 1,000.",
        )
    elif state == "unpublished":
        services.article_publish(article=article, user=editor)
        correction_add(
            article=article,
            kind="correction",
            text="An earlier version gave the wrong season for the works.",
            user=editor,
        )
        services.article_unpublish(
            article=article, user=editor, comment="Held until the club confirms the dates."
        )
