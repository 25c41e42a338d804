from django.db import transaction
from django.db.models import Max

from .models import Notice, NoticeVersion


@transaction.atomic
def notice_revise(*, notice: Notice, version: NoticeVersion, user=None) -> NoticeVersion:
    """Add `version` as the next version of `notice`; earlier versions stay untouched."""
    # Lock the notice row so two editors saving at once get consecutive numbers.
    Notice.objects.select_for_update().filter(pk=notice.pk).first()
    latest = notice.versions.aggregate(latest=Max("version"))["latest"] or 0
    version.notice = notice
    version.version = latest + 1
    version.created_by = user
    version.full_clean()
    version.save()
    return version
