from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from lotsenhaus.core.roles import FormOfAddress

from .models import TokenScope, User


class ProfileForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=150)
    form_of_address = forms.ChoiceField(
        label=_("How should role names address you?"),
        choices=FormOfAddress.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Used for German role names such as Koordinatorin or Koordinator."),
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("What is the token for?"), max_length=100, help_text=_("For example: Excel report."))
    scope = forms.ChoiceField(
        label=_("What may it do?"),
        choices=TokenScope.choices,
        initial=TokenScope.READ,
        widget=forms.RadioSelect,
        help_text=_("Choose “read only” unless the program must change data."),
    )
    days = forms.TypedChoiceField(label=_("Valid for"), coerce=int, initial=90)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        longest = settings.LOTSENHAUS_API_TOKEN_MAX_DAYS
        choices = [
            (d, label) for d, label in ((30, _("30 days")), (90, _("90 days")), (365, _("one year"))) if d <= longest
        ]
        days = self.fields["days"]
        assert isinstance(days, forms.TypedChoiceField)
        days.choices = choices or [(longest, str(longest))]


class ErasureForm(forms.Form):
    """Erasing one's data cannot be undone: the person confirms it and, if they have one, gives their password."""

    password = forms.CharField(label=_("Your password"), widget=forms.PasswordInput, required=False)
    confirm = forms.BooleanField(
        label=_("I understand that my account will be closed and my personal data erased. This cannot be undone.")
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if user.has_usable_password():
            self.fields["password"].required = True
        else:
            del self.fields["password"]

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not correct."))
        return password
