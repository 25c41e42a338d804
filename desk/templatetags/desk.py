from django import template

from desk.dashboard import desk_for
from desk.models import Notification

register = template.Library()


@register.simple_tag
def unread_notification_count(user):
    """One indexed COUNT, only on admin pages (templates/admin/base_site.html)."""
    if not (user.is_active and user.is_staff):
        return 0
    return Notification.objects.for_user(user).unread().count()


@register.simple_tag
def editorial_desk(user):
    """The admin home's desk for `user` (desk/dashboard.py): `{% editorial_desk user as desk %}`."""
    return desk_for(user)
