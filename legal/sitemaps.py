from django.db.models import Max

from core.sitemaps import SiteSitemap

from .models import LegalPage


class LegalPageSitemap(SiteSitemap):
    def items(self):
        return LegalPage.objects.order_by("slug")

    def lastmod(self, page):
        return page.updated_at

    def get_latest_lastmod(self):
        return LegalPage.objects.aggregate(latest=Max("updated_at"))["latest"]
