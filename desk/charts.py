"""The desk's two pictures, drawn on the server as SVG: no script, no inline style (CSP).

`published_chart`: stories that went live on each of the last 30 days, stacked by section.
`today_timeline`: today's go-lives on a midnight-to-midnight axis in the newsroom's zone.
Both answer plain data (coordinates, labels, CSS class names from static/css/admin-desk.css)
for templates/admin/desk/*.html, which also write each as text: a table and a list.
One query each, however many stories there are.
"""

from dataclasses import dataclass, field
from datetime import datetime, time

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import truncatechars
from django.utils import timezone

from articles.models import Article

from .article_queues import story_url, visible, with_go_live
from .rows import clock, day_start

DAYS = 30
# Colours for this many sections (desk-series-0 … 6); the rest share one, "Other sections".
NAMED_SECTIONS = 7
OTHER = "Other sections"
TIMELINE_LIMIT = 12

# Drawing sizes, in SVG user units (the picture scales to its column).
CHART_WIDTH, CHART_HEIGHT = 640, 220
CHART_LEFT, CHART_RIGHT, CHART_TOP, CHART_BOTTOM = 40, 8, 12, 30
TIMELINE_WIDTH, LANE, AXIS = 640, 24, 30
TIMELINE_SIDE = 10


@dataclass
class Chart:
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT
    bars: list = field(default_factory=list)  # (x, y, width, height, css class, title)
    y_ticks: list = field(default_factory=list)  # (y, label)
    x_ticks: list = field(default_factory=list)  # (x, label, text-anchor)
    legend: list = field(default_factory=list)  # (css class, name, total)
    sections: list = field(default_factory=list)
    days: list = field(default_factory=list)  # (label, [count per section], total)
    total: int = 0
    busiest: tuple = ("", 0)
    baseline: float = CHART_HEIGHT - CHART_BOTTOM
    left: int = CHART_LEFT
    right: int = CHART_WIDTH - CHART_RIGHT


def nice_step(peak, lines=4):
    """The smallest 1, 2 or 5 × 10ⁿ step that reaches `peak` within `lines` gridlines."""
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            step = factor * magnitude
            if step * lines >= peak:
                return step
        magnitude *= 10


def published_chart(viewer):
    """Stories gone live per local day, the last 30 days including today, by section."""
    first_day = day_start(viewer.today_start, -(DAYS - 1))
    zone = timezone.get_current_timezone()
    counted = (
        with_go_live(Article.objects.filter(status=Article.Status.PUBLISHED))
        .filter(live_at__gte=first_day, live_at__lte=viewer.now)
        .annotate(day=TruncDate("live_at", tzinfo=zone))
        .values("day", "section__name")
        .annotate(stories=Count("pk"))
        .order_by()
    )
    dates = [timezone.localtime(day_start(first_day, offset)).date() for offset in range(DAYS)]
    per_section = {}
    for found in counted:
        per_day = per_section.setdefault(found["section__name"], dict.fromkeys(dates, 0))
        if found["day"] in per_day:
            per_day[found["day"]] += found["stories"]
    ranked = sorted(per_section, key=lambda name: (-sum(per_section[name].values()), name))
    if len(ranked) > NAMED_SECTIONS:
        others = ranked[NAMED_SECTIONS - 1 :]
        ranked = [*ranked[: NAMED_SECTIONS - 1], OTHER]
        per_section[OTHER] = {day: sum(per_section[name][day] for name in others) for day in dates}
    return draw_chart(dates, ranked, per_section)


