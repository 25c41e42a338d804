from django.db import models


class ArticleStatus(models.TextChoices):
    """Where an article stands in the workflow (Article.Status). What readers see of a
    published one also depends on the clock (articles/models/clock.py)."""

    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    SENT_BACK = "sent_back", "Sent back"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"
    UNPUBLISHED = "unpublished", "Unpublished"
