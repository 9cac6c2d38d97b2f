"""The EU AI Act assessment as a pure function of the answers, the date and a versioned rule set.

The law lives in ``rules/<version>.json`` (articles, questions, application dates, duties): a change of
law is a new rule file, not new code, and every stored assessment keeps the version it was made under.
Guidance, not legal advice.
"""

import datetime
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

RULES_DIR = Path(__file__).resolve().parent / "rules"
CURRENT_RULES = "ai-act-2026"

PROHIBITED = "prohibited"
HIGH_RISK = "high_risk"
MINIMAL = "minimal"


@dataclass(frozen=True)
class Duty:
    key: str
    article: str
    text: str
    applies_from: datetime.date
    applies_now: bool


@dataclass(frozen=True)
class Result:
    rules_version: str
    risk_class: str
    reasons: list[tuple[str, str]]
    transparency: list[str]
    duties: list[Duty]
    exceptions: list[str] = field(default_factory=list)
    non_public_registration: bool = False

    def duties_now(self) -> list[Duty]:
        return [duty for duty in self.duties if duty.applies_now]

    def duties_later(self) -> list[Duty]:
        return [duty for duty in self.duties if not duty.applies_now]


@cache
def load_rules(version: str = CURRENT_RULES) -> dict[str, Any]:
    path = RULES_DIR / f"{version}.json"
    if not path.is_file() or path.parent != RULES_DIR:
        raise ValueError(f"Unknown rule set {version!r}")
    return json.loads(path.read_text(encoding="utf-8"))


def question_keys(rules: Mapping[str, Any]) -> set[str]:
    keys = {item["key"] for part in ("prohibited", "annex_iii", "exceptions", "transparency") for item in rules[part]}
    return keys | {rules["annex_i"]["key"], rules["profiling"]["key"]}


def _date(rules: Mapping[str, Any], item: Mapping[str, Any], default: str) -> datetime.date:
    if "from_date" in item:
        return datetime.date.fromisoformat(item["from_date"])
    return datetime.date.fromisoformat(rules["dates"][item.get("from", default)])


def _duty(item: Mapping[str, Any], applies_from: datetime.date, on: datetime.date, text: str = "") -> Duty:
    return Duty(item["key"], item["article"], text or item["text"], applies_from, on >= applies_from)


def assess(answers: Mapping[str, bool], on: datetime.date, version: str = CURRENT_RULES) -> Result:
    """Classify a use case: prohibited, high-risk or minimal risk, plus transparency duties and the deployer's
    duties of a public body, each with the date from which it applies."""
    rules = load_rules(version)
    unknown = set(answers) - question_keys(rules)
    if unknown:
        raise ValueError(f"Unknown questions: {sorted(unknown)}")
    yes = {key for key, value in answers.items() if value}
    reasons: list[tuple[str, str]] = []
    duties: list[Duty] = []
    exceptions: list[str] = []
    non_public = False

    prohibited = [item for item in rules["prohibited"] if item["key"] in yes]
    if prohibited:
        risk_class = PROHIBITED
        reasons += [(item["article"], item["question"]) for item in prohibited]
        start = min(_date(rules, item, "prohibitions") for item in prohibited)
        duties += [_duty(item, start, on) for item in rules["duties"]["prohibited"]]
    else:
        risk_class = MINIMAL
        routes: list[datetime.date] = []
        annex_i = rules["annex_i"]
        if annex_i["key"] in yes:
            reasons.append((annex_i["article"], annex_i["question"]))
            routes.append(_date(rules, annex_i, "annex_i"))
        areas = [item for item in rules["annex_iii"] if item["key"] in yes]
        if areas:
            exceptions = [item["key"] for item in rules["exceptions"] if item["key"] in yes]
            profiling = rules["profiling"]["key"] in yes
            if exceptions and not profiling:
                reasons += [(item["article"], item["question"]) for item in rules["exceptions"] if item["key"] in yes]
            else:
                reasons += [(item["article"], item["question"]) for item in areas]
                if exceptions and profiling:
                    reasons.append((rules["profiling"]["article"], rules["profiling"]["question"]))
                routes.append(datetime.date.fromisoformat(rules["dates"]["annex_iii"]))
                non_public = any(item.get("non_public_registration") for item in areas)
        if routes:
            risk_class = HIGH_RISK
            start = min(routes)
            for item in rules["duties"]["high_risk_public_deployer"]:
                text = item["text"]
                if item["key"] == "eu_registration" and non_public:
                    text += " (im nicht öffentlichen Teil der Datenbank, Art. 49 Abs. 4)"
                duties.append(_duty(item, start, on, text))

    transparency = [item["key"] for item in rules["transparency"] if item["key"] in yes]
    transparency_start = datetime.date.fromisoformat(rules["dates"]["transparency"])
    for item in rules["transparency"]:
        if item["key"] in yes:
            duties.append(
                Duty(item["key"], item["article"], item["duty"], transparency_start, on >= transparency_start)
            )
    for item in rules["duties"]["all"]:
        duties.append(_duty(item, _date(rules, item, "ai_literacy"), on))
    return Result(rules["version"], risk_class, reasons, transparency, duties, exceptions, non_public)
