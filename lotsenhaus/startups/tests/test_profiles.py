"""Profile pages as each reader sees them."""

import pytest
from django.urls import reverse

from tests.pipeline import build_world

pytestmark = pytest.mark.django_db


def test_your_profile_only_for_the_startups_own_people():
    """Issue 17, D30: the coordinator read "Ihr Profil" on a startup's page."""
    world = build_world()
    profile = world.startups[0]
    url = reverse("startups:detail", args=[profile.pk])
    own = world.client(world.members[0]).get(url).content.decode()
    unit = world.client(world.coordinator).get(url).content.decode()
    assert "Ihr Profil ist zu" in own and "Das Profil ist zu" not in own
    assert "Das Profil ist zu" in unit and "Ihr Profil" not in unit