def draw_chart(dates, sections, per_section):
    chart = Chart(sections=sections)
    totals = [sum(per_section[name][day] for name in sections) for day in dates]
    chart.total = sum(totals)
    peak = max(totals, default=0) or 1
    step = nice_step(peak)
    top = step * -(-peak // step)
    plot_height = chart.baseline - CHART_TOP
    slot = (chart.right - chart.left) / len(dates)
    scale = plot_height / top
    chart.y_ticks = [
        (round(chart.baseline - value * scale, 1), str(value)) for value in range(0, top + 1, step)
    ]
    for index, day in enumerate(dates):
        label = date_filter(day, "M j")
        x = chart.left + index * slot + slot * 0.15
        height_so_far = 0
        for series, name in enumerate(sections):
            stories = per_section[name][day]
            if not stories:
                continue
            height = stories * scale
            y = chart.baseline - height_so_far - height
            title = f"{label}: {stories} in {name}"
            chart.bars.append(
                (round(x, 1), round(y, 1), round(slot * 0.7, 1), round(height, 1), series, title)
            )
            height_so_far += height
        if index == len(dates) - 1:  # today, flush with the right edge
            chart.x_ticks.append((chart.right, label, "end"))
        elif (len(dates) - 1 - index) % 7 == 0:
            chart.x_ticks.append((round(x + slot * 0.35, 1), label, "middle"))
        chart.days.append((label, [per_section[name][day] for name in sections], totals[index]))
    chart.legend = [
        (series, name, sum(per_section[name].values())) for series, name in enumerate(sections)
    ]
    if chart.total:
        busiest = max(range(len(dates)), key=lambda index: (totals[index], index))
        chart.busiest = (date_filter(dates[busiest], "M j"), totals[busiest])
    return chart


@dataclass
class Timeline:
    width: int = TIMELINE_WIDTH
    height: int = AXIS + LANE
    hours: list = field(default_factory=list)  # (x, label, minor)
    marks: list = field(default_factory=list)  # (x, y, label x, anchor, css, text, title)
    items: list = field(default_factory=list)  # (time, headline, url, live already)
    now_x: float = 0
    axis_y: int = AXIS - 8
    count: int = 0
    day_label: str = ""
    zone: str = ""
    now_label: str = ""
    left: int = TIMELINE_SIDE
    center_x: int = TIMELINE_WIDTH // 2
    right: int = TIMELINE_WIDTH - TIMELINE_SIDE


def today_timeline(viewer):
    """The stories this person may see that go live today, gone live already or still to."""
    start, end = viewer.today_start, viewer.today_end
    found = (
        with_go_live(visible(viewer).filter(status=Article.Status.PUBLISHED))
        .filter(live_at__gte=start, live_at__lt=end)
        .order_by("live_at", "pk")
    )
    stories = list(found[:TIMELINE_LIMIT])
    count = len(stories) if len(stories) < TIMELINE_LIMIT else found.count()
    return draw_timeline(viewer, stories, count)


def draw_timeline(viewer, stories, count):
    start, end = viewer.today_start, viewer.today_end
    timeline = Timeline(
        count=count,
        day_label=date_filter(timezone.localtime(start), "l, F j"),
        zone=date_filter(timezone.localtime(viewer.now), "T"),
        now_label=clock(viewer.now),
    )
    width = timeline.right - timeline.left
    length = (end - start).total_seconds()

    def x_of(moment):
        return round(timeline.left + (moment - start).total_seconds() / length * width, 1)

    local_day = timezone.localtime(start).date()
    zone = timezone.get_current_timezone()
    for hour in range(0, 24, 3):
        moment = datetime.combine(local_day, time(hour), tzinfo=zone)
        label = date_filter(timezone.localtime(moment), "g A")
        # Every six hours on a phone, where every three would run together (admin-desk.css).
        timeline.hours.append((x_of(moment), label, hour % 6 != 0))
    timeline.now_x = x_of(min(max(viewer.now, start), end))
    for lane, article in enumerate(stories):
        x = x_of(article.live_at)
        y = AXIS + lane * LANE + LANE / 2
        live = article.live_at <= viewer.now
        # Labels run right of the mark in the morning and left of it in the evening.
        right_half = x > timeline.left + width * 0.55
        text = f"{clock(article.live_at)} {truncatechars(article.headline, 44)}"
        timeline.marks.append(
            (
                x,
                y,
                x - 8 if right_half else x + 8,
                "end" if right_half else "start",
                "live" if live else "upcoming",
                text,
                f"{clock(article.live_at)}: {article.headline}",
            )
        )
        timeline.items.append((clock(article.live_at), article.headline, story_url(article), live))
    timeline.height = AXIS + max(1, len(stories)) * LANE + 6
    return timeline
