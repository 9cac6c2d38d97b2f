"""The audit log's filters, for its page, its export and the API (``core.filters``)."""

from typing import Any

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from .filters import ListFilterSet
from .models import AuditEntry


class AuditFilterSet(ListFilterSet):
    """Newest first; words are looked for in the action and the actor's address."""

    search_fields = ("action", "actor__email")
    orderings = {"newest": ("-at", "-id")}
    default_ordering = "newest"

    action = django_filters.CharFilter(label=_("Action"), lookup_expr="icontains", max_length=100)
    actor = django_filters.CharFilter(
        label=_("Actor (e-mail)"), field_name="actor__email", lookup_expr="icontains", max_length=254
    )
    object_type = django_filters.CharFilter(label=_("Object type"), max_length=100)
    date_from = django_filters.DateFilter(
        label=_("From"), field_name="at", lookup_expr="date__gte", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = django_filters.DateFilter(
        label=_("To"), field_name="at", lookup_expr="date__lte", widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = AuditEntry
        fields: list[str] = []

    def __init__(self, *args: Any, object_types: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if object_types is not None:  # the page offers the types the log holds; the API takes any as text
            self.form.fields["object_type"].widget = forms.Select(
                choices=[("", _("All")), *((t, t) for t in object_types)]
            )
