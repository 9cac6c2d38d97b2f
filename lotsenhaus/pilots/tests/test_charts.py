"""Issue 17, D34: KPI charts name their axis, the baseline and target lines and each value, in the reader's
number and date format."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from lotsenhaus.pilots import services
from tests.pipeline import build_world, evaluate, explore, run_pilot

pytestmark = pytest.mark.django_db


def test_the_kpi_chart_has_an_axis_reference_labels_and_values():
    world = build_world()
    _exploration, candidates = explore(world)
    evaluate(world, candidates)
    pilot = run_pilot(world, candidates[0])
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
