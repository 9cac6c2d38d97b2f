from django import forms
from django.utils.translation import gettext_lazy as _


class ProfileForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=150)


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("What is the token for?"), max_length=100, help_text=_("For example: Excel report."))
    days = forms.TypedChoiceField(
        label=_("Valid for"),
        coerce=int,
        choices=[(30, _("30 days")), (90, _("90 days")), (365, _("one year")), (0, _("until revoked"))],
        initial=90,
    )
