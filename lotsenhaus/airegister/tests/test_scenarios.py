"""The AI Act scenario suite: every scenario in ``scenarios/ai_act.json`` with its expected class, route,
duties (with the party they bind and their dates), registration and citation, through the engine and the
stateless API. The suite includes one scenario per finding of the legal review and every date boundary."""

import datetime
import json
from pathlib import Path

import pytest

from lotsenhaus.airegister.assessment import RISK_CLASSES, assess, load_rules

SUITE = json.loads((Path(__file__).resolve().parents[1] / "scenarios" / "ai_act.json").read_text(encoding="utf-8"))
SCENARIOS = SUITE["scenarios"]


def test_the_suite_is_large_enough_and_covers_every_finding():
    assert len(SCENARIOS) >= 60
    assert {s["finding"] for s in SCENARIOS} >= set(range(1, 9))
    assert all(s["citation"] for s in SCENARIOS)
    assert len({s["id"] for s in SCENARIOS}) == len(SCENARIOS)


def check(result, expect):
    duties = {d.key: d for d in result.duties}
    if "risk_class" in expect:
        assert result.risk_class == expect["risk_class"]
    assert result.risk_class in RISK_CLASSES
    for key in expect.get("duties_include", []):
        assert key in duties, key
    for key in expect.get("duties_exclude", []):
        assert key not in duties, key
    if "registration" in expect:
        assert result.registration == expect["registration"]
    for fragment in expect.get("route_includes", []):
        assert any(fragment in step for step in result.route), (fragment, result.route)
    for key, party in expect.get("binds", {}).items():
        assert duties[key].binds == party
    for key, day in expect.get("applies_from", {}).items():
        assert duties[key].applies_from.isoformat() == day, key
    for key, now in expect.get("applies_now", {}).items():
        assert duties[key].applies_now is now, key
    for key, source in expect.get("source", {}).items():
        assert duties[key].source == source
    if "role" in expect:
        assert result.role == expect["role"]
    if "unsettled_readings" in expect:
        assert [r["risk_class"] for r in result.unsettled[0]["readings"]] == expect["unsettled_readings"]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s["id"] for s in SCENARIOS])
def test_scenario(scenario):
    expect = scenario["expect"]
    on = datetime.date.fromisoformat(scenario["on"])
    if "error" in expect:
        with pytest.raises(ValueError, match=expect["error"]):
            assess(scenario["answers"], on)
        return
    check(assess(scenario["answers"], on), expect)
    for key in expect.get("sources_include", []):
        assert key in load_rules()["sources"]


@pytest.mark.django_db
@pytest.mark.parametrize("scenario", SCENARIOS[::7], ids=[s["id"] for s in SCENARIOS[::7]])
def test_scenario_over_the_stateless_api(client, scenario):
    response = client.post(
        "/api/v1/ai-act/assessment",
        {"answers": scenario["answers"], "on": scenario["on"]},
        content_type="application/json",
    )
    if "error" in scenario["expect"]:
        assert response.status_code in (400, 422)
        return
    assert response.status_code == 200
    body = response.json()
    if "risk_class" in scenario["expect"]:
        assert body["risk_class"] == scenario["expect"]["risk_class"]
    for key in scenario["expect"].get("duties_include", []):
        assert key in {d["key"] for d in body["duties"]}
    assert body["legal_status"] and body["rules_version"] == load_rules()["version"]
    assert {"key", "article", "binds", "applies_from"} <= set(body["duties"][0])


@pytest.mark.django_db
def test_the_questions_endpoint_lists_every_key_with_its_article(client):
    body = client.get("/api/v1/ai-register/questions").json()
    keys = {q["key"]: q for q in body["questions"]}
    assert {"role_provider", "csam", "deep_fake", "public_interest_text", "editorial_review"} <= set(keys)
    assert keys["csam"]["article"] == "Art. 5 Abs. 1 Buchst. bb" and keys["csam"]["applies_from"] == "2026-12-02"
    assert "deep_fake_or_public_text" in body["retired_questions"]
    assert body["sources"]["omnibus"]["url"].startswith("https://eur-lex.europa.eu/")


def test_every_rule_has_a_source_and_every_source_its_dates():
    rules = load_rules()
    for item in rules["questions"] + rules["duties"]:
        assert item["source"] in rules["sources"], item["key"]
    for source in rules["sources"].values():
        assert {"act", "reference", "url", "valid_from", "valid_to", "checked_on"} <= set(source)
