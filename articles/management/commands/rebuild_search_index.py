from django.core.management.base import BaseCommand

from articles.search_index import install_search_index


class Command(BaseCommand):
    help = (
        "Re-create the full-text search index and its triggers and refill it "
        "(after changing SEARCH_CONFIG, or to repair the index)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default")

    def handle(self, *args, database, **options):
        install_search_index(using=database)
        self.stdout.write("Search index rebuilt.")
