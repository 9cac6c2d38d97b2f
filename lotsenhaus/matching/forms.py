from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lotsenhaus.matching.models import Kind
from lotsenhaus.matching.registry import FACETS
from lotsenhaus.matching.selectors import SearchFilters


class FilterFields(forms.Form):
    """Structured filters for solutions and startups – the facets the startups app registers
    (``matching.registry.FACETS``) – and, where a form has it, the needs' budget."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        facets = FACETS.fields()
        self.facet_names = list(facets)
        self.fields.update(facets)
        self.order_fields(self.field_order)

    @property
    def facet_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.facet_names]

    def filters(self) -> SearchFilters:
        data: dict[str, Any] = self.cleaned_data if self.is_valid() else {}
        return SearchFilters(
            **FACETS.filters(data),
            max_budget=float(data["max_budget"]) if data.get("max_budget") is not None else None,
        )


class NeedMatchesForm(FilterFields):
    kind = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("solution", _("Solutions")), ("startup", _("Startups"))],
    )

    field_order = ["kind"]


class SearchForm(FilterFields):
    q = forms.CharField(label=_("Search for"), required=False, max_length=10_000)
    kind = forms.ChoiceField(label=_("Show"), required=False, choices=[("", _("Everything")), *Kind.choices])
    max_budget = forms.DecimalField(
        label=_("Needs with a budget up to (EUR)"), required=False, min_value=0, max_digits=12, decimal_places=0
    )

    field_order = ["q", "kind"]

    @property
    def has_filters(self) -> bool:
        data = self.cleaned_data if self.is_valid() else {}
        return any(data.get(name) for name in (*self.facet_names, "max_budget"))


class SimilarNeedsForm(forms.Form):
    title = forms.CharField(label=_("Title of your need"), required=False, max_length=200)
    problem = forms.CharField(
        label=_("What is the problem?"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
