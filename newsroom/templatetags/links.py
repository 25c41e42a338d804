from django import template

from newsroom.links import cached_reverse

register = template.Library()


@register.simple_tag
def cached_url(viewname, *args):
    """`{% url %}` for the links every page repeats, remembered (newsroom/links.py)."""
    return cached_reverse(viewname, *args)
