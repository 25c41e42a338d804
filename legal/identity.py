"""The publisher's identity, from one place, for notices, the footer, the TDM policy
and structured data (`legal.identity.publisher()`)."""

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class PublisherIdentity:
    name: str
    registered_office: str
    email: str
    phone: str
    url: str
    site_name: str
    domain: str

    @property
    def email_uri(self):
        return f"mailto:{self.email}" if self.email else ""

    @property
    def phone_uri(self):
        # tel: URIs carry no spaces or brackets (RFC 3966 global numbers).
        digits = "".join(ch for ch in self.phone if ch.isdigit() or ch == "+")
        return f"tel:{digits}" if digits else ""

    def placeholders(self):
        return {
            "publisher": self.name,
            "registered_office": self.registered_office,
            "email": self.email,
            "phone": self.phone,
            "site_url": self.url,
            "site_name": self.site_name,
        }

    @classmethod
    def from_model(cls, publisher):
        return cls(
            name=publisher.name,
            registered_office=publisher.registered_office,
            email=publisher.email,
            phone=publisher.phone,
            url=settings.SITE_URL,
            site_name=settings.SITE_NAME,
            domain=settings.SITE_DOMAIN,
        )


def publisher():
    """The publisher's identity in force (cached; no query on a warm cache)."""
    from .state import legal_state

    return legal_state().publisher
