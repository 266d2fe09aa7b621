"""Template helpers of the API Docs page: JSON with its tokens coloured, method classes, and
which documented headers Try it out never sends."""

from __future__ import annotations

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from apidocs.swagger import Parameter
from apidocs.tryit import header_refusal

register = template.Library()

# Keys, strings, literals and numbers of (pretty-printed, possibly cut) JSON text.
_TOKEN = re.compile(
    r'(?P<string>"(?:\\.|[^"\\\n])*")(?P<colon>\s*:)?'
    r"|(?P<literal>\b(?:true|false|null)\b)"
    r"|(?P<number>-?\b\d+(?:\.\d+)?(?:[eE][+-]?\d+)?\b)"
)


@register.filter
def json_highlight(text: str) -> SafeString:
    """Escape the text and wrap JSON tokens in spans (`j-key`, `j-str`, `j-num`, `j-lit`)."""
    out: list[str] = []
    position = 0
    text = str(text or "")
    for match in _TOKEN.finditer(text):
        out.append(escape(text[position:match.start()]))
        if match.group("string") is not None:
            css = "j-key" if match.group("colon") else "j-str"
            out.append(f'<span class="{css}">{escape(match.group("string"))}</span>')
            if match.group("colon"):
                out.append(escape(match.group("colon")))
        elif match.group("literal") is not None:
            out.append(f'<span class="j-lit">{match.group("literal")}</span>')
        else:
            out.append(f'<span class="j-num">{match.group("number")}</span>')
        position = match.end()
    out.append(escape(text[position:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece above is escaped


@register.filter
def method_class(method: str) -> str:
    return f"method-{str(method).lower()}"


@register.filter
def refused_header(param: Parameter) -> bool:
    """A header parameter other than Authorization (which has its own note) that is never sent."""
    return param.location == "header" and not param.is_authorization and bool(header_refusal(param.name))
