from typing import Any

from django import forms

from .models import Frequency, Topic


class PreferencesForm(forms.Form):
    """One choice per topic."""

    def __init__(self, *args: Any, initial_frequencies: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for topic in Topic:
            self.fields[topic.value] = forms.ChoiceField(
                label=topic.label, choices=Frequency.choices, initial=initial_frequencies.get(topic.value)
            )

    def changes(self) -> dict[str, str]:
        return dict(self.cleaned_data)
