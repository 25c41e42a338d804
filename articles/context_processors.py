from .models import Section


def navigation(request):
    """Sections for the site navigation; a lazy queryset, evaluated only by templates that use it."""
    return {"nav_sections": Section.objects.all()}
