"""Issue 17, D10: the steps of a cooperation link only to pages the person may open."""

import re

import pytest
from django.urls import reverse

from tests.pipeline import build_world, evaluate, explore, run_pilot

pytestmark = pytest.mark.django_db


def _nav_links(html: str) -> list[str]:
    nav = re.search(r'<nav class="pipeline-nav".*?</nav>', html, re.S)
    assert nav, "the page shows the steps of the cooperation"
    return re.findall(r'href="([^"]+)"', nav.group())


def _all_open(client, url):
    links = _nav_links(client.get(url).content.decode())
    return {link: client.get(link).status_code for link in links}


def test_an_external_juror_sees_no_step_she_cannot_open():
    world = build_world()
    _exploration, candidates = explore(world)
    evaluate(world, candidates, submit=False, close=False)
    statuses = _all_open(world.client(world.expert), reverse("evaluations:overview", args=[world.need.pk]))
    assert statuses and set(statuses.values()) == {200}
    # The unit still sees every step.
    unit = _all_open(world.client(world.coordinator), reverse("evaluations:overview", args=[world.need.pk]))
    assert len(unit) == 4 and set(unit.values()) <= {200, 302}


def test_the_pilot_startup_sees_no_step_it_cannot_open():
    world = build_world()
    _exploration, candidates = explore(world)
    evaluate(world, candidates)
    pilot = run_pilot(world, candidates[0])
    member = world.members[0]
    statuses = _all_open(world.client(member), reverse("pilots:detail", args=[pilot.pk]))
    assert statuses and set(statuses.values()) == {200}
