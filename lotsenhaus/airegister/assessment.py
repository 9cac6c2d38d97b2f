"""The EU AI Act assessment as a pure function of the answers, the date and a versioned rule set.

The law lives in ``law/<version>.json``: every question, duty and date with its article and its source
(act, official journal, URL, date last checked). A change of law is a new rule file, not new code, and every
stored assessment keeps the version it was made under. The code only knows the routes of the regulation:

* Art. 5 prohibitions (with their own dates, the 2026 additions Buchst. ba/bb from 2 Dec 2026);
* Art. 6(1) Annex I Section A (safety component or product itself) – deployer duties of Art. 26, but no
  fundamental-rights impact assessment, no EU-database registration, no Art. 26(11) and no Art. 86;
* Art. 6(1) with Art. 2(2) Annex I Section B (vehicles, since Regulation (EU) 2026/1744 machinery) – only
  Art. 6(1), 102–109 and 112 apply, so no deployer duties from this regulation;
* Art. 6(2) Annex III, unless an Art. 6(3) exception applies and the system does not profile; point 2
  (critical infrastructure) has no FRIA and no EU registration by the deployer (Art. 27(1), 49(5));
* Art. 111(2): high-risk systems already in use that are meant for public authorities get until 2 Aug 2030;
* Art. 50 transparency duties, each with the party it binds and its own exceptions.

Duties are selected by ``when``/``unless`` tags in the rule file, so that a duty's scope is data, too.
Guidance, not legal advice.
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lotsenhaus.core.rulefiles import load_rule_file

RULES_DIR = Path(__file__).resolve().parent / "law"
CURRENT_RULES = "ai-act-2026-12"

PROHIBITED = "prohibited"
HIGH_RISK = "high_risk"
NOT_HIGH_RISK = "not_high_risk_exception"
TRANSPARENCY = "transparency"
MINIMAL = "minimal"
RISK_CLASSES = (PROHIBITED, HIGH_RISK, NOT_HIGH_RISK, TRANSPARENCY, MINIMAL)

# Where the deployer registers (Art. 49): in the public or non-public part of the EU database, or not at all
# because the provider registers nationally (Annex III point 2).
REGISTRATION_EU = "eu_database"
REGISTRATION_EU_NON_PUBLIC = "eu_database_non_public"
REGISTRATION_NATIONAL = "national_by_provider"

# Art. 50: the trigger, and the answer that lifts it.
TRANSPARENCY_TRIGGERS = {
    "art50_1": ("interaction", "interaction_obvious"),
    "art50_2": ("generated_content", "standard_editing"),
    "art50_3": ("emotion_or_biometric_categorisation", None),
    "art50_4_deep_fake": ("deep_fake", None),
    "art50_4_text": ("public_interest_text", "editorial_review"),
}


@dataclass(frozen=True)
class Duty:
    key: str
    article: str
    text: str
    applies_from: datetime.date
    applies_now: bool
    binds: str = "deployer"
    source: str = "ai_act"


@dataclass(frozen=True)
class Result:
    rules_version: str
    risk_class: str
    reasons: list[tuple[str, str]]
    transparency: list[str]
    duties: list[Duty]
    exceptions: list[str] = field(default_factory=list)
    non_public_registration: bool = False
    route: list[str] = field(default_factory=list)
    registration: str | None = None
    role: str = "deployer"
    legal_status: str = ""
    unsettled: list[dict[str, Any]] = field(default_factory=list)

    def duties_now(self) -> list[Duty]:
        return [duty for duty in self.duties if duty.applies_now]

    def duties_later(self) -> list[Duty]:
        return [duty for duty in self.duties if not duty.applies_now]

    def as_record(self) -> dict[str, Any]:
        """What an assessment keeps: everything needed to show and defend the result later."""
        return {
            "reasons": self.reasons,
            "route": self.route,
            "transparency": self.transparency,
            "exceptions": self.exceptions,
            "non_public_registration": self.non_public_registration,
            "registration": self.registration,
            "role": self.role,
            "legal_status": self.legal_status,
            "unsettled": self.unsettled,
            "duties": [
                {
                    "key": d.key,
                    "article": d.article,
                    "text": d.text,
                    "binds": d.binds,
                    "source": d.source,
                    "applies_from": d.applies_from.isoformat(),
                }
                for d in self.duties
            ],
        }


def load_rules(version: str = CURRENT_RULES) -> dict[str, Any]:
    return load_rule_file(RULES_DIR, version)


def question_keys(rules: Mapping[str, Any]) -> set[str]:
    return {item["key"] for item in rules["questions"]}


def _date(value: str) -> datetime.date:
    return datetime.date.fromisoformat(value)


def _check(answers: Mapping[str, bool], rules: Mapping[str, Any]) -> None:
    retired = rules.get("retired_questions", {})
    for key in sorted(set(answers) & set(retired)):
        replaced = ", ".join(retired[key]["replaced_by"])
        raise ValueError(f"Question {key!r} was replaced by: {replaced}. {retired[key]['why']}")
    unknown = set(answers) - question_keys(rules)
    if unknown:
        raise ValueError(f"Unknown questions: {sorted(unknown)}")


def assess(answers: Mapping[str, bool], on: datetime.date, version: str = CURRENT_RULES) -> Result:
    """Classify a use case and list the duties it brings, each with the party it binds and its start date."""
    rules = load_rules(version)
    if "questions" not in rules:
        raise ValueError(f"Rule set {version!r} is kept for old assessments only.")
    _check(answers, rules)
    yes = {key for key, value in answers.items() if value}
    result = _classify(rules, yes, on)
    if "safety_component_unclear" in yes and not ({"safety_component", "annex_i_product", "annex_i_section_b"} & yes):
        # Unsettled law: show both readings instead of choosing one silently.
        other = _classify(rules, yes | {"safety_component"}, on)
        question = _by_key(rules)["safety_component_unclear"]
        result.unsettled.append(
            {
                "key": "safety_component_unclear",
                "article": question["article"],
                "readings": [
                    {"reading": "not_safety_component", "risk_class": result.risk_class, "route": result.route},
                    {
                        "reading": "safety_component_annex_i",
                        "risk_class": other.risk_class,
                        "route": other.route,
                        "extra_duties": sorted({d.key for d in other.duties} - {d.key for d in result.duties}),
                    },
                ],
            }
        )
    return result


def _by_key(rules: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["key"]: item for item in rules["questions"]}


def _classify(rules: Mapping[str, Any], yes: set[str], on: datetime.date) -> Result:
    by_key = _by_key(rules)
    dates = {key: _date(value) for key, value in rules["dates"].items()}
    tags: set[str] = {"provider"} if "role_provider" in yes else set()
    reasons: list[tuple[str, str]] = []
    route: list[str] = []
    exceptions: list[str] = []
    route_dates: list[datetime.date] = []
    prohibited_from = dates["prohibitions"]

    def asked(key: str) -> tuple[str, str]:
        return (by_key[key]["article"], by_key[key]["question"])

    prohibited = [item for item in rules["questions"] if item["section"] == "prohibited" and item["key"] in yes]
    if prohibited:
        risk_class = PROHIBITED
        tags.add("prohibited")
        reasons += [asked(item["key"]) for item in prohibited]
        route = [item["article"] for item in prohibited]
        prohibited_from = min(dates[item["from"]] for item in prohibited)
    else:
        risk_class = MINIMAL
        for key in ("safety_component", "annex_i_product"):
            if key in yes:
                tags |= {"annex_i_a", "high_risk_direct"}
                reasons.append(asked(key))
                route_dates.append(dates["annex_i"])
        if "annex_i_a" in tags:
            route.append("Art. 6 Abs. 1, Anhang I Abschnitt A")
        if "annex_i_section_b" in yes:
            tags.add("annex_i_b")
            reasons.append(asked("annex_i_section_b"))
            route.append("Art. 6 Abs. 1, Art. 2 Abs. 2, Anhang I Abschnitt B")
        areas = [item for item in rules["questions"] if item["section"] == "annex_iii" and item["key"] in yes]
        if areas:
            exceptions = [
                item["key"]
                for item in rules["questions"]
                if item["section"] == "exceptions" and item["key"] in yes and item["key"] != "profiling"
            ]
            profiling = "profiling" in yes
            if exceptions and not profiling:
                tags.add("exception")
                reasons += [asked(item["key"]) for item in areas] + [asked(key) for key in exceptions]
                route.append("Art. 6 Abs. 3")
            else:
                tags |= {"annex_iii", "high_risk_direct"} | {f"annex_iii_{item['route']}" for item in areas}
                if any(item["route"] != "2" for item in areas):
                    tags.add("annex_iii_not_2")
                reasons += [asked(item["key"]) for item in areas]
                if exceptions and profiling:
                    reasons.append(asked("profiling"))
                route += [item["article"] for item in areas]
                route_dates.append(dates["annex_iii"])
                sensitive = any(item.get("non_public_registration") for item in areas)
                if "annex_iii_1" in tags and "security_context" in yes:
                    sensitive = True
                    reasons.append(asked("security_context"))
                if sensitive:
                    tags.add("non_public")
                if "post_remote_biometric_id" in yes and {"annex_iii_1", "annex_iii_6"} & tags:
                    tags.add("post_rbi")
                    reasons.append(asked("post_remote_biometric_id"))
        if "high_risk_direct" in tags or "annex_i_b" in tags:
            risk_class = HIGH_RISK
        elif "exception" in tags:
            risk_class = NOT_HIGH_RISK
    if "high_risk_direct" in tags and "legacy_public_use" in yes:
        tags.add("legacy")
        reasons.append(asked("legacy_public_use"))
        route_dates = [max([*route_dates, dates["legacy_public"]])]
    route_from = min(route_dates) if route_dates else dates["annex_iii"]

    for tag, (trigger, lifted_by) in TRANSPARENCY_TRIGGERS.items():
        if trigger in yes:
            if lifted_by and lifted_by in yes:
                reasons.append(asked(lifted_by))
            else:
                tags.add(tag)
                if risk_class == MINIMAL:
                    risk_class = TRANSPARENCY
                if risk_class == TRANSPARENCY:
                    reasons.append(asked(trigger))

    duties: list[Duty] = []
    for item in rules["duties"]:
        if not all(tag in tags for tag in item["when"]) or any(tag in tags for tag in item.get("unless", [])):
            continue
        start = {"route": route_from, "prohibited": prohibited_from}.get(item["from"]) or dates[item["from"]]
        duties.append(
            Duty(item["key"], item["article"], item["text"], start, on >= start, item["binds"], item["source"])
        )
    transparency = [d.key for d in duties if d.article.startswith("Art. 50")]
    registration = None
    if "annex_iii" in tags:
        if "annex_iii_not_2" not in tags:
            registration = REGISTRATION_NATIONAL
        else:
            registration = REGISTRATION_EU_NON_PUBLIC if "non_public" in tags else REGISTRATION_EU
    return Result(
        rules_version=rules["version"],
        risk_class=risk_class,
        reasons=reasons,
        transparency=transparency,
        duties=duties,
        exceptions=exceptions if "exception" in tags else [],
        non_public_registration="non_public" in tags,
        route=route,
        registration=registration,
        role="provider" if "provider" in tags else "deployer",
        legal_status=rules["legal_status"],
        unsettled=[],
    )
