from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lotsenhaus.accounts.models import User
from lotsenhaus.core.forms import VersionedModelForm, limit_choices, tristate_field
from lotsenhaus.exploration.models import Candidate
from lotsenhaus.organisations.models import Organisation
from lotsenhaus.procurement import advisor

from .models import Decision, Kpi, Pilot, RiskKind, Severity
from .services import CANVAS_FIELDS, CHECKLIST_FIELDS, PROCUREMENT_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PilotPartForm(VersionedModelForm):
    class Meta:
        model = Pilot
        fields: list[str] = []


class CanvasForm(PilotPartForm):
    class Meta:
        model = Pilot
        fields = CANVAS_FIELDS
        widgets = {"start_date": DATE, "end_date": DATE} | {
            name: forms.Textarea(attrs={"rows": 3})
            for name in (
                "goal",
                "hypotheses",
                "scope",
                "participating_units",
                "data_involved",
                "startup_duties",
                "authority_duties",
                "exit_criteria",
                "follow_up",
            )
        }


class ProcurementForm(PilotPartForm):
    """The advisor's inputs for this pilot; none that decides the procedure is pre-filled."""

    jurisdiction = forms.ChoiceField(
        label=_("Contracting authority"), choices=[("", _("Please choose")), *advisor.JURISDICTIONS.items()]
    )
    work_nature = forms.ChoiceField(label=_("Nature of the work"), choices=list(advisor.NATURES.items()))
    subject_matter = forms.ChoiceField(
        label=_("Subject matter"), choices=[("", _("Not answered")), *advisor.SUBJECTS.items()], required=False
    )
    market_available = tristate_field(_("Is the solution already available on the market?"))
    rd_exclusive_results = tristate_field(
        _("Research and development: do the results belong exclusively to the authority for its own use?")
    )
    rd_paid_in_full = tristate_field(_("Research and development: does the authority pay for the service in full?"))
    it_kind = forms.ChoiceField(label=_("Kind of IT contract"), choices=list(advisor.IT_KINDS.items()), required=False)

    class Meta:
        model = Pilot
        fields = [name for name in PROCUREMENT_FIELDS if name != "contracting_body"]
        widgets = {"procedure_reason": forms.Textarea(attrs={"rows": 3}), "procedure_start": DATE}
        labels = {"venture_client": _("The venture-client unit (GovTecHH) is involved in preparing the contract")}


class ChecklistForm(PilotPartForm):
    class Meta:
        model = Pilot
        fields = CHECKLIST_FIELDS
        widgets = {"ai_note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, use_cases: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if use_cases is not None:
            limit_choices(self, "ai_use_case", use_cases)


class KpiForm(forms.Form):
    name = forms.CharField(label=_("KPI"), max_length=200)
    unit = forms.CharField(label=_("Unit"), max_length=50, required=False)
    baseline = forms.DecimalField(label=_("Baseline"), max_digits=14, decimal_places=2)
    target = forms.DecimalField(label=_("Target"), max_digits=14, decimal_places=2)


class MeasurementForm(forms.Form):
    kpi = forms.ModelChoiceField(label=_("KPI"), queryset=Kpi.objects.none(), empty_label=_("Please choose"))
    measured_on = forms.DateField(label=_("Date"), widget=DATE)
    value = forms.DecimalField(label=_("Value"), max_digits=14, decimal_places=2)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, kpis: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "kpi", kpis)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Columns: KPI; date; value; note (optional). The first line may be a header."),
    )


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=200)
    due_on = forms.DateField(label=_("Due"), widget=DATE)
    owner = forms.ModelChoiceField(
        label=_("Owner"), queryset=User.objects.none(), required=False, empty_label=_("nobody in particular")
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "owner", people)


class StatusReportForm(forms.Form):
    text = forms.CharField(
        label=_("Where does the pilot stand?"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class RiskForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=RiskKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices)
    mitigation = forms.CharField(
        label=_("Measure"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices, widget=forms.RadioSelect)
    reasons = forms.CharField(
        label=_("Reasons, with the KPI evidence"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    scale_to = forms.ModelMultipleChoiceField(
        label=_("Roll out to (when scaling)"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    new_end_date = forms.DateField(label=_("New end (when extending)"), required=False, widget=DATE)

    def __init__(self, *args: Any, authorities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "scale_to", authorities)


class LessonsForm(forms.Form):
    text = forms.CharField(label=_("Lessons learned"), max_length=10000, widget=forms.Textarea(attrs={"rows": 12}))


class ChooseStartupForm(forms.Form):
    candidate = forms.ModelChoiceField(
        label=_("Startup for the pilot"),
        queryset=Candidate.objects.none(),
        empty_label=_("Please choose"),
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(
            self,
            "candidate",
            candidates,
            lambda c: c.startup.organisation.name + (f" – {c.solution.name}" if c.solution else ""),
        )
