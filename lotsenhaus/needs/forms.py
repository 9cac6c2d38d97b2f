"""The guided need form: five short steps, each saved as a draft."""

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotsenhaus.core.forms import limit_choices
from lotsenhaus.core.vocabulary import Technology
from lotsenhaus.organisations.models import Organisation

from .models import (
    AffectedGroup,
    Answer,
    Need,
    ProtectionClass,
)

MAX_BUDGET = Decimal("100000000")


class NeedStepForm(forms.ModelForm[Need]):
    """Base for every step: carries the version for optimistic locking and stores code lists."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Need
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version

    def _post_clean(self) -> None:
        """The services validate the need as a whole; the form does not touch the instance."""

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ProblemForm(NeedStepForm):
    affected_groups = forms.MultipleChoiceField(
        label=_("Who is affected?"), choices=AffectedGroup.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = Need
        fields = ["title", "problem", "affected_groups", "affected_count"]
        labels = {
            "title": _("Title"),
            "problem": _("What is the problem?"),
            "affected_count": _("How many people are affected?"),
        }
        help_texts = {
            "title": _("A short name for the need, e.g. “Faster processing of building applications”."),
            "problem": _("Describe it in plain language, without naming a technology or a product."),
            "affected_count": _("An estimate is enough, e.g. applications per year."),
        }
        widgets = {"problem": forms.Textarea(attrs={"rows": 6})}


class GoalForm(NeedStepForm):
    class Meta:
        model = Need
        fields = ["current_practice", "desired_outcome", "success_measure"]
        labels = {
            "current_practice": _("How is it done today?"),
            "desired_outcome": _("What should be better afterwards?"),
            "success_measure": _("How would you measure success?"),
        }
        help_texts = {"success_measure": _("For example: processing time falls from 12 to 6 weeks.")}
        widgets = {name: forms.Textarea(attrs={"rows": 5}) for name in fields}


class ConstraintsForm(NeedStepForm):
    protection_class = forms.ChoiceField(
        label=_("Protection class of the data"),
        choices=ProtectionClass.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text=_("Classified information (Verschlusssachen) must never be entered on this platform."),
    )

    class Meta:
        model = Need
        fields = ["data_involved", "protection_class", "hosting", "accessibility", "interfaces"]
        labels = {
            "data_involved": _("Which data are involved?"),
            "hosting": _("Hosting and data residency"),
            "accessibility": _("Accessibility requirements"),
            "interfaces": _("Interfaces to existing systems"),
        }
        help_texts = {
            "hosting": _("For example: operation in a German data centre, on-premises only."),
            "interfaces": _("For example: E-Akte, fachverfahren, XÖV standards, FIT-Connect."),
        }
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ["data_involved", "hosting", "accessibility", "interfaces"]
        }


class FrameForm(NeedStepForm):
    technologies = forms.MultipleChoiceField(
        label=_("Technology hints"),
        choices=Technology.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Optional. Leave empty if you do not want to suggest a technology."),
    )

    class Meta:
        model = Need
        fields = ["budget_min", "budget_max", "desired_start", "policy_field", "technologies"]
        labels = {
            "budget_min": _("Budget from (EUR)"),
            "budget_max": _("Budget up to (EUR)"),
            "desired_start": _("Desired start"),
            "policy_field": _("Policy field"),
        }
        widgets = {"desired_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("budget_min"), data.get("budget_max")
        for name in ("budget_min", "budget_max"):
            if data.get(name) is not None and data[name] > MAX_BUDGET:
                self.add_error(name, _("Please enter at most 100 million euros."))
        if low is not None and high is not None and low > high:
            self.add_error("budget_max", _("The upper budget must not be below the lower budget."))
        start: date | None = data.get("desired_start")
        if start and start < timezone.localdate():
            self.add_error("desired_start", _("The desired start must not lie in the past."))
        return data


class ContactForm(NeedStepForm):
    class Meta:
        model = Need
        fields = ["contact_name", "contact_email", "hide_organisation", "internal_notes"]
        labels = {
            "contact_name": _("Contact person"),
            "contact_email": _("Contact e-mail"),
            "hide_organisation": _("Publish without the name of my authority"),
            "internal_notes": _("Internal notes"),
        }
        help_texts = {"internal_notes": _("Only your organisation and the venture-client unit see these notes.")}
        widgets = {"internal_notes": forms.Textarea(attrs={"rows": 3})}


STEPS: list[tuple[str, Any, type[NeedStepForm]]] = [
    ("problem", _("Problem"), ProblemForm),
    ("goal", _("Today and goal"), GoalForm),
    ("constraints", _("Constraints"), ConstraintsForm),
    ("frame", _("Budget and timing"), FrameForm),
    ("contact", _("Contact"), ContactForm),
]


class NewNeedForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("For which authority?"), queryset=Organisation.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200, help_text=ProblemForm.Meta.help_texts["title"])

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organisations
        if organisations.count() == 1:
            field.initial = organisations.first()


class TransitionForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput, max_length=30)
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    answer_deadline = forms.DateField(
        label=_("Answer deadline"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class AnswerForm(forms.ModelForm[Answer]):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    attachment = forms.FileField(
        label=_("Attach a PDF"),
        required=False,
        help_text=_("PDF only, at most 10 MB. You can attach several files one after another."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )

    class Meta:
        model = Answer
        fields = ["solution", "approach", "references", "cost_estimate", "duration_weeks"]
        labels = {
            "solution": _("Which of your solutions?"),
            "approach": _("How would you solve the need?"),
            "references": _("Comparable projects and references"),
            "cost_estimate": _("Rough cost (EUR, net)"),
            "duration_weeks": _("Rough duration (weeks)"),
        }
        widgets = {"approach": forms.Textarea(attrs={"rows": 8}), "references": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, solutions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["solution"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = solutions
        field.empty_label = str(_("No specific solution"))
        self.fields["version"].initial = self.instance.version if self.instance.pk else None

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class CallForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    theme = forms.CharField(label=_("Common theme"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3}))
    deadline = forms.DateField(
        label=_("Answer deadline"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class CallNeedForm(forms.Form):
    need = forms.ModelChoiceField(label=_("Need"), queryset=Need.objects.none(), empty_label=_("Please choose"))

    def __init__(self, *args: Any, needs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "need", needs, lambda c: f"{c.title} ({c.get_status_display()})")


class PipelineBulkForm(forms.Form):
    """One action on the chosen needs of the pipeline overview."""

    ACTIONS = [
        ("publish", _("Publish (needs under review)")),
        ("assign", _("Assign a coordinator")),
        ("csv", _("Export the selection as CSV")),
        ("xlsx", _("Export the selection as Excel")),
    ]
    ids = forms.TypedMultipleChoiceField(
        coerce=int, choices=[], error_messages={"required": _("Please choose at least one need.")}
    )
    action = forms.ChoiceField(label=_("Action for the chosen needs"), choices=[("", _("Please choose")), *ACTIONS])
    answer_deadline = forms.DateField(
        label=_("Answer deadline (when publishing)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Leave empty to keep each need's own deadline."),
    )
    coordinator = forms.ModelChoiceField(
        label=_("Coordinator (when assigning)"), required=False, queryset=Organisation.objects.none()
    )

    def __init__(self, *args: Any, needs: Any, coordinators: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = self.fields["ids"]
        assert isinstance(ids, forms.TypedMultipleChoiceField)
        ids.choices = [(n.pk, n.title) for n in needs]
        limit_choices(self, "coordinator", coordinators, lambda person: person.name or person.email)
        coordinator = self.fields["coordinator"]
        assert isinstance(coordinator, forms.ModelChoiceField)
        coordinator.empty_label = str(_("Nobody (take the assignment away)"))


class PipelineViewForm(forms.Form):
    name = forms.CharField(label=_("Name of the view"), max_length=80)
