"""KERN form rendering: each widget gets the KERN class of what it is."""

import re

from django import forms


class _Form(forms.Form):
    several = forms.MultipleChoiceField(
        choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple, required=False
    )
    one = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect, required=False)


def test_a_checkbox_group_is_drawn_as_checkboxes_and_a_radio_group_as_radios():
    """Issue 17, D6: Django 5.2's CheckboxSelectMultiple subclasses RadioSelect and was drawn round."""
    html = str(_Form())
    checkboxes = re.findall(r'<input type="checkbox"[^>]*class="([^"]*)"', html)
    radios = re.findall(r'<input type="radio"[^>]*class="([^"]*)"', html)
    assert checkboxes and all("kern-form-check__checkbox" in c and "radio" not in c for c in checkboxes)
    assert radios and all("kern-form-check__radio" in c for c in radios)
