from django.db.models.signals import post_delete, post_save

from .state import invalidate_legal_state


def connect():
    from .visibility import PUBLIC_MODELS

    for model in PUBLIC_MODELS:
        post_save.connect(invalidate_legal_state, sender=model, dispatch_uid=f"legal-{model}")
        post_delete.connect(invalidate_legal_state, sender=model, dispatch_uid=f"legal-d-{model}")
