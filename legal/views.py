import json

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from core.text import render_markdown
from publishing.query_params import reads_query_params

from .identity import publisher
from .models import LegalPage, fill_placeholders
from .notices import page_notices
from .robots import robots_txt
from .tdm import current_reservation, policy_document, tdmrep_rules


@reads_query_params()
@require_safe
def legal_page(request, slug):
    page = get_object_or_404(LegalPage, slug=slug)
    # Rendered per view (legal pages are small and rarely read) so that a change
    # to the publisher's details shows at once; render_markdown sanitises with nh3.
    body = render_markdown(fill_placeholders(page.body, publisher()))
    notices = page_notices(page)
    return render(
        request, "legal/page.html", {"page": page, "body": body, "notices_in_force": notices}
    )


def _json(data, content_type):
    return HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type=f"{content_type}; charset=utf-8",
    )


@reads_query_params()
@require_safe
def tdmrep_json(request):
    """TDMRep well-known file: a JSON array of rules, even for one rule."""
    return _json(tdmrep_rules(), "application/json")


@reads_query_params()
@require_safe
def tdm_policy(request):
    """The TDMRep ODRL policy; there is none while the reservation is lifted."""
    reservation = current_reservation()
    if not reservation.reserved:
        raise Http404("No text and data mining reservation is in force.")
    return _json(policy_document(reservation), "application/ld+json")


@reads_query_params()
@require_safe
def robots(request):
    return HttpResponse(robots_txt(), content_type="text/plain; charset=utf-8")
