from django.utils.functional import SimpleLazyObject

from .identity import publisher
from .state import legal_state
from .tdm import current_reservation


def legal(request):
    """The reservation (for the head's meta tags), the publisher and the footer's legal links."""
    return {
        "tdm": SimpleLazyObject(current_reservation),
        "publisher": SimpleLazyObject(publisher),
        "legal_footer_pages": SimpleLazyObject(lambda: legal_state().footer_pages),
    }
