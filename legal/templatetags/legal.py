from django import template

from legal.models import Notice

register = template.Library()


@register.inclusion_tag("includes/legal_notice.html")
def legal_notice():
    """The copyright and text-and-data-mining reservation in force, for the foot of articles."""
    return {"notice": Notice.objects.in_force(Notice.Kind.COPYRIGHT).first()}
