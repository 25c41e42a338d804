from django import template

from core.links import cached_reverse

register = template.Library()


@register.simple_tag
def cached_url(viewname, *args):
    """`{% url %}` for the links every page repeats, remembered (core/links.py)."""
    return cached_reverse(viewname, *args)
