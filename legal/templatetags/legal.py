from django import template

from legal.notices import article_notice

register = template.Library()


@register.inclusion_tag("includes/legal_notice.html")
def legal_notice(article=None):
    """The notice for the foot of `article` (override rules in legal.notices), no query."""
    return {"notice": article_notice(article)}
