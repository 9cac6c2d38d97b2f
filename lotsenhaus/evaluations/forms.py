from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lotsenhaus.accounts.models import User
from lotsenhaus.core.forms import VersionedModelForm, limit_choices

from .models import Criterion, CriterionKind, Evaluation
from .scoring import percent


class SettingsForm(VersionedModelForm):
    class Meta:
        model = Evaluation
        fields = ["scale_max", "price_method", "tolerance_percent", "decision_rule", "decision_criterion"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "decision_criterion", self.instance.criteria.filter(kind=CriterionKind.WEIGHTED))
        self.fields["decision_criterion"].required = False


class CriterionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=CriterionKind.choices, widget=forms.RadioSelect, initial=CriterionKind.WEIGHTED
    )
    name = forms.CharField(label=_("Criterion"), max_length=200)
    description = forms.CharField(
        label=_("Description"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    weight = forms.DecimalField(label=_("Weight (%)"), min_value=0, max_value=100, decimal_places=2, required=False)
    levels = forms.CharField(
        label=_("What each level means"),
        help_text=_("One line per level, from 0 up to the top of the scale (a weighted criterion only)."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def service_args(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "name": data["name"],
            "description": data["description"],
            "weight": data["weight"] or 0,
            "levels": data["levels"].splitlines(),
        }


class InviteForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Person"), queryset=User.objects.none(), empty_label=_("Please choose"))

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "user", people, lambda u: f"{u.name} <{u.email}>" if u.name else u.email)


class PriceForm(forms.Form):
    candidate = forms.IntegerField(widget=forms.HiddenInput)
    amount = forms.DecimalField(label=_("Price (EUR, net)"), min_value=1, max_digits=12, decimal_places=2)


class DeclarationForm(forms.Form):
    conflicted = forms.TypedChoiceField(
        label=_("Do you have a conflict of interest with this startup?"),
        choices=[("no", _("No, I have no conflict of interest")), ("yes", _("Yes, I have a conflict of interest"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note (optional)"), max_length=500, required=False)


def score_form(
    evaluation: Evaluation, criteria: list[Criterion], initial: dict[str, Any], data: Any = None, prefix: str = ""
) -> forms.Form:
    """One field per criterion: the points with what each level means, or pass/fail."""
    fields: dict[str, forms.Field] = {}
    for criterion in criteria:
        key = f"c{criterion.pk}"
        if criterion.kind == CriterionKind.WEIGHTED:
            choices = [("", _("not scored yet"))] + [
                (str(level), f"{level} – {text}") for level, text in enumerate(criterion.levels)
            ]
            fields[key] = forms.TypedChoiceField(
                label=f"{criterion.name} ({percent(criterion.weight)})",
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                help_text=criterion.description,
            )
        else:
            fields[key] = forms.TypedChoiceField(
                label=_("%(name)s (exclusion criterion)") % {"name": criterion.name},
                choices=[("", _("not judged yet")), ("pass", _("met")), ("fail", _("not met: excluded"))],
                coerce=lambda value: value == "pass",
                empty_value=None,
                required=False,
                help_text=criterion.description,
            )
        # Not required for saving part of a sheet, but needed to submit: not marked "optional" (issue 17, D36).
        fields[key].show_optional = False  # type: ignore[attr-defined]
        fields[f"{key}_comment"] = forms.CharField(
            label=_("Comment on “%(name)s”") % {"name": criterion.name}, max_length=1000, required=False
        )
    form_class = type("ScoreForm", (forms.Form,), fields)
    return form_class(data, initial=initial, prefix=prefix)


def score_values(form: forms.Form, criteria: list[Criterion]) -> dict[int, dict[str, Any]]:
    values = {}
    for criterion in criteria:
        value = form.cleaned_data.get(f"c{criterion.pk}")
        key = "points" if criterion.kind == CriterionKind.WEIGHTED else "passed"
        values[criterion.pk] = {key: value, "comment": form.cleaned_data.get(f"c{criterion.pk}_comment", "")}
    return values
