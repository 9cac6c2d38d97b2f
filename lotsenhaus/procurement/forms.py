from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotsenhaus.core.forms import VersionedModelForm

from . import advisor
from .models import ValueLimit


class AdvisorForm(forms.Form):
    value = forms.DecimalField(
        label=_("Estimated net contract value (EUR)"), min_value=0, max_digits=12, decimal_places=2
    )
    body = forms.ChoiceField(label=_("Contracting body"), choices=list(advisor.BODIES.items()), initial="subcentral")
    nature = forms.ChoiceField(label=_("Nature of the work"), choices=list(advisor.NATURES.items()), initial="services")
    innovative = forms.BooleanField(label=_("Conceptual or innovative solution"), required=False)
    venture_client = forms.BooleanField(label=_("The venture-client unit is involved"), required=False, initial=True)
    it_kind = forms.ChoiceField(label=_("Kind of IT contract"), choices=list(advisor.IT_KINDS.items()), required=False)
    on = forms.DateField(
        label=_("Date of the award"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Limits change over time; without a date, today counts."),
    )

    def question(self) -> advisor.Question:
        data = self.cleaned_data
        return advisor.Question(
            value=data["value"],
            body=data["body"],
            nature=data["nature"],
            innovative=data["innovative"],
            venture_client=data["venture_client"],
            on=data["on"] or timezone.localdate(),
            it_kind=data["it_kind"] or "",
        )


class ValueLimitForm(VersionedModelForm):
    class Meta:
        model = ValueLimit
        fields = ["key", "jurisdiction", "amount", "valid_from", "valid_to", "source", "source_url"]
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "valid_to": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].required = bool(self.instance.pk)
