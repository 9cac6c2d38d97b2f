"""The procurement scenario suite: every scenario in ``scenarios/procurement.json`` through the advisor with
the limits as migrated (the data a fresh installation has), and a sample over the API. It includes one
scenario per finding of the legal review, every limit exactly and one cent above, and the day before and
after each date."""

import datetime
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from lotsenhaus.core.roles import Role
from lotsenhaus.procurement import advisor
from lotsenhaus.procurement.selectors import advice_for
from tests.factories import make_person

SUITE = json.loads((Path(__file__).resolve().parents[1] / "scenarios" / "procurement.json").read_text(encoding="utf-8"))
SCENARIOS = SUITE["scenarios"]
MONEY = {"value", "options_value", "extensions_value", "follow_up_value", "call_offs_value"}

pytestmark = pytest.mark.django_db


def question(data):
    values: dict[str, Any] = {k: Decimal(v) if k in MONEY else v for k, v in data.items()}
    values["on"] = datetime.date.fromisoformat(values["on"])
    return advisor.Question(**values)


def test_the_suite_is_large_enough_and_covers_every_finding():
    assert len(SCENARIOS) >= 50
    assert {s["finding"] for s in SCENARIOS} >= set(range(9, 15))
    assert len({s["id"] for s in SCENARIOS}) == len(SCENARIOS)


def _used(advice):
    return {lim.key for lim in advice.limits_used} | {f"{lim.key}@{lim.jurisdiction}" for lim in advice.limits_used}


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s["id"] for s in SCENARIOS])
def test_scenario(scenario):
    expect = scenario["expect"]
    advice = advice_for(question(scenario["question"]))
    if "procedure" in expect:
        assert advice.procedure == expect["procedure"], advice.reasons
    if "rule_contains" in expect:
        assert expect["rule_contains"] in advice.rule
    if "rule_excludes" in expect:
        assert expect["rule_excludes"] not in advice.rule
    for key in expect.get("missing", []):
        assert key in advice.missing
    assert len(advice.warnings) >= expect.get("warnings_min", 0)
    assert len(advice.notes) >= expect.get("notes_min", 0)
    for key in expect.get("limits_used", []):
        assert key in _used(advice), (key, _used(advice))
    for key in expect.get("limits_exclude", []):
        assert key not in _used(advice), key
    if "total" in expect:
        assert advice.estimated_total == Decimal(expect["total"])
    if "clause_ends" in expect:
        assert advice.clause_ends == datetime.date.fromisoformat(expect["clause_ends"])
    if "notes_exclude" in expect:
        assert not any(expect["notes_exclude"] in note for note in advice.notes)
    if "alternatives_rule_excludes" in expect:
        assert not any(expect["alternatives_rule_excludes"] in rule for _t, rule in advice.alternatives)
    if "alternatives_count" in expect:
        assert len(advice.alternatives) == expect["alternatives_count"]
    if "unsettled" in expect:
        assert [r["procedure"] for r in advice.unsettled] == expect["unsettled"]
    if "contract" in expect:
        assert advice.contract and advice.contract[0] == expect["contract"]
    if expect.get("limit_sources_have_url"):
        assert all(lim.source_url and lim.reference and lim.checked_on for lim in advice.limits_used)
    assert advice.legal_status and advice.rules_version and advice.reference_date


@pytest.mark.parametrize("scenario", SCENARIOS[::6], ids=[s["id"] for s in SCENARIOS[::6]])
def test_scenario_over_the_api(client, scenario):
    client.force_login(make_person(Role.COORDINATOR))
    response = client.post("/api/v1/procurement/advice", scenario["question"], content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    if "procedure" in scenario["expect"]:
        assert body["procedure"] == scenario["expect"]["procedure"]
    assert body["legal_status"] and body["reference_date"] == scenario["question"]["on"]
    assert all(source["url"] for source in body["sources"])
