"""KERN UX form rendering for every Django form, allauth's included, and the service-call helper."""

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

from .exceptions import ApplicationError

T = TypeVar("T")

_INPUT_CLASS = "kern-form-input__input"
_CLASSES: dict[type, str] = {
    forms.CheckboxInput: "kern-form-check__checkbox",
    # CheckboxSelectMultiple subclasses RadioSelect in Django 5.2: it must be matched first (issue 17, D6).
    forms.CheckboxSelectMultiple: "kern-form-check__checkbox",
    forms.RadioSelect: "kern-form-check__radio",
    forms.Select: "kern-form-input__select",
    forms.SelectMultiple: "kern-form-input__select",
    forms.Textarea: _INPUT_CLASS,
    forms.widgets.Input: _INPUT_CLASS,
}


def widget_kind(widget: forms.Widget) -> str:
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return "choices"
    if isinstance(widget, forms.Select):
        return "select"
    return "input"


class KernBoundField(forms.BoundField):
    def build_widget_attrs(self, attrs: dict[str, Any], widget: forms.Widget | None = None) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        css = next((c for cls, c in _CLASSES.items() if isinstance(widget, cls)), "")
        if css:
            if self.errors:
                css = f"{css} {css}--error"
            attrs["class"] = " ".join(filter(None, [str(attrs.get("class", "")), css]))
        if self.errors:
            described = str(attrs.get("aria-describedby", ""))
            attrs["aria-describedby"] = " ".join(filter(None, [described, f"{self.auto_id}_error"]))
        return attrs


class KernFormRenderer(TemplatesSetting):
    form_template_name = "kern/forms/form.html"
    field_template_name = "kern/forms/field.html"
    bound_field_class = KernBoundField


def call_service(form: forms.BaseForm, service: Callable[[], T]) -> T | None:
    """Run ``service``; a refused business rule becomes a form error instead of a crash."""
    try:
        return service()
    except ApplicationError as error:
        field = error.field if error.field in form.fields else None
        form.add_error(field, error.message)
        return None


def limit_choices(form: forms.BaseForm, name: str, queryset: Any, label: Callable[[Any], str] | None = None) -> None:
    """Give a model choice field the rows this person may pick (and how to name them)."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset
    if label is not None:
        field.label_from_instance = label  # type: ignore[method-assign, assignment]


class VersionedModelForm(forms.ModelForm[Any]):
    """A model form that carries the row's version for optimistic locking and leaves saving to a service."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = getattr(self.instance, "version", None)

    def _post_clean(self) -> None:
        """The service validates the object as a whole; the form does not touch the instance."""

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


def tristate_field(label: Any, help_text: Any = "") -> forms.TypedChoiceField:
    """Yes, no, or not answered (None): for questions whose missing answer must stay visible as missing."""
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=[("", _("Not answered")), ("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=False,
    )
