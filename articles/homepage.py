"""What the home page shows: the editors' lead and top stories, then each section's latest.

Everything comes from Article.objects.published(), so an editor's pick that is not live
(a draft, a scheduled or embargoed story, an expired one) never appears; its place is
taken by the latest published stories. Three small queries whatever the number of
sections, slots or articles (the lead story reads its bylines when it is rendered),
and none while the page's rows are kept with the page fragments.
"""

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import F, Q

from publishing.fragments import fragment_cache, keep, read

from .models import Article, HomepageSlot, Section

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
    # Every section, in navigation order: the page's navigation reuses them.
    sections: list


def front_page(request=None, *, at=None):
    found = fragment_cache(request) if at is None else None
    if found is None:
        return _front_page(at)
    # The page's rows change only with content or at the clock's next visibility change,
    # so they are kept with the page fragments, under their rules (publishing.fragments):
    # keyed on the content version that every public change bumps, and never kept past
    # the next go-live, embargo end, expiry or photo rights end.
    key = f"front-page:{found[1]}"
    front = read(found, key)
    if front is None:
        front = _front_page(at)
        keep(found, key, front)
    return front


def _front_page(at):
    sections = list(Section.objects.all())
    lead_id, top_ids, block_ids = _choose(sections, at)
    cards = (
        Article.objects.published(at)
        .filter(pk__in=[*top_ids, *(pk for ids in block_ids.values() for pk in ids)])
        .for_listing()
    )
    cards = {article.pk: article for article in cards}
    lead = cards.get(lead_id)
    return FrontPage(
        lead=lead,
        top_stories=[cards[pk] for pk in top_ids[1:] if pk in cards],
        section_blocks=[
            SectionBlock(
                section=section,
                articles=[cards[pk] for pk in block_ids[section.pk] if pk in cards],
            )
            for section in sections  # in navigation order
            if section.pk in block_ids
        ],
        sections=sections,
    )


def _choose(sections, at):
    wanted = 1 + TOP_STORIES
    candidates = _candidates(Article.objects.published(at), sections, wanted + PER_SECTION)
    picks = sorted((c for c in candidates if c.slot is not None), key=lambda c: c.slot)
    picked = {pick.id for pick in picks}
    top = [c.id for c in (picks + [c for c in candidates if c.id not in picked])[:wanted]]

    blocks = {}
    for candidate in candidates:
        # Keyed by the candidate's own section: one created since `sections` was read
        # is simply not shown yet.
        chosen = blocks.setdefault(candidate.section_id, [])
        if candidate.id not in top and len(chosen) < PER_SECTION:
            chosen.append(candidate.id)
    return (
        top[0] if top else None,
        top,
        {section_id: ids for section_id, ids in blocks.items() if ids},
    )


def _candidates(live, sections, per_section):
    """Every live pick, plus each section's newest articles (enough to fill its block even
    when all the top stories come from it): narrow rows, newest first, in one query.

    Each section's part walks the section's index and stops, so the cost follows the
    number of sections, not of articles (a window function numbering every article
    took 10 ms at 5,000 articles). Picks are looked up from the slots' side, which has
    a handful of rows.
    """
    fields = ("id", "section_id", "slot", "published_at")
    parts = [
        live.filter(pk__in=HomepageSlot.objects.values("article_id")),
        *(
            live.filter(section=section).order_by("-published_at", "-id")[:per_section]
            for section in sections
        ),
    ]
    if connection.features.supports_slicing_ordering_in_compound:
        # PostgreSQL: a UNION ALL of the parts. ORed IN-subqueries, as below, made it
        # filter a scan of every article (435 ms at 1,000,000 articles).
        rows = [
            part.annotate(slot=F("homepage_slot__position")).values_list(*fields, named=True)
            for part in parts
        ]
        candidates = {row.id: row for row in rows[0].union(*rows[1:], all=True)}.values()
    else:
        # SQLite allows no LIMIT inside a UNION; it runs ORed IN-subqueries as one
        # index search each (EXPLAIN: MULTI-INDEX OR).
        candidates_filter = Q(pk__in=parts[0].values("id"))
        for part in parts[1:]:
            candidates_filter |= Q(pk__in=part.values("id"))
        candidates = (
            Article.objects.filter(candidates_filter)
            .annotate(slot=F("homepage_slot__position"))
            .values_list(*fields, named=True)
        )
    return sorted(candidates, key=lambda row: (row.published_at, row.id), reverse=True)
