from django.conf import settings
from django.core.paginator import Paginator
from django.utils.functional import cached_property


class CappedPaginator(Paginator):
    """A paginator that counts at most LISTING_MAX_PAGES pages of rows.

    Counting every row of a big section or tag costs more than rendering the page
    (a COUNT over 200,000 index entries on PostgreSQL), so the count is capped:
    `SELECT COUNT(*) FROM (... LIMIT n)` costs the same at a thousand or a million
    articles. Older articles stay reachable through the sitemaps and archives.
    """

    @cached_property
    def count(self):
        limit = settings.LISTING_MAX_PAGES * self.per_page
        if hasattr(self.object_list, "count") and hasattr(self.object_list, "query"):
            # Order is irrelevant to "how many, up to n", and dropping it lets the
            # database stop after n index entries instead of sorting every match.
            return self.object_list.order_by()[:limit].count()
        return min(len(self.object_list), limit)
