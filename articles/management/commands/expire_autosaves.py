from django.core.management.base import BaseCommand

from articles.autosave import autosaves_expire
from articles.models.autosave import AUTOSAVE_LIFETIME


class Command(BaseCommand):
    help = (
        f"Delete article-form autosaves untouched for {AUTOSAVE_LIFETIME.days} days. Optional: "
        "they are never offered once expired, and each person's next autosave clears theirs."
    )

    def handle(self, *args, **options):
        deleted = autosaves_expire()
        self.stdout.write(f"{deleted} expired autosave{'' if deleted == 1 else 's'} deleted.")
