"""The pipeline over the REST API: same services, same confidentiality as the pages."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from lotsenhaus.needs.models import Status
from tests.pipeline import build_world, evaluate, explore

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]
TODAY = timezone.localdate()
API = "/api/v1"


def _json(response, status=200):
    assert response.status_code == status, response.content.decode()[:2000]
    return response.json()


def test_the_market_exploration_over_the_api_with_its_confidentiality():
    world = build_world()
    unit, owner = world.client(world.coordinator), world.client(world.owner)
    startup = world.client(world.members[0])
    need = world.need.pk
    base = f"{API}/needs/{need}"

    assert Client().get(f"{base}/exploration").status_code == 401
    _json(unit.post(f"{base}/exploration"), 201)
    assert startup.get(f"{base}/exploration").status_code == 403
    assert _json(owner.get(f"{base}/exploration"))["candidates"][0]["source"] == "answer"
    manual = _json(
        unit.post(
            f"{base}/exploration/candidates", {"startup_id": world.startups[2].pk}, content_type="application/json"
        ),
        201,
    )
    refused = unit.patch(
        f"/api/v1/candidates/{manual['id']}", {"version": 1, "status": "excluded"}, content_type="application/json"
    )
    assert refused.status_code == 400 and refused.json()["field"] == "exclusion_reason"
    _json(
        unit.patch(
            f"/api/v1/candidates/{manual['id']}",
            {"version": 1, "status": "excluded", "exclusion_reason": "Kein EU-Hosting"},
            content_type="application/json",
        )
    )
    candidates = _json(unit.get(f"{base}/exploration"))["candidates"]
    for entry in candidates[:2]:
        _json(
            unit.patch(
                f"/api/v1/candidates/{entry['id']}",
                {"version": entry["version"], "status": "shortlist"},
                content_type="application/json",
            )
        )
    _json(
        unit.post(
            f"/api/v1/candidates/{candidates[0]['id']}/contacts",
            {"happened_on": TODAY.isoformat(), "channel": "phone", "participants": "KO", "summary": "Rückfragen"},
            content_type="application/json",
        ),
        201,
    )
    report = _json(unit.post(f"{base}/exploration/reports"), 201)
    assert report["version"] == 1 and len(report["pdf_sha256"]) == 64


def test_the_evaluation_over_the_api_with_its_confidentiality():
    """The expert declares a conflict for the second startup; their score there does not count."""
    world = build_world()
    explore(world)
    unit, owner, expert = world.client(world.coordinator), world.client(world.owner), world.client(world.expert)
    startup = world.client(world.members[0])
    need = world.need.pk
    base = f"{API}/needs/{need}"

    _json(unit.post(f"{base}/evaluation"), 201)
    _json(
        unit.post(
            f"{base}/evaluation/criteria",
            {"kind": "weighted", "name": "Qualität", "weight": "100", "levels": [str(i) for i in range(6)]},
            content_type="application/json",
        ),
        201,
    )
    for person in (world.owner, world.expert):
        _json(unit.post(f"{base}/evaluation/evaluators", {"user_id": person.pk}, content_type="application/json"), 201)
    stranger = _json(
        unit.post(f"{base}/evaluation/evaluators", {"user_id": world.members[1].pk}, content_type="application/json"),
        400,
    )
    assert stranger["field"] == "user_id"
    evaluation = _json(unit.post(f"{base}/evaluation/open"))
    criterion = evaluation["criteria"][0]["id"]
    first, second = (row["candidate_id"] for row in evaluation["shortlist"])
    sheet = f"{base}/evaluation/sheet"
    _json(
        owner.put(
            f"{sheet}/{first}",
            {"conflicted": False, "scores": [{"criterion_id": criterion, "points": 4}]},
            content_type="application/json",
        )
    )
    _json(
        owner.put(
            f"{sheet}/{second}",
            {"conflicted": False, "scores": [{"criterion_id": criterion, "points": 2}]},
            content_type="application/json",
        )
    )
    assert owner.get(f"{base}/evaluation/matrix").status_code == 403  # not before submitting
    _json(owner.post(f"{base}/evaluation/submit"))
    _json(
        expert.put(
            f"{sheet}/{first}",
            {"conflicted": False, "scores": [{"criterion_id": criterion, "points": 2}]},
            content_type="application/json",
        )
    )
    _json(
        expert.put(
            f"{sheet}/{second}", {"conflicted": True, "note": "Beratungsmandat"}, content_type="application/json"
        )
    )
    _json(expert.post(f"{base}/evaluation/submit"))
    assert startup.get(f"{base}/evaluation/matrix").status_code == 403
    for candidate_id, amount in ((first, "30000"), (second, "30000")):
        _json(unit.put(f"{base}/evaluation/prices/{candidate_id}", {"amount": amount}, content_type="application/json"))
    rows = {row["candidate_id"]: row for row in _json(owner.get(f"{base}/evaluation/matrix"))["results"]}
    assert rows[first]["mean"] == "300.00"  # (400 + 200) / 2
    assert rows[second]["by_evaluator"] == {str(world.owner): "200.00"}  # the conflicted expert does not count
    assert rows[first]["winner"] and not rows[second]["winner"]
    _json(unit.post(f"{base}/evaluation/close"))


def test_the_pilot_over_the_api_from_design_to_decision():
    world = build_world()
    _exploration, candidates = explore(world)
    evaluate(world, candidates)
    first = candidates[0].pk
    unit, owner = world.client(world.coordinator), world.client(world.owner)
    startup = world.client(world.members[0])
    need = world.need.pk
    base = f"{API}/needs/{need}"

    pilot = _json(unit.post(f"{base}/pilot", {"candidate_id": first}, content_type="application/json"), 201)
    assert "Beginn" in " ".join(pilot["missing_before_start"])
    pilot = _json(
        unit.patch(
            f"/api/v1/pilots/{pilot['id']}",
            {
                "version": pilot["version"],
                "start_date": TODAY.isoformat(),
                "end_date": (TODAY + datetime.timedelta(days=90)).isoformat(),
                "budget": "30000",
                "purchase_order": "BA-9",
                "exit_criteria": "Quote",
                "estimated_value": "30000",
                "jurisdiction": "hh",
                "venture_client": True,
                "subject_matter": "new_technology",
                "procedure_start": "2026-12-10",
                "procedure_reason": "Experimentierklausel",
                "avv_done": True,
                "dpia": "no",
                "hosting_checked": True,
                "certifications_checked": True,
                "accessibility_checked": True,
            },
            content_type="application/json",
        )
    )
    assert pilot["advice"]["procedure"] == "experimentation_clause"
    _json(
        unit.post(
            f"/api/v1/pilots/{pilot['id']}/kpis",
            {"name": "Durchlaufzeit", "baseline": "20", "target": "10"},
            content_type="application/json",
        ),
        201,
    )
    assert _json(unit.post(f"/api/v1/pilots/{pilot['id']}/start"))["status"] == "running"
    assert _json(startup.get(f"/api/v1/pilots/{pilot['id']}"))["startup"] == "Aktenblick GmbH"
    assert world.client(world.members[2]).get(f"/api/v1/pilots/{pilot['id']}").status_code == 403
    _json(
        startup.post(
            f"/api/v1/pilots/{pilot['id']}/reports", {"text": "Alles im Plan"}, content_type="application/json"
        ),
        201,
    )
    assert (
        startup.post(
            f"/api/v1/pilots/{pilot['id']}/decision",
            {"decision": "adopt", "reasons": "x"},
            content_type="application/json",
        ).status_code
        == 403
    )
    decision = _json(
        unit.post(
            f"/api/v1/pilots/{pilot['id']}/decision",
            {"decision": "end", "reasons": "Ziel verfehlt"},
            content_type="application/json",
        ),
        201,
    )
    assert decision["evidence"][0]["kpi"] == "Durchlaufzeit"
    world.need.refresh_from_db()
    assert (world.need.status, world.need.outcome) == (Status.CLOSED, "not_adopted")
    figures = _json(unit.get(f"{API}/portfolio"))
    assert [row["needs"] for row in figures["funnel"]] == [0, 0, 0, 0, 0, 0, 1, 0]  # the one need is closed
    assert owner.get(f"{API}/portfolio").status_code == 403


def test_the_advisor_and_bundled_calls_over_the_api():
    world = build_world()
    unit = world.client(world.coordinator)
    advice = _json(
        unit.post(f"{API}/procurement/advice", {"value": "250000", "on": "2026-03-01"}, content_type="application/json")
    )
    assert advice["procedure"] == "eu_open" and "216.000" in advice["reasons"][0]
    assert (
        Client().post(f"{API}/procurement/advice", {"value": "1"}, content_type="application/json").status_code == 401
    )
    assert _json(unit.get(f"{API}/procurement/limits"))["count"] >= 12

    deadline = (TODAY + datetime.timedelta(days=30)).isoformat()
    call = _json(
        unit.post(
            f"{API}/calls",
            {"title": "KI im Bürgerservice", "theme": "Anträge", "deadline": deadline},
            content_type="application/json",
        ),
        201,
    )
    _json(unit.post(f"{API}/calls/{call['id']}/needs", {"need_id": world.need.pk}, content_type="application/json"))
    assert Client().get(f"{API}/calls/{call['id']}").status_code == 403  # a draft call is the unit's
    _json(unit.post(f"{API}/calls/{call['id']}/publish"))
    public = _json(Client().get(f"{API}/calls/{call['id']}"))
    assert public["need_ids"] == [world.need.pk]
    world.need.refresh_from_db()
    assert world.need.answer_deadline.isoformat() == deadline


def test_ids_beyond_the_database_range_are_not_found_not_server_errors():
    world = build_world()
    unit = world.client(world.coordinator)
    huge = 10**30
    assert unit.get(f"{API}/needs/{huge}/exploration").status_code == 404
    assert unit.get(f"{API}/pilots/{huge}").status_code == 404


def test_a_page_far_beyond_any_list_is_refused_cleanly():
    world = build_world()
    unit = world.client(world.coordinator)
    assert unit.get(f"{API}/organisations?page=99999999999999").status_code == 422
    assert unit.get(f"{API}/needs?page=1000000").json()["results"] == []
