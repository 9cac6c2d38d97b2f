"""Who may see what of the pipeline, for every role in every stage, in the browser and over the API."""

import pytest
from django.test import Client
from django.urls import reverse

from lotsenhaus.core.roles import Role
from tests.factories import make_person
from tests.pipeline import build_world, evaluate, explore, run_pilot

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

ROLES = [
    "anonymous",
    "startup_on_list",
    "startup_other",
    "owner",
    "other_owner",
    "expert_juror",
    "expert_other",
    "coordinator",
]


def _clients(world):
    people = {
        "startup_on_list": world.members[0],
        "startup_other": make_person(Role.STARTUP_MEMBER),
        "owner": world.owner,
        "other_owner": world.other_owner,
        "expert_juror": world.expert,
        "expert_other": make_person(Role.EXPERT),
        "coordinator": world.coordinator,
    }
    clients = {"anonymous": Client()}
    for role, person in people.items():
        clients[role] = world.client(person)
    return clients


def _check(clients, url, allowed, api=False):
    for role in ROLES:
        status = clients[role].get(url).status_code
        if role in allowed:
            assert status == 200, (url, role, status)
        else:
            denied = (401, 403) if api else (302, 403)
            assert status in denied, (url, role, status)


def test_every_role_in_every_stage():
    world = build_world()
    clients = _clients(world)
    need = world.need.pk
    unit_and_owner = {"owner", "coordinator"}

    # Published: the exploration page exists for the unit and the authority; it says it has not started.
    _check(clients, reverse("exploration:workspace", args=[need]), unit_and_owner)

    _exploration, candidates = explore(world)
    _check(clients, reverse("exploration:workspace", args=[need]), unit_and_owner)
    _check(clients, reverse("exploration:candidate", args=[candidates[0].pk]), unit_and_owner)
    _check(clients, f"/api/v1/needs/{need}/exploration", unit_and_owner, api=True)
    _check(clients, reverse("exploration:ask", args=[need]), {"startup_on_list"})

    # Scoring, nobody has submitted: jurors see their sheet, nobody but the unit sees the matrix.
    evaluation = evaluate(world, candidates, submit=False)
    _check(clients, reverse("evaluations:overview", args=[need]), {"owner", "expert_juror", "coordinator"})
    _check(clients, reverse("evaluations:sheet", args=[need]), {"owner", "expert_juror"})
    _check(clients, reverse("evaluations:matrix", args=[need]), {"coordinator"})
    _check(clients, f"/api/v1/needs/{need}/evaluation/matrix", {"coordinator"}, api=True)
    assert evaluation.status == "scoring"

    # Closed evaluation and a running pilot: the pilot's startup joins; other startups and authorities do not.
    world2 = build_world(tag=" II")
    clients2 = _clients(world2)
    _exploration, candidates2 = explore(world2)
    evaluate(world2, candidates2)
    _check(clients2, reverse("evaluations:matrix", args=[world2.need.pk]), {"owner", "expert_juror", "coordinator"})
    pilot = run_pilot(world2, candidates2[0])
    pilot_roles = {"startup_on_list", "owner", "coordinator"}
    _check(clients2, reverse("pilots:detail", args=[pilot.pk]), pilot_roles)
    _check(clients2, f"/api/v1/pilots/{pilot.pk}", pilot_roles, api=True)
    _check(clients2, reverse("pilots:portfolio"), {"coordinator"})
    _check(clients2, "/api/v1/portfolio", {"coordinator"}, api=True)
    listing = {role: clients2[role].get(reverse("pilots:list")) for role in ("startup_other", "other_owner", "owner")}
    assert world2.need.title not in listing["startup_other"].content.decode()
    assert world2.need.title not in listing["other_owner"].content.decode()
    assert world2.need.title in listing["owner"].content.decode()


def test_writes_are_refused_to_those_who_may_only_read():
    world = build_world()
    clients = _clients(world)
    need = world.need.pk
    _exploration, candidates = explore(world)
    owner = clients["owner"]
    response = owner.post(
        reverse("exploration:candidate", args=[candidates[0].pk]),
        {"form": "candidate", "candidate-version": 3, "candidate-status": "open"},
    )
    assert response.status_code == 403
    assert owner.post(f"/api/v1/needs/{need}/exploration/reports").status_code == 403
    assert clients["startup_on_list"].post(f"/api/v1/needs/{need}/evaluation").status_code == 403
    # The generic state change refuses pipeline steps with a reason, on the page and over the API.
    refused = clients["coordinator"].post(
        f"/api/v1/needs/{need}/transitions", {"action": "start_evaluation"}, content_type="application/json"
    )
    assert refused.status_code == 400 and "Markterkundung" in refused.json()["detail"]
