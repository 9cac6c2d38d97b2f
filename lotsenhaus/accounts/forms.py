from django import forms
from django.utils.translation import gettext_lazy as _


class ProfileForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=150)
