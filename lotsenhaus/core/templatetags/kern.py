"""KERN UX components for our templates: one place that writes a button, a POST button and a form section.

A page says what it wants (``{% post_button url label %}``) and this module writes KERN's markup for it, so a
new major version of KERN means editing these tags and their templates in ``templates/kern/components/``, not
every page. docs/architecture.md lists them; ``core/tests/test_components.py`` pins their markup.
"""

import inspect
from collections.abc import Callable
from typing import Any, TypeVar

from django import template
from django.template.library import parse_bits
from django.utils.html import format_html
from django.utils.safestring import SafeString

from ..forms import widget_kind

register = template.Library()

VARIANTS = ("primary", "secondary", "tertiary")
SIZES = ("", "x-small", "small", "large")


def button_classes(variant: str = "primary", size: str = "") -> str:
    """KERN's classes for a button of a variant (primary, secondary, tertiary) and an optional size."""
    if variant not in VARIANTS or size not in SIZES:
        raise template.TemplateSyntaxError(f"unknown KERN button variant or size: {variant!r}, {size!r}")
    return f"kern-btn kern-btn--{variant}" + (f" kern-btn--{size}" if size else "")


@register.filter
def kern_widget_kind(bound_field: Any) -> str:
    return widget_kind(bound_field.field.widget)


def _label(label: Any, hidden: Any = "") -> SafeString:
    """A button's label; ``hidden`` continues it for screen readers only (which of many "Remove" buttons)."""
    if hidden:
        return format_html('<span class="kern-label">{}<span class="sr-only">{}</span></span>', label, hidden)
    return format_html('<span class="kern-label">{}</span>', label)


@register.simple_tag
def kern_button(
    label: Any,
    variant: str = "primary",
    size: str = "",
    type: str = "submit",
    name: str = "",
    value: str = "",
    hidden: Any = "",
) -> SafeString:
    """``<button>`` in KERN markup; ``name`` and ``value`` tell one of several buttons of a form apart, ``hidden``
    continues the label for screen readers (": Kira Koordinatorin")."""
    named = format_html(' name="{}" value="{}"', name, value) if name else ""
    return format_html(
        '<button type="{}"{} class="{}">{}</button>', type, named, button_classes(variant, size), _label(label, hidden)
    )


def _icon(icon: str) -> SafeString:
    """KERN's icon before a label (decorative: the label says it)."""
    if icon and not icon.replace("-", "").isalnum():
        raise template.TemplateSyntaxError(f"not a KERN icon name: {icon!r}")
    return (
        format_html('<span class="kern-icon kern-icon--{}" aria-hidden="true"></span>', icon)
        if icon
        else SafeString("")
    )


@register.simple_tag
def kern_link_button(
    href: str,
    label: Any,
    variant: str = "secondary",
    size: str = "",
    icon: str = "",
    download: bool = False,
    hidden: Any = "",
) -> SafeString:
    """A link that looks like a button (a step that opens another page, not one that changes data); ``download``
    saves what it links instead of opening it."""
    return format_html(
        '<a class="{}" href="{}"{}>{}{}</a>',
        button_classes(variant, size),
        href,
        SafeString(" download") if download else "",
        _icon(icon),
        _label(label, hidden),
    )


@register.inclusion_tag("kern/components/post_button.html", takes_context=True)
def post_button(
    context: template.Context,
    action: str,
    label: Any,
    variant: str = "tertiary",
    size: str = "x-small",
    busy: Any = "",
    confirm: Any = "",
    inline: bool | None = None,
    hidden: Any = "",
) -> dict[str, Any]:
    """A one-button form that POSTs to ``action`` (mark done, resolve, start): CSRF token included; ``hidden``
    continues the label for screen readers.

    ``busy`` is the message the page shows while the server works on a long request (a report being written);
    ``confirm`` a question the browser asks first (closing an evaluation). A small button sits in the line of
    text before it unless ``inline=False``."""
    return {
        "busy": busy,
        "confirm": confirm,
        "csrf_token": context.get("csrf_token"),
        "action": action,
        "label": label,
        "variant": variant,
        "size": size,
        "inline": size == "x-small" if inline is None else inline,
        "hidden": hidden,
    }


@register.inclusion_tag("kern/components/form_section.html", takes_context=True)
def form_section(
    context: template.Context,
    form: Any,
    name: str,
    submit: Any,
    heading: Any = "",
    hint: Any = "",
    variant: str = "secondary",
    action: str = "",
    multipart: bool = False,
    panel: bool = True,
    size: str = "",
    cancel: str = "",
    level: int = 3,
) -> dict[str, Any]:
    """One named form of a page with several (``core.pages.handle_forms`` tells them apart by ``name``; a form
    that posts to its own ``action`` needs no name): an optional heading and hint, the fields in KERN markup,
    one submit button (of ``variant`` and ``size``) and, with ``cancel``, a link back that leaves the form unsent.
    The heading is an ``<h3>`` unless ``level`` says where it sits in the page's outline."""
    if level not in (2, 3, 4):
        raise template.TemplateSyntaxError(f"a form section's heading is h2, h3 or h4, not h{level}")
    return {
        "csrf_token": context.get("csrf_token"),
        "form": form,
        "name": name,
        "submit": submit,
        "heading": heading,
        "hint": hint,
        "variant": variant,
        "action": action,
        "multipart": multipart,
        "cancel": cancel,
        "level": level,
        "panel": panel,
        "size": size,
    }


