"""What the home page shows: the editors' lead and top stories, then each section's latest.

Everything comes from Article.objects.published(), so an editor's pick that is not live
(a draft, a scheduled or embargoed story, an expired one) never appears; its place is
taken by the latest published stories. Two queries (plus the bylines prefetch) whatever
the number of sections, slots or articles.
"""

from dataclasses import dataclass, field

from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber

from .models import Article, Section

TOP_STORIES = 4  # beside the lead
PER_SECTION = 4


@dataclass
class SectionBlock:
    section: Section
    articles: list = field(default_factory=list)


@dataclass
class FrontPage:
    lead: Article | None
    top_stories: list
    section_blocks: list


def front_page(*, at=None):
    wanted = 1 + TOP_STORIES
    # Each section's newest articles, numbered within the section, plus every live pick.
    # A section keeps enough candidates to fill its block even when all the top stories
    # come from it.
    # Two steps: the window runs over narrow rows (ids, section, time) only, then the
    # few winners are loaded with their card data. Windowing the full card rows made
    # the database sort every article's body (60 ms at 5,000 articles).
    ranked = (
        Article.objects.published(at)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("section_id")],
                order_by=[F("published_at").desc(), F("id").desc()],
            ),
        )
        .filter(Q(rank__lte=wanted + PER_SECTION) | Q(homepage_slot__isnull=False))
        .values_list("id", flat=True)
    )
    candidates = list(
        Article.objects.filter(pk__in=list(ranked))
        .annotate(slot=F("homepage_slot__position"))
        .order_by("-published_at", "-id")
        .for_listing()
    )
    picks = sorted((a for a in candidates if a.slot is not None), key=lambda a: a.slot)
    picked = {article.pk for article in picks}
    top = (picks + [a for a in candidates if a.pk not in picked])[:wanted]
    shown = {article.pk for article in top}

    blocks = {}
    for article in candidates:
        if article.pk in shown:
            continue
        block = blocks.setdefault(article.section_id, SectionBlock(section=article.section))
        if len(block.articles) < PER_SECTION:
            block.articles.append(article)
    ordered = sorted(blocks.values(), key=lambda b: (b.section.position, b.section.name))
    return FrontPage(lead=top[0] if top else None, top_stories=top[1:], section_blocks=ordered)
