from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotsenhaus.core.forms import VersionedModelForm, limit_choices
from lotsenhaus.organisations.selectors import unit_staff
from lotsenhaus.startups.selectors import verified_profiles

from .models import AdvisoryMilestone, AdvisorySession, Enrolment
from .selectors import enrolled_startup_ids

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AdmitForm(forms.Form):
    startup: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Startup"), queryset=None)
    advisor: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Advisor"), queryset=None)
    admitted_on = forms.DateField(label=_("Admitted on"), widget=DATE, initial=timezone.localdate)
    goals = forms.CharField(
        label=_("Goals of the advisory"), required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        candidates = verified_profiles().exclude(pk__in=enrolled_startup_ids())
        limit_choices(self, "startup", candidates, label=lambda p: p.organisation.name)
        limit_choices(self, "advisor", unit_staff().order_by("name", "email"))


class EnrolmentForm(VersionedModelForm):
    class Meta:
        model = Enrolment
        fields = ["advisor", "goals", "status", "ends_on"]
        widgets = {"ends_on": DATE, "goals": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "advisor", unit_staff().order_by("name", "email"))

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class MilestoneForm(forms.ModelForm[AdvisoryMilestone]):
    class Meta:
        model = AdvisoryMilestone
        fields = ["kind", "title", "due_on"]
        widgets = {"due_on": DATE}


class DoneForm(forms.Form):
    milestone = forms.IntegerField(widget=forms.HiddenInput)
    done_on = forms.DateField(label=_("Done on"), widget=DATE, initial=timezone.localdate)
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=500)


class SessionForm(forms.ModelForm[AdvisorySession]):
    class Meta:
        model = AdvisorySession
        fields = ["held_on", "topic", "notes", "next_steps"]
        widgets = {
            "held_on": DATE,
            "notes": forms.Textarea(attrs={"rows": 5}),
            "next_steps": forms.Textarea(attrs={"rows": 2}),
        }
