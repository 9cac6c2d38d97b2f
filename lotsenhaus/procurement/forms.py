from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotsenhaus.core.forms import VersionedModelForm, tristate_field

from . import advisor
from .models import ValueLimit


def _amount(label: Any, help_text: Any = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label, help_text=help_text, min_value=0, max_digits=12, decimal_places=2, required=False
    )


class AdvisorForm(forms.Form):
    """Everything the advisor needs; nothing that decides the outcome is pre-filled."""

    jurisdiction = forms.ChoiceField(
        label=_("Contracting authority"), choices=[("", _("Please choose")), *advisor.JURISDICTIONS.items()]
    )
    nature = forms.ChoiceField(label=_("Nature of the work"), choices=list(advisor.NATURES.items()), initial="services")
    value = forms.DecimalField(
        label=_("Estimated net value of this order (EUR)"), min_value=0, max_digits=12, decimal_places=2
    )
    options_value = _amount(_("Options (EUR, net)"))
    extensions_value = _amount(_("Extensions (EUR, net)"))
    follow_up_value = _amount(
        _("Follow-up orders (EUR, net)"), _("E.g. the roll-out after a successful pilot, if it is already planned.")
    )
    call_offs_value = _amount(_("Further call-offs under a framework agreement (EUR, net)"))
    subject = forms.ChoiceField(
        label=_("Subject matter"), choices=[("", _("Not answered")), *advisor.SUBJECTS.items()], required=False
    )
    term_months = forms.IntegerField(label=_("Contract term (months)"), min_value=1, max_value=600, required=False)
    innovative = forms.BooleanField(label=_("Conceptual or innovative solution"), required=False)
    market_available = tristate_field(_("Is the solution already available on the market?"))
    venture_client = forms.BooleanField(
        label=_("The venture-client unit (GovTecHH) is involved in preparing or negotiating the contract"),
        required=False,
    )
    rd_exclusive_results = tristate_field(
        _("Research and development: do the results belong exclusively to the authority for its own use?")
    )
    rd_paid_in_full = tristate_field(_("Research and development: does the authority pay for the service in full?"))
    it_kind = forms.ChoiceField(label=_("Kind of IT contract"), choices=list(advisor.IT_KINDS.items()), required=False)
    on = forms.DateField(
        label=_("Start of the procedure"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The limits valid on the day the procedure starts count (§ 3 Abs. 3 VgV); without a date, today."),
    )

    def question(self) -> advisor.Question:
        data = self.cleaned_data
        zero = Decimal(0)
        return advisor.Question(
            value=data["value"],
            jurisdiction=data["jurisdiction"],
            nature=data["nature"],
            innovative=data["innovative"],
            venture_client=data["venture_client"],
            on=data["on"] or timezone.localdate(),
            it_kind=data["it_kind"] or "",
            subject=data["subject"] or "",
            term_months=data["term_months"],
            options_value=data["options_value"] or zero,
            extensions_value=data["extensions_value"] or zero,
            follow_up_value=data["follow_up_value"] or zero,
            call_offs_value=data["call_offs_value"] or zero,
            market_available=data["market_available"],
            rd_exclusive_results=data["rd_exclusive_results"],
            rd_paid_in_full=data["rd_paid_in_full"],
        )


class ValueLimitForm(VersionedModelForm):
    class Meta:
        model = ValueLimit
        fields = [
            "key", "jurisdiction", "amount", "valid_from", "valid_to", "source", "reference", "source_url",
            "checked_on", "max_term_months",
        ]  # fmt: skip
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "valid_to": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "checked_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    reason = forms.CharField(
        label=_("Reason and publication"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why the change, and where it was published (e.g. “Amtl. Anz. Nr. 98 of 15 Dec 2026, p. 1234”)."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].required = bool(self.instance.pk)
