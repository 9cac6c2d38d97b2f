from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MembershipRole, Organisation, OrganisationKind
from .selectors import organisation_parent_choices


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    short_name = forms.CharField(
        label=_("Short name"), max_length=40, required=False, help_text=_("For example BSW or LSBG.")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("Please choose")), *OrganisationKind.choices])
    parent = forms.ModelChoiceField(
        label=_("Part of"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Only for public bodies, e.g. an office inside an authority."),
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    email_domains = forms.CharField(
        label=_("E-mail domains"),
        max_length=300,
        required=False,
        help_text=_("Comma-separated, e.g. bsw.hamburg.de. Used to assign single sign-on users."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parent_field = self.fields["parent"]
        assert isinstance(parent_field, forms.ModelChoiceField)
        parent_field.queryset = organisation_parent_choices()
        parent_field.empty_label = str(_("None"))

    def clean_email_domains(self) -> str:
        domains = [d.strip().lower() for d in self.cleaned_data["email_domains"].split(",") if d.strip()]
        for domain in domains:
            if "." not in domain or "@" in domain or " " in domain:
                raise forms.ValidationError(_("“%(domain)s” is not a valid domain."), params={"domain": domain})
        return ", ".join(domains)


class MemberAddForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    name = forms.CharField(
        label=_("Name"), max_length=150, required=False, help_text=_("Needed only if the person is new here.")
    )
    role = forms.ChoiceField(label=_("Role in the organisation"), choices=MembershipRole.choices)


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=MembershipRole.choices)
