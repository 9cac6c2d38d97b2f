from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lotsenhaus.accounts.models import User
from lotsenhaus.airegister.selectors import use_cases_visible
from lotsenhaus.core.forms import VersionedModelForm, limit_choices
from lotsenhaus.needs.selectors import needs_visible
from lotsenhaus.organisations.models import Organisation
from lotsenhaus.pilots.selectors import pilot_list
from lotsenhaus.startups.selectors import startup_directory

from .models import Article, ExpertProfile, PublicField


class ListField(forms.CharField):
    def prepare_value(self, value: Any) -> Any:
        return ", ".join(value) if isinstance(value, list) else value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [t.strip() for t in text.split(",") if t.strip()]


class ArticleForm(VersionedModelForm):
    tags = ListField(label=_("Tags"), required=False, help_text=_("Separated by commas, e.g. KI, Datenschutz."))

    class Meta:
        model = Article
        fields = ["kind", "title", "summary", "body", "tags", "visibility", "needs", "pilot", "use_cases", "startups"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 18}),
            "summary": forms.Textarea(attrs={"rows": 2}),
            "needs": forms.SelectMultiple(attrs={"size": 6}),
            "use_cases": forms.SelectMultiple(attrs={"size": 4}),
            "startups": forms.SelectMultiple(attrs={"size": 6}),
        }
        help_texts = {
            "body": _(
                "Markdown: # heading, **bold**, *italic*, - list, [link](https://…). "
                "HTML is not allowed and is removed."
            ),
            "visibility": _("Internal articles are read only inside the administration, by the unit and experts."),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].required = bool(self.instance.pk)
        limit_choices(self, "needs", needs_visible(user=user).order_by("title"))
        limit_choices(self, "pilot", pilot_list(user=user), label=lambda p: p.need.title)
        limit_choices(self, "use_cases", use_cases_visible(user=user).order_by("name"))
        limit_choices(self, "startups", startup_directory(user=user).order_by("organisation__name"))

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ReturnForm(forms.Form):
    note = forms.CharField(label=_("What should change?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=3000)


class ExpertProfileForm(VersionedModelForm):
    expertise = ListField(label=_("Areas of expertise"), help_text=_("Separated by commas."), max_length=1000)
    languages = ListField(label=_("Languages"), help_text=_("e.g. Deutsch, Englisch."), max_length=300)
    public_fields = forms.MultipleChoiceField(
        label=_("Shown in the public directory besides your name and role"),
        choices=PublicField.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = ExpertProfile
        fields = [
            "headline",
            "organisation",
            "expertise",
            "bio",
            "languages",
            "availability",
            "availability_note",
            "is_public",
            "public_fields",
        ]
        widgets = {"bio": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].required = bool(self.instance.pk)
        own = Organisation.objects.filter(memberships__user=user, memberships__is_active=True).order_by("name")
        limit_choices(self, "organisation", own)

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class InviteEvaluationForm(forms.Form):
    evaluation: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Evaluation"), queryset=None)

    def __init__(self, *args: Any, evaluations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "evaluation", evaluations, label=lambda e: e.need.title)


class InviteAssessmentForm(forms.Form):
    use_case: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("AI use case"), queryset=None)
    message = forms.CharField(
        label=_("Message (optional)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, use_cases: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "use_case", use_cases)
