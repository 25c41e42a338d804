from django import template
from django.core.cache.utils import make_template_fragment_key

from newsroom.fragments import fragment_cache, keep, read

register = template.Library()


class CachedFragmentNode(template.Node):
    def __init__(self, nodelist, name, vary_on):
        self.nodelist = nodelist
        self.name = name
        self.vary_on = vary_on

    def render(self, context):
        found = fragment_cache(context.get("request"))
        if found is None:
            return self.nodelist.render(context)
        _cache, version, _deadline = found
        key = make_template_fragment_key(
            self.name, [version, *(value.resolve(context) for value in self.vary_on)]
        )
        html = read(found, key)
        if html is None:
            html = self.nodelist.render(context)
            keep(found, key, html)
        return html


@register.tag
def cached_fragment(parser, token):
    """`{% cached_fragment "name" value ... %}...{% endcached_fragment %}`: see newsroom.fragments.

    The values are everything the fragment shows that the content version does not cover.
    """
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"{bits[0]} needs a fragment name.")
    nodelist = parser.parse(("endcached_fragment",))
    parser.delete_first_token()
    name = bits[1].strip("\"'")
    return CachedFragmentNode(nodelist, name, [parser.compile_filter(bit) for bit in bits[2:]])
