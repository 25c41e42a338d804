from django import template

from publishing.fragments import cached_html

register = template.Library()


class CachedFragmentNode(template.Node):
    def __init__(self, nodelist, name, vary_on):
        self.nodelist = nodelist
        self.name = name
        self.vary_on = vary_on

    def render(self, context):
        return cached_html(
            context.get("request"),
            self.name,
            [value.resolve(context) for value in self.vary_on],
            lambda: self.nodelist.render(context),
        )


@register.tag
def cached_fragment(parser, token):
    """`{% cached_fragment "name" value ... %}...{% endcached_fragment %}`: see publishing.fragments.

    The values are everything the fragment shows that the content version does not cover.
    """
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"{bits[0]} needs a fragment name.")
    nodelist = parser.parse(("endcached_fragment",))
    parser.delete_first_token()
    name = bits[1].strip("\"'")
    return CachedFragmentNode(nodelist, name, [parser.compile_filter(bit) for bit in bits[2:]])
