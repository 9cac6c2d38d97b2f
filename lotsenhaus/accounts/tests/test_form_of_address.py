"""Issue 17, D39: role names address the person as they chose (Koordinatorin, Koordinator, Koordination)."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from lotsenhaus.core.roles import Role, role_label
from tests.factories import make_person

pytestmark = pytest.mark.django_db


def test_role_names_follow_the_chosen_form_in_german_and_stay_one_in_english():
    with translation.override("de"):
        forms = {str(role_label(Role.COORDINATOR, f)) for f in ("", "f", "m")}
        assert len(forms) == 3
    with translation.override("en"):
        assert {str(role_label(Role.COORDINATOR, f)) for f in ("", "f", "m")} == {"Coordinator"}


def test_the_person_chooses_on_the_profile_and_the_header_follows():
    person = make_person(Role.NEED_OWNER)
    client = Client()
    client.force_login(person)
    neutral = client.get(reverse("accounts:profile")).context["user_roles"]
    response = client.post(reverse("accounts:profile"), {"name": person.name, "form_of_address": "f"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.form_of_address == "f"
    feminine = client.get(reverse("accounts:profile")).context["user_roles"]
    with translation.override("de"):
        assert [str(r) for r in feminine] == [str(role_label(Role.NEED_OWNER, "f"))]
        assert [str(r) for r in feminine] != [str(r) for r in neutral]
