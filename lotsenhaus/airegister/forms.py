from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lotsenhaus.organisations.models import Organisation

from .assessment import load_rules
from .models import ReaderMessage, UseCase

# The edit form in parts; what the UK ATRS asks beyond the Dutch register is spread over them by topic.
USE_CASE_SECTIONS: list[tuple[Any, Any, list[str]]] = [
    (
        _("The use case"),
        "",
        ["name", "short_description", "long_description", "status", "ai_type", "start_date", "end_date", "need",
         "solution", "provider", "contact_email"],
    ),
    (
        _("Purpose and use"),
        "",
        ["purpose", "scope", "process", "provided_information", "affected_persons", "usage_scale", "impactful",
         "human_oversight", "required_training", "objection_route"],
    ),
    (
        _("Responsibility"),
        "",
        ["team", "responsible_owner"],
    ),
    (
        _("System and model"),
        _("If you bought a ready-made product, write what its provider states; ask them if something is missing."),
        ["system_architecture", "maintenance", "model_name", "model_version", "model_task", "model_input",
         "model_output", "model_architecture", "model_performance", "model_datasets"],
    ),
    (
        _("Data"),
        "",
        ["data_sources", "data_modality", "data_quantities", "personal_data", "data_completeness", "data_access_url",
         "data_collection", "data_sharing", "data_storage"],
    ),
    (
        _("Law, risks and assessments"),
        "",
        ["legal_basis", "dpia_done", "impact_assessment", "risks"],
    ),
]  # fmt: skip
SHORT_TEXTS = ("team", "responsible_owner", "model_name", "model_version", "provider", "name", "contact_email")


class UseCaseForm(forms.ModelForm[UseCase]):
    template_name = "kern/forms/sectioned.html"
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = UseCase
        fields = [name for _title, _intro, names in USE_CASE_SECTIONS for name in names]
        widgets = {
            **{
                name: forms.Textarea(attrs={"rows": 3})
                for _title, _intro, names in USE_CASE_SECTIONS
                for name in names
                if name not in SHORT_TEXTS and UseCase._meta.get_field(name).get_internal_type() == "TextField"
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
            "scope": _("What the system is meant for, and what it must not be used for."),
            "provided_information": _("What staff get from the system: a suggestion, a score, a draft text, a map …"),
            "usage_scale": _(
                "How often it is used and for how many cases or people, e.g. about 400 applications a month."
            ),
            "required_training": _("What the staff who work with it learn before they use it, and from whom."),
            "team": _("The team that looks after the system day to day."),
            "responsible_owner": _("The person at management level who answers for its use, with their role."),
            "system_architecture": _("How the parts fit together: where it runs and which systems it is connected to."),
            "maintenance": _("Who maintains and reviews the system, and how often."),
            "model_name": _("The product or the AI model used, e.g. the name of an open language model."),
            "model_task": _("What the model does, in one or two sentences."),
            "model_input": _("What goes into the model, e.g. the text of an application."),
            "model_output": _("What comes out, e.g. a category with a confidence value."),
            "model_architecture": _(
                "The kind of model, e.g. a language model (transformer), a decision tree or an image classifier."
            ),
            "model_performance": _(
                "How well it works, with figures where there are any (hit rate, error rate), also for different groups "
                "of people."
            ),
            "model_datasets": _(
                "Which data the model was trained and tested on, and what each was used for. For a pre-trained model: "
                "what its provider states."
            ),
            "data_quantities": _("How much data, e.g. the number of records or documents."),
            "personal_data": _("Which personal or sensitive data it processes; write “none” if there are none."),
            "data_completeness": _("Gaps in the data, and whether they represent everyone the system affects."),
            "data_access_url": _("A link if the data are open data; otherwise why they are not public."),
            "data_collection": _("Where the data come from and for what purpose they were first collected."),
            "data_sharing": _(
                "Agreements under which data are passed on or received, e.g. a data processing agreement with the "
                "provider; write “none” if there are none."
            ),
            "data_storage": _(
                "Who can access the data, where and for how long they are kept, and how they are protected."
            ),
            "impact_assessment": _(
                "Which assessments were made besides a data protection impact assessment (e.g. on equal treatment), "
                "when, and what they found; a link if they are public."
            ),
        }

    def __init__(self, *args: Any, needs: Any = None, solutions: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version if self.instance.pk else None
        for name, queryset in (("need", needs), ("solution", solutions)):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            if queryset is not None:
                field.queryset = queryset

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def sections(self) -> list[tuple[Any, Any, list[Any]]]:
        return [(title, intro, [self[name] for name in names]) for title, intro, names in USE_CASE_SECTIONS]


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
    organisation: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
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


class ReaderMessageForm(forms.ModelForm[ReaderMessage]):
    kind = forms.ChoiceField(label=_("Concern"), choices=ReaderMessage.Kind.choices, widget=forms.RadioSelect)

    class Meta:
        model = ReaderMessage
        fields = ["kind", "message", "email"]
        widgets = {"kind": forms.RadioSelect, "message": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"email": _("Only if you would like an answer.")}


class SignOffForm(forms.Form):
    """The invited expert's view beside an AI Act assessment: agreeing or not, always with a reason."""

    agrees = forms.ChoiceField(
        label=_("Your view as expert"),
        choices=[("yes", _("I agree with the result")), ("no", _("I do not agree with the result"))],
        widget=forms.RadioSelect,
    )
    view = forms.CharField(
        label=_("Why (it is shown beside the assessment)"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )


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
