"""Lists of codes (core.codes.CodeListField): lists in Python, one LIKE in the database, whole codes only."""

import pytest

from lotsenhaus.needs.models import Need
from lotsenhaus.startups.models import Solution
from tests.pipeline import build_world, startup

pytestmark = pytest.mark.django_db


def test_a_code_list_is_a_list_before_and_after_the_database():
    _profile, _member, solution = startup("Listenwerk GmbH")
    solution.technologies = ("ai_text", "iot")
    assert solution.technologies == ["ai_text", "iot"]
    solution.save()
    assert Solution.objects.get(pk=solution.pk).technologies == ["ai_text", "iot"]
    assert Solution.objects.filter(pk=solution.pk).values_list("technologies", flat=True).get() == ["ai_text", "iot"]
    solution.technologies = []
    solution.save()
    assert Solution.objects.get(pk=solution.pk).technologies == []
    assert Need().technologies == []


def test_has_matches_whole_codes_only():
    world = build_world()
    Need.objects.filter(pk=world.need.pk).update(technologies=["ai_text", "iot"])
    assert list(Need.objects.filter(technologies__has="ai_text")) == [world.need]
    assert not Need.objects.filter(technologies__has="ai").exists()  # a prefix is not a code
    assert not Need.objects.filter(technologies__has="ai%text").exists()  # LIKE's wildcards are escaped
    assert not Need.objects.filter(technologies__has="aiXtext").exists()
    Need.objects.filter(pk=world.need.pk).update(technologies="iot")  # a bare code is stored in the list form
    assert list(Need.objects.filter(technologies__has="iot")) == [world.need]
