"""Issue 17, D34: KPI charts name their axis, the baseline and target lines and each value, in the reader's
number and date format."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from lotsenhaus.pilots import services
from lotsenhaus.pilots.models import Pilot
from tests.pipeline import evaluate, explore, run_pilot

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def piloted(module_world, django_db_blocker):
    """The module's world brought to a running pilot once for all its tests (each test changes it in a savepoint)."""
    with django_db_blocker.unblock():
        _exploration, candidates = explore(module_world)
        evaluate(module_world, candidates)
        return run_pilot(module_world, candidates[0]).pk


@pytest.fixture
def pilot(piloted, pipeline_world):
    return Pilot.objects.get(pk=piloted)


def test_the_kpi_chart_has_an_axis_reference_labels_and_values(pipeline_world, pilot):
    world = pipeline_world
    kpi = pilot.kpis.get()
    services.measurement_record(
        actor=world.coordinator, kpi=kpi, measured_on=datetime.date(2026, 12, 3), value=Decimal("22.5")
    )
    html = world.client(world.coordinator).get(reverse("pilots:detail", args=[pilot.pk])).content.decode()
    svg = re.search(r'<svg role="img" aria-labelledby="kpi-.*?</svg>', html, re.S).group()
    texts = re.findall(r"<text[^>]*>([^<]+)</text>", svg)
    assert "22,5" in texts and "03.12.2026" in texts  # the value and its date, German formats
    assert any(t.endswith("30 Tage") for t in texts) and any(t.endswith("15 Tage") for t in texts)
    assert "Tage" in texts  # the unit names the axis
    assert "chart__axis" in svg


def test_unit_staff_can_own_milestones_from_the_page(pipeline_world, pilot):
    """Issue 17, D37: the owner list held only the authority and the startup."""
    world = pipeline_world
    url = reverse("pilots:detail", args=[pilot.pk])
    client = world.client(world.coordinator)
    choices = client.get(url).context["forms"]["milestone"].fields["owner"].queryset
    assert world.coordinator in choices and world.owner in choices and world.members[0] in choices
    assert world.members[2] not in choices  # another startup
    response = client.post(
        url,
        {
            "form": "milestone",
            "milestone-title": "Abnahme",
            "milestone-due_on": "2027-02-01",
            "milestone-owner": world.coordinator.pk,
        },
    )
    assert response.status_code == 302
    assert pilot.milestones.get().owner == world.coordinator


def test_the_checklist_links_the_ai_register(pipeline_world, pilot):
    """Issue 17: the checklist's AI register item had no link."""
    world = pipeline_world
    html = world.client(world.coordinator).get(reverse("pilots:detail", args=[pilot.pk])).content.decode()
    assert f'href="{reverse("airegister:create")}"' in html
