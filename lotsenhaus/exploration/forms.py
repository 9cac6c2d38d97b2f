from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lotsenhaus.accounts.actors import Actor
from lotsenhaus.core.forms import VersionedModelForm, limit_choices
from lotsenhaus.startups.selectors import startups_named

from .models import Candidate, CandidateStatus, Channel, Exploration


class ExplorationForm(VersionedModelForm):
    class Meta:
        model = Exploration
        fields = ["method", "ended_at", "recommendation", "recommendation_reasons"]
        widgets = {
            "ended_at": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "method": forms.Textarea(attrs={"rows": 4}),
            "recommendation": forms.Textarea(attrs={"rows": 3}),
            "recommendation_reasons": forms.Textarea(attrs={"rows": 3}),
        }


class CandidateForm(VersionedModelForm):
    class Meta:
        model = Candidate
        fields = ["status", "exclusion_reason", "note"]
        widgets = {"exclusion_reason": forms.Textarea(attrs={"rows": 2}), "note": forms.Textarea(attrs={"rows": 2})}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == CandidateStatus.EXCLUDED and not (data.get("exclusion_reason") or "").strip():
            self.add_error("exclusion_reason", _("Please give the reason for the exclusion."))
        return data


class AddCandidateForm(forms.Form):
    """The startup is named, not picked from a list: the directory may hold many thousands."""

    startup = forms.CharField(label=_("Name of the startup"), max_length=200)
    note = forms.CharField(
        label=_("Why this startup?"), max_length=3000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, user: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_startup(self) -> Any:
        name = self.cleaned_data["startup"].strip()
        matches = list(startups_named(user=self.user, name=name, limit=6))
        if not matches:
            raise forms.ValidationError(_("No startup with this name was found in the directory."))
        exact = [p for p in matches if p.organisation.name.casefold() == name.casefold()]
        if len(exact) == 1:
            return exact[0]
        if len(matches) > 1:
            names = ", ".join(p.organisation.name for p in matches[:5])
            raise forms.ValidationError(
                _("Several startups match: %(names)s. Please give the full name.") % {"names": names}
            )
        return matches[0]


class SuggestionsForm(forms.Form):
    """The search's suggestions are previewed with their reasons; only the ticked ones join the long list."""

    limit = forms.IntegerField(
        label=_("How many suggestions?"), min_value=1, max_value=50, initial=10, widget=forms.HiddenInput
    )
    chosen = forms.TypedMultipleChoiceField(
        label=_("Suggestions to take"),
        coerce=int,
        choices=[],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Please tick at least one suggestion.")},
    )

    def __init__(self, *args: Any, suggestions: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["chosen"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [(result.obj.pk, result.title) for result in suggestions]


class PreviewForm(forms.Form):
    limit = forms.IntegerField(label=_("How many suggestions?"), min_value=1, max_value=50, initial=10)


class ContactForm(forms.Form):
    happened_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    participants = forms.CharField(label=_("Who took part"), max_length=300)
    summary = forms.CharField(label=_("Summary"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class QuestionForm(forms.Form):
    text = forms.CharField(
        label=_("Your question about the need"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )


class RecordQuestionForm(QuestionForm):
    candidate = forms.ModelChoiceField(
        label=_("Asked by"), queryset=Candidate.objects.none(), empty_label=_("Please choose")
    )

    def __init__(self, *args: Any, candidates: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].label = _("Question")
        if candidates is not None:
            limit_choices(self, "candidate", candidates, lambda c: c.startup.organisation.name)


class AnswerQuestionForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class CandidateBulkForm(forms.Form):
    """One action on several entries of the long list (issue 17: bulk actions)."""

    ACTIONS = [
        ("shortlist", _("Put on the short list")),
        ("exclude", _("Exclude (with the reason below)")),
        ("message", _("Write a message (each startup receives it on its own)")),
    ]
    ids = forms.TypedMultipleChoiceField(
        coerce=int, choices=[], error_messages={"required": _("Please choose at least one startup.")}
    )
    action = forms.ChoiceField(label=_("Action for the chosen startups"), choices=[("", _("Please choose")), *ACTIONS])
    reason = forms.CharField(
        label=_("Reason for the exclusion"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Stays in the procurement file; the startups are told without it."),
    )
    subject = forms.CharField(label=_("Subject of the message"), required=False, max_length=150)
    text = forms.CharField(
        label=_("Message"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["ids"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [(c.pk, str(c.pk)) for c in candidates]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") == "exclude" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Please give the reason for the exclusion."))
        if data.get("action") == "message":
            for name in ("subject", "text"):
                if not (data.get(name) or "").strip():
                    self.add_error(name, _("Please fill in this field."))
        return data
