"""The calendar in the admin: a month and a week of go-lives, embargo ends, expiries and
assignments' due times, and the page of each person's secret iCalendar address.

Server-rendered and without JavaScript; the grid turns into a list of days on narrow
screens (static/css/admin-calendar.css). Routes hang off the assignment admin
(`admin:desk_calendar`, `admin:desk_calendar_month`, `admin:desk_calendar_week`,
`admin:desk_calendar_feed`), behind the admin's login.
"""

from datetime import date, timedelta

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseBadRequest
from django.template.defaultfilters import date as date_filter
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control

from articles.models import Section
from core.links import absolute_url
from core.localtime import utc_offset, with_offset

from . import calendar
from .models import CalendarFeed

# A busy day shows this many entries in the month grid, then a link to its week.
MONTH_DAY_LIMIT = 4


class SectionFilterForm(forms.Form):
    section = forms.ModelChoiceField(
        queryset=Section.objects.only("name", "slug"),
        to_field_name="slug",
        required=False,
        empty_label="All sections",
    )


def zone_note(start, end):
    """Which clock the page's times are on; a page across a daylight-saving change names
    both (every time also carries its own abbreviation)."""

    def clock(moment):
        return f"{date_filter(timezone.localtime(moment), 'T')}, {utc_offset(moment)}"

    first, last = clock(start), clock(end)
    clocks = first if first == last else f"{first}, then {last}"
    return f"Times are in the newsroom's zone, {settings.TIME_ZONE} ({clocks})."


class CalendarAdminMixin:
    """Calendar routes and views for the ModelAdmin that carries them (AssignmentAdmin)."""

    def calendar_urls(self):
        view = self.admin_site.admin_view
        return [
            path("calendar/", view(self.calendar_view), name="desk_calendar"),
            path(
                "calendar/<int:year>/<int:month>/",
                view(self.calendar_view),
                name="desk_calendar_month",
            ),
            path(
                "calendar/week/<int:year>/<int:month>/<int:day>/",
                view(self.calendar_week_view),
                name="desk_calendar_week",
            ),
            path("calendar/feed/", view(self.calendar_feed_view), name="desk_calendar_feed"),
        ]

    # Shared pieces -------------------------------------------------------------------

    def calendar_context(self, request, *, title, start, end):
        """The page's frame and the entries it shows; `query` keeps the section filter on
        every link the page builds."""
        if not calendar.may_use_calendar(request.user):
            raise PermissionDenied
        form = SectionFilterForm(request.GET or None)
        section = form.cleaned_data["section"] if form.is_valid() else None
        entries = calendar.entries_between(request.user, start, end, section=section)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "filter_form": form,
            "section": section,
            "entry_count": len(entries),
            "zone_note": zone_note(start, end - timedelta(seconds=1)),
            "today": calendar.today(),
            "feed_url": reverse("admin:desk_calendar_feed"),
        }
        return context, calendar.by_day(entries), (f"?section={section.slug}" if section else "")

    # Views -----------------------------------------------------------------------------

    def calendar_view(self, request, year=None, month=None):
        today = calendar.today()
        if year is None:
            year, month = today.year, today.month
        if not calendar.valid_month(year, month):
            raise Http404("No such month.")
        weeks = calendar.month_grid(year, month)
        first = date(year, month, 1)
        context, days, query = self.calendar_context(
            request,
            title=f"Calendar: {date_filter(first, 'F Y')}",
            start=calendar.local_midnight(weeks[0][0]),
            end=calendar.local_midnight(weeks[-1][-1] + timedelta(days=1)),
        )
        previous_month = first - timedelta(days=1)
        next_month = (first + timedelta(days=31)).replace(day=1)
        context.update(
            {
                "view": "month",
                "heading": date_filter(first, "F Y"),
                "weeks": [[day_cell(day, days, month, query) for day in week] for week in weeks],
                "previous_url": month_url(previous_month) + query,
                "previous_label": date_filter(previous_month, "F Y"),
                "next_url": month_url(next_month) + query,
                "next_label": date_filter(next_month, "F Y"),
                "today_url": reverse("admin:desk_calendar") + query,
                "other_view_url": week_url(today if first <= today < next_month else first) + query,
                "other_view_label": "Week",
                "form_action": month_url(first),
            }
        )
        return TemplateResponse(request, "admin/desk/calendar/month.html", context)

    def calendar_week_view(self, request, year, month, day):
        try:
            monday = calendar.week_of(date(year, month, day))[0]
            after = monday + timedelta(days=7)
        except (ValueError, OverflowError):
            raise Http404("No such day.") from None
        if not calendar.valid_month(monday.year, monday.month):
            raise Http404("No such day.")
        sunday = after - timedelta(days=1)
        context, days, query = self.calendar_context(
            request,
            title=f"Calendar: week of {date_filter(monday, 'j F Y')}",
            start=calendar.local_midnight(monday),
            end=calendar.local_midnight(after),
        )
        today = calendar.today()
        context.update(
            {
                "view": "week",
                "heading": f"{date_filter(monday, 'j M')} – {date_filter(sunday, 'j M Y')}",
                "days": [
                    {"day": each, "entries": days.get(each, []), "in_month": True}
                    for each in calendar.week_of(monday)
                ],
                "previous_url": week_url(monday - timedelta(days=7)) + query,
                "previous_label": "Previous week",
                "next_url": week_url(after) + query,
                "next_label": "Next week",
                "today_url": week_url(today) + query,
                # The month most of this week is in.
                "other_view_url": month_url(monday + timedelta(days=3)) + query,
                "other_view_label": "Month",
                "form_action": week_url(monday),
            }
        )
        return TemplateResponse(request, "admin/desk/calendar/week.html", context)

    def calendar_feed_view(self, request):
        """Each person's own address: create it, or revoke it and make a new one.

        Only the token's hash is stored, so the address is shown once, in the answer to
        the POST that made it, and that answer is never cached.
        """
        if not calendar.may_use_calendar(request.user):
            raise PermissionDenied
        new_url = None
        revoked = False
        if request.method == "POST":
            action = request.POST.get("action")
            if action == "create":
                token = CalendarFeed.objects.issue(request.user)
                new_url = absolute_url(reverse("desk:calendar_feed", kwargs={"token": token}))
            elif action == "revoke":
                revoked = bool(CalendarFeed.objects.revoke(request.user))
            else:
                return HttpResponseBadRequest("Unknown action.")
        feed = CalendarFeed.objects.filter(user=request.user).first()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Your calendar address",
            "feed": feed,
            "feed_created": with_offset(feed.created) if feed else "",
            "new_url": new_url,
            "revoked": revoked,
            "calendar_url": reverse("admin:desk_calendar"),
        }
        response = TemplateResponse(request, "admin/desk/calendar/feed.html", context)
        # No Referrer-Policy of its own: "no-referrer" makes browsers send `Origin: null`
        # with the page's own forms, which CSRF protection rightly refuses.
        patch_cache_control(response, no_store=True, private=True)
        return response


def day_cell(day, days, month, query):
    entries = days.get(day, [])
    return {
        "day": day,
        "in_month": day.month == month,
        "entries": entries[:MONTH_DAY_LIMIT],
        "more": max(0, len(entries) - MONTH_DAY_LIMIT),
        "more_url": week_url(day) + query,
    }


def month_url(day):
    return reverse("admin:desk_calendar_month", args=[day.year, day.month])


def week_url(day):
    monday = calendar.week_of(day)[0]
    return reverse("admin:desk_calendar_week", args=[monday.year, monday.month, monday.day])
