"""Tags of the base layout (templates/base.html)."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.tag
def breadcrumbs(parser, token):
    """`{% breadcrumbs %}…{% endbreadcrumbs %}`: the page's trail in the layout's nav, or nothing at
    all when the page gives none, because an empty navigation landmark is still announced."""
    nodelist = parser.parse(("endbreadcrumbs",))
    parser.delete_first_token()
    return BreadcrumbsNode(nodelist)


class BreadcrumbsNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        # Template output, escaped already as it rendered.
        trail = mark_safe(self.nodelist.render(context).strip())
        if not trail:
            return ""
        return format_html('<nav class="breadcrumbs" aria-label="Breadcrumbs">{}</nav>', trail)
