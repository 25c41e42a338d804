from django.core.management.base import BaseCommand

from articles.search import triggers


class Command(BaseCommand):
    help = (
        "Install the full-text search index's triggers again and refill the index "
        "(after changing SEARCH_CONFIG, or to repair triggers a table rebuild dropped)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default")

    def handle(self, *args, database, **options):
        triggers.rebuild(using=database)
        self.stdout.write("Search index rebuilt.")
