from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotsenhaus.accounts.models import User
from lotsenhaus.core.vocabulary import Technology
from lotsenhaus.organisations.selectors import organisation_name_taken

from .models import (
    Certification,
    ContactPerson,
    Deployment,
    FundingStage,
    Hosting,
    Maturity,
    PublicReference,
    Solution,
    StartupProfile,
)


class SignupForm(forms.Form):
    """Extra fields of allauth's sign-up: a startup can register itself together with its first member."""

    name = forms.CharField(label=_("Full name"), max_length=150)
    startup_name = forms.CharField(
        label=_("Name of your startup"),
        max_length=200,
        required=False,
        help_text=_("Only if you register a startup. It stays unverified until the venture-client unit checks it."),
    )
    startup_website = forms.URLField(label=_("Website of your startup"), required=False, assume_scheme="https")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("startup_website") and not data.get("startup_name"):
            self.add_error("startup_name", _("Please enter the name of your startup."))
        if data.get("startup_name") and organisation_name_taken(data["startup_name"]):
            self.add_error(
                "startup_name",
                _("An organisation with this name already exists. If it is yours, ask the venture-client unit."),
            )
        return data

    def signup(self, request: Any, user: User) -> None:
        from .services import startup_register

        user.name = self.cleaned_data["name"]
        user.save(update_fields=["name"])
        if self.cleaned_data.get("startup_name"):
            startup_register(
                actor=user, name=self.cleaned_data["startup_name"], website=self.cleaned_data["startup_website"]
            )


class ProfileForm(forms.ModelForm[StartupProfile]):
    version = forms.IntegerField(widget=forms.HiddenInput)
    hosting_locations = forms.MultipleChoiceField(
        label=_("Where do you host?"), choices=Hosting.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = StartupProfile
        fields = [
            "short_description", "long_description", "legal_form", "founding_year", "seat", "team_size",
            "contact_name", "contact_email", "hosting_locations", "avv_available", "open_source_licence",
            "product_accessibility", "funding_stage",
        ]  # fmt: skip
        widgets = {
            "long_description": forms.Textarea(attrs={"rows": 6}),
            "short_description": forms.Textarea(attrs={"rows": 2}),
            "product_accessibility": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"short_description": _("At most 350 characters; shown in lists and search results.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
        stage = self.fields["funding_stage"]
        assert isinstance(stage, forms.ChoiceField)
        stage.choices = [("", _("Not stated")), *FundingStage.choices]

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class SolutionForm(forms.ModelForm[Solution]):
    technologies = forms.MultipleChoiceField(
        label=_("Technologies"), choices=Technology.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    deployment = forms.MultipleChoiceField(
        label=_("Deployment"), choices=Deployment.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    maturity = forms.ChoiceField(label=_("Maturity"), choices=Maturity.choices, widget=forms.RadioSelect)

    class Meta:
        model = Solution
        fields = [
            "name", "description", "capabilities", "technologies", "maturity", "deployment", "pricing_model",
            "interfaces", "languages",
        ]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 6}), "capabilities": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "interfaces": _("For example: XÖV, FIT-Connect, OZG, REST API."),
            "languages": _("For example: German, English, Easy Language."),
        }

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ReferenceForm(forms.ModelForm[PublicReference]):
    class Meta:
        model = PublicReference
        fields = ["public_body", "what", "year"]

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if year > timezone.localdate().year:
            raise forms.ValidationError(_("A reference cannot lie in the future."))
        return year


class ContactForm(forms.ModelForm[ContactPerson]):
    class Meta:
        model = ContactPerson
        fields = ["name", "role", "email", "phone"]


class CertificationForm(forms.ModelForm[Certification]):
    class Meta:
        model = Certification
        fields = ["kind", "name", "valid_until"]
        widgets = {"valid_until": forms.DateInput(attrs={"type": "date"})}


class ScoutForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    website = forms.URLField(
        label=_("Website"), assume_scheme="https", help_text=_("Needed so the startup can claim it.")
    )
    short_description = forms.CharField(label=_("Short description"), max_length=350, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Startup list (CSV or XLSX)"),
        help_text=_(
            "First row: column names. Required: Name. Optional: Website, Kurzbeschreibung, Sitz, Gründungsjahr, "
            "Teamgröße, Serverstandort (Deutschland, EU, außerhalb der EU), E-Mail. At most 5 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )


class SolutionImageForm(forms.Form):
    image = forms.FileField(
        label=_("Screenshot"),
        help_text=_("PNG, JPEG or WebP, at most 2 MB, at most five per solution."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )
    alt_text = forms.CharField(
        label=_("What does the image show?"),
        max_length=200,
        help_text=_("A short description for people who cannot see the image."),
    )
