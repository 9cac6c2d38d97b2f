from typing import Any

from django import template

from ..forms import widget_kind

register = template.Library()


@register.filter
def kern_widget_kind(bound_field: Any) -> str:
    return widget_kind(bound_field.field.widget)
