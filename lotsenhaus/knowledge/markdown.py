"""Markdown to safe HTML: markdown-it renders (raw HTML off), nh3 (ammonia) then allows only a short list of
tags, attributes and URL schemes, so script, iframes, event handlers and javascript: links never reach a page."""

import html
from typing import Any

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_MD = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False, "breaks": True}).enable("table")

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"style"}, "td": {"style"}, "ol": {"start"}}


def _shift_headings(tokens: list[Any]) -> None:
    """The page has its own h1; an article's ``#`` becomes h2 and so on."""
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + 1, 6)}"


def render_markdown(text: str) -> SafeString:
    tokens = _MD.parse(text or "")
    _shift_headings(tokens)
    rendered = _MD.renderer.render(tokens, _MD.options, {})
    clean = nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        filter_style_properties={"text-align"},
    )
    return mark_safe(clean)  # noqa: S308 – sanitised by nh3 just above


def plain_text(text: str) -> str:
    """The words only, for the search index."""
    return html.unescape(nh3.clean(str(render_markdown(text)), tags=set()))