# Tables and description lists: block tags that wrap what the page writes between them in KERN's markup.
# ``{% kern_table caption %}{% table_head %}{% th "Name" %}{% th "Count" "numeric" %}{% endtable_head %}
# {% table_body %}{% for … %}{% tr %}{% td %}…{% endtd %}{% td "numeric" %}…{% endtd %}{% endtr %}{% endfor %}
# {% endtable_body %}{% endkern_table %}``; ``{% description_list %}{% term "Label" %}…{% endterm %}
# {% enddescription_list %}``.

TABLE_SIZES = ("", "small")
CELL_VARIANTS = ("", "numeric", "action")


class _WrapNode(template.Node):
    """Renders its content inside markup that ``wrap`` builds from the tag's resolved arguments."""

    def __init__(self, nodelist: template.NodeList, args: list[Any], kwargs: dict[str, Any], wrap: Any) -> None:
        self.nodelist, self.args, self.kwargs, self.wrap = nodelist, args, kwargs, wrap

    def render(self, context: template.Context) -> str:
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {key: value.resolve(context) for key, value in self.kwargs.items()}
        return str(self.wrap(SafeString(self.nodelist.render(context)), *args, **kwargs))


Wrap = TypeVar("Wrap", bound=Callable[..., SafeString])


def _block_tag(name: str) -> Callable[[Wrap], Wrap]:
    """Register ``{% name args %}…{% endname %}`` whose markup is the decorated function's result."""

    def decorate(wrap: Wrap) -> Wrap:
        def compile_tag(parser: template.base.Parser, token: template.base.Token) -> _WrapNode:
            # Django's own parsing of a simple tag's arguments: positional and keyword, filters allowed, and a
            # misspelt or missing argument fails when the template is loaded, not when a page shows it.
            spec = inspect.getfullargspec(wrap)
            args, kwargs = parse_bits(  # type: ignore[call-arg]  # django-stubs lack takes_context (Django 5.2 has it)
                parser,
                token.split_contents()[1:],
                spec.args[1:],  # the first is the content between the tags
                spec.varargs,
                spec.varkw,
                spec.defaults,
                spec.kwonlyargs,
                spec.kwonlydefaults,
                False,  # type: ignore[arg-type]  # takes_context, see above
                name,
            )
            nodelist = parser.parse((f"end{name}",))
            parser.delete_first_token()
            return _WrapNode(nodelist, args, kwargs, wrap)

        register.tag(name, compile_tag)
        return wrap

    return decorate


@_block_tag("kern_table")
def kern_table(
    content: SafeString, caption: Any, caption_visible: bool = False, size: str = "", striped: bool = False
) -> SafeString:
    """A table that scrolls on its own on narrow screens, with a caption (read by screen readers; shown as a title
    when ``caption_visible``)."""
    if size not in TABLE_SIZES:
        raise template.TemplateSyntaxError(f"unknown KERN table size: {size!r}")
    classes = "kern-table" + (f" kern-table--{size}" if size else "") + (" kern-table--striped" if striped else "")
    return format_html(
        '<div class="kern-table-responsive"><table class="{}"><caption class="{}">{}</caption>{}</table></div>',
        classes,
        "kern-title" if caption_visible else "sr-only",
        caption,
        content,
    )


@_block_tag("table_head")
def table_head(content: SafeString) -> SafeString:
    return format_html('<thead class="kern-table__head"><tr class="kern-table__row">{}</tr></thead>', content)


@_block_tag("table_body")
def table_body(content: SafeString) -> SafeString:
    return format_html('<tbody class="kern-table__body">{}</tbody>', content)


@_block_tag("tr")
def table_row(content: SafeString) -> SafeString:
    return format_html('<tr class="kern-table__row">{}</tr>', content)


def _cell_class(base: str, variant: str) -> str:
    if variant not in CELL_VARIANTS:
        raise template.TemplateSyntaxError(f"unknown KERN table cell variant: {variant!r}")
    return base + (f" {base}--{variant}" if variant else "")


@register.simple_tag
def th(label: Any, variant: str = "", hidden: bool = False) -> SafeString:
    """A column's header (``numeric`` aligns it with its numbers, ``action`` for a column of buttons); a
    ``hidden`` label is read by screen readers only."""
    text = format_html('<span class="sr-only">{}</span>', label) if hidden else label
    return format_html('<th scope="col" class="{}">{}</th>', _cell_class("kern-table__header", variant), text)


@_block_tag("td")
def table_cell(content: SafeString, variant: str = "", row_header: bool = False, colspan: int = 1) -> SafeString:
    """A cell; ``row_header`` makes it the header of its row (``<th scope="row">``), ``colspan`` spans columns
    (a list's empty state in its one row)."""
    tag = "th" if row_header else "td"
    scope = SafeString(' scope="row"') if row_header else SafeString("")
    span = format_html(' colspan="{}"', int(colspan)) if int(colspan) > 1 else SafeString("")
    return format_html(
        '<{}{} class="{}"{}>{}</{}>', tag, scope, _cell_class("kern-table__cell", variant), span, content, tag
    )


@_block_tag("description_list")
def description_list(content: SafeString) -> SafeString:
    return format_html('<dl class="kern-description-list">{}</dl>', content)


@_block_tag("term")
def term(content: SafeString, label: Any) -> SafeString:
    """One entry of a description list: its label and what the page writes as its value."""
    return format_html(
        '<div class="kern-description-list-item"><dt class="kern-description-list-item__key">{}</dt>'
        '<dd class="kern-description-list-item__value">{}</dd></div>',
        label,
        content,
    )
