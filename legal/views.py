from django.shortcuts import get_object_or_404, render

from .models import LegalPage


def legal_page(request, slug):
    page = get_object_or_404(LegalPage, slug=slug)
    return render(request, "legal/page.html", {"page": page})
