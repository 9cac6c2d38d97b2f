from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lotsenhaus.organisations.models import Organisation

from .assessment import load_rules
from .models import ReaderMessage, UseCase


class UseCaseForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = UseCase
        fields = [
            "name", "short_description", "long_description", "status", "ai_type", "purpose", "process",
            "affected_persons", "impactful", "data_sources", "personal_data", "human_oversight", "risks", "legal_basis",
            "dpia_done", "objection_route", "provider", "contact_email", "start_date", "end_date", "challenge",
            "solution",
        ]  # fmt: skip
        widgets = {
            **{
                name: forms.Textarea(attrs={"rows": 3})
                for name in (
                    "long_description",
                    "purpose",
                    "process",
                    "affected_persons",
                    "data_sources",
                    "personal_data",
                    "human_oversight",
                    "risks",
                    "legal_basis",
                    "objection_route",
                )
            },
            "short_description": forms.Textarea(attrs={"rows": 2}),
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "short_description": _("At most 350 characters, in plain language."),
            "human_oversight": _("Who checks what, and can they overrule the system?"),
            "impactful": _(
                "Tick this if the results prepare or make decisions about citizens or companies, for example on an "
                "application, a benefit or a check. Registers such as the Dutch algorithm register list such uses "
                "as impactful."
            ),
            "contact_email": _(
                "A function address (not a person's) where readers can ask; needed before the record is published."
            ),
        }

    def __init__(self, *args: Any, challenges: Any = None, solutions: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version if self.instance.pk else None
        for name, queryset in (("challenge", challenges), ("solution", solutions)):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            if queryset is not None:
                field.queryset = queryset

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


def questionnaire_sections() -> list[tuple[Any, list[dict[str, Any]]]]:
    """The questions in the order of the regulation, grouped as the rule file groups them (titles in German,
    as the articles are quoted)."""
    rules = load_rules()
    return [
        (section["title"], [item for item in rules["questions"] if item["section"] == section["key"]])
        for section in rules["sections"]
    ]


class AssessmentForm(forms.Form):
    """One yes/no question per rule, each with a justification field."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for _title, items in questionnaire_sections():
            for item in items:
                self.fields[f"q_{item['key']}"] = forms.TypedChoiceField(
                    label=f"{item['question']} ({item['article']})",
                    help_text=item.get("help", ""),
                    choices=[("no", _("No")), ("yes", _("Yes"))],
                    coerce=lambda value: value == "yes",
                    widget=forms.RadioSelect,
                    # Every question starts unanswered and must be answered: one click must not give
                    # "minimal risk" unread.
                    required=True,
                    error_messages={"required": _("Please answer this question.")},
                )
                self.fields[f"j_{item['key']}"] = forms.CharField(
                    label=_("Justification"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
                )

    def sections(self) -> list[tuple[Any, list[tuple[Any, Any]]]]:
        return [
            (title, [(self[f"q_{item['key']}"], self[f"j_{item['key']}"]) for item in items])
            for title, items in questionnaire_sections()
        ]

    def answers(self) -> dict[str, bool]:
        return {name[2:]: value is True for name, value in self.cleaned_data.items() if name.startswith("q_")}

    def justifications(self) -> dict[str, str]:
        return {name[2:]: value for name, value in self.cleaned_data.items() if name.startswith("j_")}


class NewUseCaseForm(forms.Form):
    organisation: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Authority"), queryset=Organisation.objects.none()
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    short_description = forms.CharField(
        label=_("Short description"), max_length=350, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organisations


class ReaderMessageForm(forms.ModelForm):
    kind = forms.ChoiceField(label=_("Concern"), choices=ReaderMessage.Kind.choices, widget=forms.RadioSelect)

    class Meta:
        model = ReaderMessage
        fields = ["kind", "message", "email"]
        widgets = {"kind": forms.RadioSelect, "message": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"email": _("Only if you would like an answer.")}


class ReaderAnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3}))


class DutyCheckForm(forms.Form):
    done = forms.BooleanField(label=_("Done"), required=False)
    evidence = forms.CharField(
        label=_("Evidence"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What was done, and where it is documented."),
    )
