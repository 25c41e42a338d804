"""The publisher's text-and-data-mining reservation, decided in one place.

Every machine-readable layer (TDMRep file, headers and meta tags, robots.txt,
image metadata, structured data) asks this module, so they always agree.
TDMRep: https://www.w3.org/community/reports/tdmrep/CG-FINAL-tdmrep-20240510/
"""

from dataclasses import dataclass

from .models import Notice


@dataclass(frozen=True)
class TdmReservation:
    reserved: bool
    notice: Notice | None = None


def current_reservation():
    """Rights are reserved while a copyright / TDM notice is in force."""
    notice = Notice.objects.in_force(Notice.Kind.COPYRIGHT).first()
    return TdmReservation(reserved=notice is not None, notice=notice)
