from django.conf import settings
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.utils.functional import cached_property


def page_number(value):
    """`?page=` as a page number beyond the first, or None for the first page: absent,
    1, not a number and below 1 all show it (Paginator.get_page). "02" is 2."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number >= 2 else None


def listing_page_number(value):
    """page_number for a ListingPaginator, which serves no page beyond LISTING_MAX_PAGES."""
    number = page_number(value)
    return min(number, settings.LISTING_MAX_PAGES) if number else None


class ListingPage(Page):
    def __init__(self, object_list, number, paginator, *, has_next):
        super().__init__(object_list, number, paginator)
        self._has_next = has_next

    def has_next(self):
        return self._has_next


class ListingPaginator(Paginator):
    """Pages of a listing without counting it: one row more than a page tells if there is a next.

    Counting every article of a tag or an author costs more than rendering the page at
    a million articles (40-50 ms on PostgreSQL, against under 1 ms for the page's own
    index walk), and grows with the archive. A page is reached by `?page=N` up to
    LISTING_MAX_PAGES; older articles stay reachable through sitemaps and archives.
    `count` and `num_pages` still work (capped at LISTING_MAX_PAGES pages) but cost a
    query, so the pagination template does not show them; they are only computed to
    send an out-of-range `?page=` to the last page.
    """

    def validate_number(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger("That page number is not an integer") from None
        if number < 1:
            raise EmptyPage("That page number is less than 1")
        return min(number, settings.LISTING_MAX_PAGES)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage("That page contains no results")
        return ListingPage(rows[: self.per_page], number, self, has_next=len(rows) > self.per_page)

    def get_page(self, number):
        """A bad or out-of-range `?page=` gives the nearest valid page, as Paginator.get_page."""
        try:
            return self.page(number)
        except PageNotAnInteger:
            return self.page(1)
        except EmptyPage:
            return self.page(max(1, self.num_pages))

    @cached_property
    def count(self):
        limit = settings.LISTING_MAX_PAGES * self.per_page
        if hasattr(self.object_list, "query"):
            # Order is irrelevant to "how many, up to n", and dropping it lets the
            # database stop after n index entries instead of sorting every match.
            return self.object_list.order_by()[:limit].count()
        return min(len(self.object_list), limit)
