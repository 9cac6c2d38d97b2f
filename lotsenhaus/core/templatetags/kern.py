"""KERN UX components for our templates: one place that writes a button, a POST button and a form section.

A page says what it wants (``{% post_button url label %}``) and this module writes KERN's markup for it, so a
new major version of KERN means editing these tags and their templates in ``templates/kern/components/``, not
every page. docs/architecture.md lists them; ``core/tests/test_components.py`` pins their markup.
"""

from typing import Any

from django import template
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


@register.simple_tag
def kern_button(
    label: Any, variant: str = "primary", size: str = "", type: str = "submit", name: str = "", value: str = ""
) -> SafeString:
    """``<button>`` in KERN markup; ``name`` and ``value`` tell one of several buttons of a form apart."""
    named = format_html(' name="{}" value="{}"', name, value) if name else ""
    return format_html(
        '<button type="{}"{} class="{}"><span class="kern-label">{}</span></button>',
        type,
        named,
        button_classes(variant, size),
        label,
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
def kern_link_button(href: str, label: Any, variant: str = "secondary", size: str = "", icon: str = "") -> SafeString:
    """A link that looks like a button (a step that opens another page, not one that changes data)."""
    return format_html(
        '<a class="{}" href="{}">{}<span class="kern-label">{}</span></a>',
        button_classes(variant, size),
        href,
        _icon(icon),
        label,
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
) -> dict[str, Any]:
    """A one-button form that POSTs to ``action`` (mark done, resolve, start): CSRF token included.

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
) -> dict[str, Any]:
    """One named form of a page with several (``core.pages.handle_forms`` tells them apart by ``name``; a form
    that posts to its own ``action`` needs no name): an optional heading and hint, the fields in KERN markup,
    one submit button (of ``variant`` and ``size``)."""
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
        "panel": panel,
        "size": size,
    }
