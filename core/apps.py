from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Helpers every app uses (text, times, links, pages, validators); installed for its template tags."""

    name = "core"
    verbose_name = "Shared helpers"
