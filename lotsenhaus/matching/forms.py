from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lotsenhaus.matching.models import Kind
from lotsenhaus.matching.selectors import SearchFilters
from lotsenhaus.startups.models import CertificationKind, Deployment, Hosting, Maturity
from lotsenhaus.startups.search import CERTIFICATION_BITS, DEPLOYMENT_BITS, HOSTING_BITS, MATURITY_ORDER, bits


class FilterFields(forms.Form):
    """Structured filters for solutions and startups; needs are filtered by budget."""

    maturity = forms.ChoiceField(
        label=_("Maturity at least"), required=False, choices=[("", _("Any")), *Maturity.choices]
    )
    hosting = forms.MultipleChoiceField(
        label=_("Hosting in"), required=False, choices=Hosting.choices, widget=forms.CheckboxSelectMultiple
    )
    deployment = forms.MultipleChoiceField(
        label=_("Deployment"), required=False, choices=Deployment.choices, widget=forms.CheckboxSelectMultiple
    )
    certifications = forms.MultipleChoiceField(
        label=_("Certifications (all of)"),
        required=False,
        choices=[c for c in CertificationKind.choices if c[0] != CertificationKind.OTHER],
        widget=forms.CheckboxSelectMultiple,
    )

    def filters(self) -> SearchFilters:
        data: dict[str, Any] = self.cleaned_data if self.is_valid() else {}
        maturity = data.get("maturity")
        return SearchFilters(
            min_maturity=MATURITY_ORDER.index(maturity) if maturity else None,
            hosting_any=bits(data.get("hosting") or [], HOSTING_BITS),
            deployment_any=bits(data.get("deployment") or [], DEPLOYMENT_BITS),
            certifications_all=bits(data.get("certifications") or [], CERTIFICATION_BITS),
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
        return any(data.get(name) for name in ("maturity", "hosting", "deployment", "certifications", "max_budget"))


class SimilarNeedsForm(forms.Form):
    title = forms.CharField(label=_("Title of your need"), required=False, max_length=200)
    problem = forms.CharField(
        label=_("What is the problem?"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
