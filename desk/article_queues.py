"""The desk's queues of stories: which ones, in what order, and what each line says.

Every query starts from `policies.visible_articles`, the rule the article admin's own list
uses, so a desk never names a story its reader could not open (a journalist sees their own
work only). Each builder answers a queryset (the desk counts it and slices it); each row
maker turns the fetched stories into desk rows. The workflow event a line talks about (the
send-back with its comment, the submission) comes with one prefetch per queue, however many
stories wait.
"""

from datetime import timedelta

from django.db.models import F, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse

from articles import policies
from articles.admin import STATE_LABELS
from articles.models import Article, ArticleEvent

from .rows import Row, ago, ahead, clock, day_and_clock, day_start, person, span

Status = Article.Status
STALE_AFTER = timedelta(days=7)
RECENT = timedelta(days=7)
# The columns a desk line reads: no body, no Markdown.
ROW_FIELDS = (
    "headline",
    "status",
    "published_at",
    "embargo_until",
    "expire_at",
    "modified",
    "section",
    "section__name",
    "created_by",
    "created_by__username",
    "created_by__first_name",
    "created_by__last_name",
)


def visible(viewer):
    """The stories this person may see, shaped for a desk line."""
    queryset = Article.objects.select_related("section", "created_by").only(*ROW_FIELDS)
    return policies.visible_articles(viewer.user, queryset)


def own(viewer):
    return policies.own_articles(viewer.user, visible(viewer))


def with_go_live(queryset):
    """`live_at`: when readers first see the story, the later of go-live and embargo end."""
    return queryset.annotate(
        live_at=Greatest("published_at", Coalesce("embargo_until", "published_at"))
    )


def last_event_at(action):
    return Subquery(
        ArticleEvent.objects.filter(article=OuterRef("pk"), action=action)
        .order_by("-at", "-id")
        .values("at")[:1]
    )


def with_last_event(queryset, action):
    """`event_at` (when the story last took `action`, else when it last changed) and
    `last_events`, that event with its actor, fetched for every listed story at once."""
    events = (
        ArticleEvent.objects.filter(action=action)
        .select_related("actor")
        .only(
            "article_id",
            "at",
            "comment",
            "actor__username",
            "actor__first_name",
            "actor__last_name",
        )
        .order_by("-at", "-id")
    )
    return queryset.annotate(
        event_at=Coalesce(last_event_at(action), F("modified"))
    ).prefetch_related(
        # A sliced prefetch: the latest event of each story, in one query.
        Prefetch("events", queryset=events[:1], to_attr="last_events")
    )


def story_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def story_row(article, *, when, facts=(), comment="", comment_by="", badge=True):
    state = article.state
    return Row(
        title=article.headline,
        url=story_url(article),
        when=when,
        facts=(article.section.name, *facts),
        comment=comment,
        comment_by=comment_by,
        badge=state if badge else "",
        badge_label=STATE_LABELS.get(state, "") if badge else "",
    )


def last_event(article):
    return article.last_events[0] if article.last_events else None


def story_list_url(**filters):
    """The article admin's own list, filtered the same way (it applies the same visibility)."""
    query = "&".join(f"{key}={value}" for key, value in filters.items())
    return f"{reverse('admin:articles_article_changelist')}?{query}"


def scheduled_url(viewer):
    if viewer.user.is_superuser or policies.is_editor(viewer.user):
        return reverse("admin:articles_article_scheduled")
    return story_list_url(state="scheduled")


# Sent back to me ----------------------------------------------------------------------------


def sent_back_to_me(viewer):
    stories = own(viewer).filter(status=Status.SENT_BACK)
    return with_last_event(stories, policies.SEND_BACK).order_by("-event_at", "-pk")


def sent_back_rows(articles, viewer):
    rows = []
    for article in articles:
        event = last_event(article)
        by = person(event.actor) if event else ""
        rows.append(
            story_row(
                article,
                when=f"sent back {ago(article.event_at, viewer.now)}",
                facts=(f"by {by}", day_and_clock(article.event_at)) if event else (),
                comment=event.comment if event else "",
                comment_by=by,
                badge=False,
            )
        )
    return rows


# My drafts ----------------------------------------------------------------------------------


def my_drafts(viewer):
    return own(viewer).filter(status=Status.DRAFT).order_by("-modified", "-pk")


