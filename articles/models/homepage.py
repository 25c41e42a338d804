"""The editors' choice of stories for the top of the home page."""

from django.db import models
from django.db.models import Q


class HomepageSlot(models.Model):
    """An editor's choice for the top of the home page: slot 1 is the lead story.

    Only live articles are shown; a slot whose article is not (yet, or any longer)
    published is skipped and the latest stories fill the gap (articles/homepage.py).
    """

    position = models.PositiveSmallIntegerField(
        help_text="1 is the lead story; 2 and up are the top stories beside it, in order."
    )
    article = models.OneToOneField(
        "articles.Article",
        on_delete=models.CASCADE,
        related_name="homepage_slot",
        help_text="Shown only while the article is published; otherwise the slot is skipped.",
    )

    class Meta:
        ordering = ["position"]
        verbose_name = "home page slot"
        constraints = [
            models.UniqueConstraint(
                fields=["position"],
                name="homepage_slot_unique_position",
                violation_error_message="Another story holds this position; "
                "move or remove it first.",
            ),
            models.CheckConstraint(
                condition=Q(position__gte=1),
                name="homepage_slot_position_positive",
                violation_error_message="Positions start at 1 (the lead story).",
            ),
        ]

    def __str__(self):
        role = "Lead story" if self.position == 1 else f"Top story {self.position - 1}"
        return f"{role}: {self.article}"
