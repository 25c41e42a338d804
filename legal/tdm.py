"""The publisher's text-and-data-mining reservation, decided in one place.

Every machine-readable layer (TDMRep file, headers and meta tags, robots.txt,
image metadata, structured data) asks this module, so they always agree.
TDMRep: https://www.w3.org/community/reports/tdmrep/CG-FINAL-tdmrep-20240510/
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import Error as DatabaseFailure
from django.urls import reverse

from .identity import publisher
from .models import Notice, NoticeVersion
from .state import legal_state

ODRL_CONTEXT = ["http://www.w3.org/ns/odrl.jsonld", "http://www.w3.org/ns/tdmrep.jsonld"]
TDMREP_PROFILE = "http://www.w3.org/ns/tdmrep"


@dataclass(frozen=True)
class TdmReservation:
    reserved: bool
    notice: NoticeVersion | None = None
    # Absolute URL of the machine-readable policy (ODRL, application/ld+json); "" when not reserved.
    policy_url: str = ""
    # Absolute URL of the human legal page the article notice links to ("here").
    page_url: str = ""

    @property
    def value(self):
        """The TDMRep `tdm-reservation` value: "1" reserved, "0" not."""
        return "1" if self.reserved else "0"

    def headers(self):
        """The TDMRep HTTP headers; no policy while nothing is reserved (agents ignore it)."""
        headers = {"tdm-reservation": self.value}
        if self.reserved:
            headers["tdm-policy"] = self.policy_url
        return headers


# (legal state, its reservation): every response asks, for its headers and meta tags.
_last = (None, None)


def current_reservation():
    """Rights are reserved while the site copyright notice in force says so (cached)."""
    global _last
    try:
        state = legal_state()
    except DatabaseFailure:
        # Nothing says the reservation is lifted: reserve, as a publisher would.
        return unreadable_reservation()
    known_state, reservation = _last
    if known_state is not state:
        reservation = _reservation(state)
        _last = (state, reservation)
    return reservation


def unreadable_reservation():
    """The reservation while the legal state cannot be read: reserved, from settings only."""
    return TdmReservation(
        reserved=True, policy_url=f"{settings.SITE_URL}{reverse('legal:tdm-policy')}"
    )


def _reservation(state):
    notice = state.site_notice(Notice.Kind.COPYRIGHT)
    reserved = notice is not None and notice.reserves_tdm
    site_url = state.publisher.url
    page_url = ""
    if notice is not None and notice.url:
        page_url = notice.url if "://" in notice.url else f"{site_url}{notice.url}"
    return TdmReservation(
        reserved=reserved,
        notice=notice,
        policy_url=f"{site_url}{reverse('legal:tdm-policy')}" if reserved else "",
        page_url=page_url,
    )


def tdmrep_rules(reservation=None):
    """`/.well-known/tdmrep.json`: one rule covering the whole site."""
    reservation = reservation or current_reservation()
    rule = {"location": "/", "tdm-reservation": int(reservation.value)}
    if reservation.reserved:
        rule["tdm-policy"] = reservation.policy_url
    return [rule]


def policy_document(reservation=None):
    """The TDMRep ODRL `Offer`: mining needs the publisher's consent; who to ask and where."""
    reservation = reservation or current_reservation()
    identity = publisher()
    assigner = {
        "uid": identity.url,
        "vcard:fn": identity.name,
        "vcard:nickname": identity.site_name,
    }
    if identity.email_uri:
        assigner["vcard:hasEmail"] = identity.email_uri
    if identity.phone_uri:
        assigner["vcard:hasTelephone"] = identity.phone_uri
    if identity.registered_office:
        assigner["vcard:hasAddress"] = {
            "@type": "vcard:Address",
            "vcard:street-address": identity.registered_office,
        }
    assigner["vcard:hasURL"] = reservation.page_url
    return {
        "@context": ODRL_CONTEXT,
        "@type": "Offer",
        "profile": TDMREP_PROFILE,
        # One uid per notice version, so a changed policy is a different policy.
        "uid": f"{reservation.policy_url}#v{reservation.notice.version}"
        if reservation.notice
        else reservation.policy_url,
        "assigner": assigner,
        "permission": [{"action": "tdm:mine", "duty": [{"action": "obtainConsent"}]}],
    }