def draft_rows(articles, viewer):
    rows = []
    for article in articles:
        stale = article.modified <= viewer.now - STALE_AFTER
        facts = ("untouched for a week or more",) if stale else ()
        rows.append(
            story_row(
                article,
                when=f"changed {ago(article.modified, viewer.now)}",
                facts=facts,
                badge=False,
            )
        )
    return rows


def my_drafts_list(viewer):
    # The article list shows a writer exactly their own; an editor's would show everyone's.
    return "" if policies.sees_every_article(viewer.user) else story_list_url(state="draft")


# Awaiting review and approved ---------------------------------------------------------------


def awaiting_review(viewer):
    """Oldest submission first: the story that has waited longest is read first."""
    stories = visible(viewer).filter(status=Status.IN_REVIEW)
    return with_last_event(stories, policies.SUBMIT).order_by("event_at", "pk")


def review_rows(articles, viewer):
    rows = []
    for article in articles:
        event = last_event(article)
        facts = (f"submitted by {person(event.actor)}",) if event else ()
        rows.append(
            story_row(
                article,
                when=f"waiting {span(article.event_at, viewer.now)}",
                facts=(*facts, day_and_clock(article.event_at)),
                comment=event.comment if event else "",
                comment_by=person(event.actor) if event else "",
                badge=False,
            )
        )
    return rows


def approved_not_scheduled(viewer):
    stories = visible(viewer).filter(status=Status.APPROVED)
    return with_last_event(stories, policies.APPROVE).order_by("event_at", "pk")


def approved_rows(articles, viewer):
    rows = []
    for article in articles:
        event = last_event(article)
        facts = (f"by {person(event.actor)}",) if event else ()
        rows.append(
            story_row(
                article,
                when=f"approved {ago(article.event_at, viewer.now)}",
                facts=facts,
                badge=False,
            )
        )
    return rows


# The schedule -------------------------------------------------------------------------------


def going_live_today(viewer):
    stories = visible(viewer).scheduled(after=viewer.now, until=viewer.today_end)
    return with_go_live(stories).filter(live_at__lt=viewer.today_end).order_by("live_at", "pk")


def going_live_this_week(viewer):
    """After today, within the next seven days."""
    until = day_start(viewer.today_start, 8)
    stories = visible(viewer).scheduled(after=viewer.now, until=until)
    return (
        with_go_live(stories)
        .filter(live_at__gte=viewer.today_end, live_at__lt=until)
        .order_by("live_at", "pk")
    )


def today_rows(articles, viewer):
    return [
        story_row(article, when=clock(article.live_at), facts=(ahead(article.live_at, viewer.now),))
        for article in articles
    ]


def week_rows(articles, viewer):
    return [
        story_row(
            article,
            when=day_and_clock(article.live_at),
            facts=(ahead(article.live_at, viewer.now),),
        )
        for article in articles
    ]


def embargoed(viewer):
    return visible(viewer).in_state("embargoed", viewer.now).order_by("embargo_until", "pk")


def embargo_rows(articles, viewer):
    return [
        story_row(
            article,
            when=f"until {day_and_clock(article.embargo_until)}",
            facts=(ahead(article.embargo_until, viewer.now),),
            badge=False,
        )
        for article in articles
    ]


def recently_published(viewer):
    """Live now, gone live in the last seven days; newest first."""
    stories = with_go_live(visible(viewer).published(viewer.now))
    return stories.filter(live_at__gt=viewer.now - RECENT).order_by("-live_at", "-pk")


def published_rows(articles, viewer):
    return [
        story_row(
            article,
            when=ago(article.live_at, viewer.now),
            facts=(day_and_clock(article.live_at),),
            badge=False,
        )
        for article in articles
    ]


# Stale drafts -------------------------------------------------------------------------------


def stale_drafts(viewer):
    """Drafts and sent-back stories nobody has touched for a week: longest forgotten first."""
    stories = visible(viewer).filter(
        status__in=[Status.DRAFT, Status.SENT_BACK], modified__lte=viewer.now - STALE_AFTER
    )
    return stories.order_by("modified", "pk")


def stale_rows(articles, viewer):
    return [
        story_row(
            article,
            when=f"untouched for {span(article.modified, viewer.now)}",
            facts=(f"by {person(article.created_by)}",) if article.created_by_id else (),
        )
        for article in articles
    ]
