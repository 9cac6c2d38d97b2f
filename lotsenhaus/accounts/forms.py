from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class SignupExtraForm(forms.Form):
    """Extra fields for allauth's sign-up form."""

    name = forms.CharField(label=_("Full name"), max_length=150)

    def signup(self, request: Any, user: Any) -> None:
        user.name = self.cleaned_data["name"]
        user.save(update_fields=["name"])


class ProfileForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=150)
