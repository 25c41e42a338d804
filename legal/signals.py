from django.db.models.signals import post_delete, post_save

from .state import invalidate_legal_state


def connect():
    from .models import Crawler, LegalPage, Notice, NoticeVersion, Publisher

    for model in (Crawler, LegalPage, Notice, NoticeVersion, Publisher):
        post_save.connect(invalidate_legal_state, sender=model, dispatch_uid=f"legal-{model}")
        post_delete.connect(invalidate_legal_state, sender=model, dispatch_uid=f"legal-d-{model}")
