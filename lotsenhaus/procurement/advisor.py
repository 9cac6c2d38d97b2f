"""The procurement path advisor: from jurisdiction, value, subject and kind of work to a proposed procedure.

Guidance, not legal advice. No amount is written here: every limit comes from ``ValueLimit`` rows (with act,
official publication, URL, validity and the date last checked), and every legal basis of a path from
``law/<version>.json``; a change of law is a data change. The rules of the code:

* the estimated value is the total: options, extensions, follow-up orders and all call-offs of a framework
  count (§ 3 Abs. 1, 2, 4 VgV, no splitting); limits are those valid on the day the procedure starts
  (§ 3 Abs. 3 VgV);
* an EU threshold applies when the value reaches it (§ 106 GWB); "up to" limits include the amount;
* Hamburg: below 100,000 € the simplified procedure of the HmbVgRL (Nr. 5), from 100,000 € the UVgO
  (§ 2a HmbVgG); the experimentation clause needs all its conditions and ends with its data; exactly at
  100,000 € the two rules meet and the advice shows both readings;
* the Bund has its own limits; for other Länder and Hamburg's public enterprises no limits are recorded, and
  the advice says so instead of borrowing Hamburg's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lotsenhaus.core.rulefiles import load_rule_file

RULES_DIR = Path(__file__).resolve().parent / "law"
CURRENT_RULES = "paths-2026-12"

JURISDICTIONS = {
    "hh": gettext_lazy("Hamburg: authority, district office (Bezirksamt) or Landesbetrieb"),
    "hh_enterprise": gettext_lazy("Hamburg: public enterprise"),
    "bund": gettext_lazy("Federal authority (Bund)"),
    "other_land": gettext_lazy("Authority of another Land or one of its municipalities"),
}
BODIES = {
    "subcentral": gettext_lazy("Sub-central authority (Land, municipality)"),
    "central": gettext_lazy("Central government authority"),
}
NATURES = {
    "services": gettext_lazy("Supplies or services"),
    "works": gettext_lazy("Works"),
    "social": gettext_lazy("Social and other specific services"),
    "rd": gettext_lazy("Research and development services"),
}
SUBJECTS = {
    "new_technology": gettext_lazy("Use or development of new technologies"),
    "digitalisation": gettext_lazy("Modernisation or digitalisation of the administration"),
    "other": gettext_lazy("Something else (e.g. cleaning, furniture, ordinary supplies)"),
}
IT_KINDS = {
    "": gettext_lazy("Not an IT contract"),
    "saas": gettext_lazy("Software as a service (cloud)"),
    "services": gettext_lazy("Services, consulting, workshops"),
    "development": gettext_lazy("Custom development"),
    "licence_permanent": gettext_lazy("Licence bought for good"),
    "licence_temporary": gettext_lazy("Licence for a time"),
}
EVB_IT = {
    "saas": ("EVB-IT Cloud", gettext_lazy("for software used as a service")),
    "services": ("EVB-IT Dienstleistung", gettext_lazy("for services such as consulting and workshops")),
    "development": ("EVB-IT Erstellung", gettext_lazy("for software developed for the authority")),
    "licence_permanent": ("EVB-IT Überlassung Typ A", gettext_lazy("for standard software bought for good")),
    "licence_temporary": ("EVB-IT Überlassung Typ B", gettext_lazy("for standard software used for a time")),
}
# Inputs whose absence can change the outcome; the advice names them instead of assuming an answer.
INPUT_LABELS = {
    "jurisdiction": gettext_lazy("contracting authority (Hamburg, Bund, another Land)"),
    "subject": gettext_lazy("subject matter of the contract"),
    "term_months": gettext_lazy("contract term in months"),
    "market_available": gettext_lazy("whether the solution is already available on the market"),
    "rd_exclusive_results": gettext_lazy("whether the results belong exclusively to the authority"),
    "rd_paid_in_full": gettext_lazy("whether the authority pays the service in full"),
}


@dataclass(frozen=True)
class Limit:
    key: str
    amount: Decimal
    source: str
    valid_from: date
    valid_to: date | None
    jurisdiction: str = ""
    reference: str = ""
    source_url: str = ""
    checked_on: date | None = None
    max_term_months: int | None = None

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True)
class Question:
    value: Decimal
    body: str = "subcentral"
    nature: str = "services"
    innovative: bool = False
    venture_client: bool = False
    on: date | None = None
    it_kind: str = ""
    jurisdiction: str = ""
    subject: str = ""
    term_months: int | None = None
    options_value: Decimal = Decimal(0)
    extensions_value: Decimal = Decimal(0)
    follow_up_value: Decimal = Decimal(0)
    call_offs_value: Decimal = Decimal(0)
    market_available: bool | None = None
    rd_exclusive_results: bool | None = None
    rd_paid_in_full: bool | None = None

    @property
    def total(self) -> Decimal:
        return self.value + self.options_value + self.extensions_value + self.follow_up_value + self.call_offs_value

    @property
    def effective_jurisdiction(self) -> str:
        if self.jurisdiction:
            return self.jurisdiction
        return "bund" if self.body == "central" else ""

    @property
    def effective_body(self) -> str:
        jurisdiction = self.effective_jurisdiction
        if jurisdiction:
            return "central" if jurisdiction == "bund" else "subcentral"
        return self.body


@dataclass
class Advice:
    procedure: str
    title: str
    rule: str
    reasons: list[str] = field(default_factory=list)
    alternatives: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    limits_used: list[Limit] = field(default_factory=list)
    contract: tuple[str, str] | None = None
    disclaimer: str = ""
    warnings: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    unsettled: list[dict[str, str]] = field(default_factory=list)
    estimated_total: Decimal = Decimal(0)
    reference_date: date | None = None
    rules_version: str = ""
    legal_status: str = ""
    sources: list[dict[str, Any]] = field(default_factory=list)
    clause_ends: date | None = None

    @property
    def missing_labels(self) -> list[str]:
        return [str(INPUT_LABELS[key]) for key in self.missing if key in INPUT_LABELS]

    def as_record(self) -> dict[str, Any]:
        """What the pilot's file keeps: the proposal and why, with the limits, their sources and the rule version."""
        return {
            "procedure": self.procedure,
            "title": self.title,
            "rule": self.rule,
            "reasons": self.reasons,
            "alternatives": [list(a) for a in self.alternatives],
            "notes": self.notes,
            "warnings": self.warnings,
            "missing": self.missing,
            "missing_labels": self.missing_labels,
            "unsettled": self.unsettled,
            "estimated_total": str(self.estimated_total),
            "reference_date": self.reference_date.isoformat() if self.reference_date else None,
            "rules_version": self.rules_version,
            "legal_status": self.legal_status,
            "clause_ends": self.clause_ends.isoformat() if self.clause_ends else None,
            "limits": [
                {
                    "key": lim.key,
                    "jurisdiction": lim.jurisdiction,
                    "amount": str(lim.amount),
                    "source": lim.source,
                    "reference": lim.reference,
                    "source_url": lim.source_url,
                    "valid_from": lim.valid_from.isoformat(),
                    "valid_to": lim.valid_to.isoformat() if lim.valid_to else None,
                    "checked_on": lim.checked_on.isoformat() if lim.checked_on else None,
                }
                for lim in self.limits_used
            ],
            "sources": self.sources,
            "contract": list(self.contract) if self.contract else None,
        }


def load_rules(version: str = CURRENT_RULES) -> dict[str, Any]:
    return load_rule_file(RULES_DIR, version)


def _rule(path: str) -> str:
    """The legal basis of a path, as the rule file states it."""
    return str(load_rules()["paths"][path]["rule"])


def euro(amount: Decimal) -> str:
    places = 0 if amount == amount.to_integral_value() else 2
    return f"{number_format(amount, places, force_grouping=True)} €"


def day(value: date) -> str:
    return date_format(value, "DATE_FORMAT")


def eu_threshold_key(body: str, nature: str) -> str:
    if nature == "works":
        return "eu_works"
    if nature == "social":
        return "eu_social"
    return "eu_services_central" if body == "central" else "eu_services_subcentral"


class _Limits:
    """The rows the advisor may use, picked by key, jurisdiction and day; what decided the path is noted."""

    def __init__(self, rows: list[Limit], on: date) -> None:
        self.rows = rows
        self.on = on
        self.used: list[Limit] = []

    def get(self, key: str, jurisdiction: str) -> Limit | None:
        found = [r for r in self.rows if r.key == key and r.jurisdiction == jurisdiction and r.valid_on(self.on)]
        return max(found, key=lambda r: r.valid_from) if found else None

    def last_ended(self, key: str, jurisdiction: str) -> Limit | None:
        ended = [
            r
            for r in self.rows
            if r.key == key and r.jurisdiction == jurisdiction and r.valid_to and r.valid_to < self.on
        ]
        return max(ended, key=lambda r: r.valid_from) if ended else None

    def use(self, limit: Limit | None) -> Limit | None:
        if limit is not None and limit not in self.used:
            self.used.append(limit)
        return limit


def advise(question: Question, rows: list[Limit], today: date | None = None) -> Advice:
    """Propose a procedure. ``rows`` are all value limits (any date); the advice picks those valid on the day
    the procedure starts."""
    on = question.on or today or date.today()
    limits = _Limits(rows, on)
    advice = _decide(question, limits, on)
    rules = load_rules()
    path = rules["paths"].get(advice.procedure, {})
    advice.rule = advice.rule or path.get("rule", "")
    advice.limits_used = limits.used
    advice.estimated_total = question.total
    advice.reference_date = on
    advice.rules_version = rules["version"]
    checked = [lim.checked_on for lim in limits.used if lim.checked_on]
    advice.legal_status = max([date.fromisoformat(rules["legal_status"]), *checked]).isoformat()
    keys = list(dict.fromkeys([*path.get("sources", []), *(["gwb"] if advice.procedure.startswith("eu_") else [])]))
    advice.sources = [{"key": key, **rules["sources"][key]} for key in keys if key in rules["sources"]]
    advice.missing = list(dict.fromkeys(advice.missing))
    if question.it_kind in EVB_IT:
        name, why = EVB_IT[question.it_kind]
        advice.contract = (name, str(why))
    advice.disclaimer = _(
        "This is guidance, not legal advice. The contracting authority decides and documents the procedure; "
        "ask your procurement office in case of doubt."
    )
    return advice


def _aggregation(question: Question, advice: Advice) -> None:
    parts = [
        (_("options"), question.options_value),
        (_("extensions"), question.extensions_value),
        (_("follow-up orders (e.g. scale-up after the pilot)"), question.follow_up_value),
        (_("further call-offs under the framework agreement"), question.call_offs_value),
    ]
    added = [(label, amount) for label, amount in parts if amount]
    if not added:
        return
    listed = ", ".join(f"{label} {euro(amount)}" for label, amount in added)
    advice.reasons.insert(
        0,
        _(
            "Estimated value: %(base)s plus %(parts)s = %(total)s. Options, extensions, follow-up orders and all "
            "call-offs count towards the value (§ 3 Abs. 1, 2 and 4 VgV)."
        )
        % {"base": euro(question.value), "parts": listed, "total": euro(question.total)},
    )
    advice.warnings.append(
        _(
            "Do not split the contract to stay below a limit (§ 3 Abs. 2 VgV): the pilot and its follow-up are "
            "valued together, even if the follow-up is ordered later."
        )
    )


def _decide(question: Question, limits: _Limits, on: date) -> Advice:
    advice = _path(question, limits, on)
    _aggregation(question, advice)
    return advice


def _path(question: Question, limits: _Limits, on: date) -> Advice:
    total = question.total
    jurisdiction = question.effective_jurisdiction
    body = question.effective_body
    missing: list[str] = []
    threshold = limits.get(eu_threshold_key(body, question.nature), "EU")
    if threshold is None:
        return Advice(
            "needs_input",
            _("No proposal possible"),
            "",
            [
                _("No EU threshold is recorded for %(date)s. Please ask a platform administrator to add it.")
                % {"date": day(on)}
            ],
        )
    limits.use(threshold)
    at_eu = total >= threshold.amount
    start = _("Limits valid on %(date)s, the day the procedure starts (§ 3 Abs. 3 VgV).") % {"date": day(on)}

    if question.nature == "rd":
        if question.rd_exclusive_results is None or question.rd_paid_in_full is None:
            missing = [k for k in ("rd_exclusive_results", "rd_paid_in_full") if getattr(question, k) is None]
            return Advice(
                "needs_input",
                _("More information needed for research and development"),
                _rule("pre_commercial"),
                [
                    _(
                        "Research and development services are exempt from procurement law unless the results "
                        "belong exclusively to the authority for its own use and it pays for them in full. Please "
                        "answer both questions."
                    )
                ],
                missing=missing,
            )
        if not (question.rd_exclusive_results and question.rd_paid_in_full):
            advice = Advice(
                "pre_commercial" if at_eu else "pre_commercial_below",
                _("Pre-commercial procurement of research and development services (exempt)"),
                "",
                [
                    _(
                        "The results do not belong exclusively to the authority or it does not pay for them in "
                        "full, so procurement law does not apply (§ 116 Abs. 1 Nr. 2 GWB). Keep competition, "
                        "transparency and budget law in mind."
                    ),
                    start,
                ],
            )
            if at_eu:
                advice.alternatives.append((_("Innovation partnership"), _rule("innovation_partnership")))
            return advice
        # Rückausnahme: procurement law applies in full; continue as an innovative service.
        question = Question(**{**question.__dict__, "nature": "services", "innovative": True})
        rd_note = _(
            "The results belong exclusively to the authority and it pays in full: the exemption of § 116 Abs. 1 "
            "Nr. 2 GWB does not apply, procurement law does."
        )
    else:
        rd_note = ""

    if at_eu:
        reason = _("The estimated value of %(value)s reaches the EU threshold of %(limit)s (§ 106 GWB).") % {
            "value": euro(total),
            "limit": euro(threshold.amount),
        }
        reasons = [r for r in (rd_note, reason, start) if r]
        if question.nature == "social":
            return Advice(
                "eu_social",
                _("EU procedure under the simplified rules for social and other specific services"),
                "",
                reasons,
            )
        works = question.nature == "works"
        if question.innovative:
            if question.market_available is False:
                advice = Advice(
                    "innovation_partnership_works" if works else "innovation_partnership",
                    _("Innovation partnership"),
                    "",
                    [
                        *reasons,
                        _(
                            "As answered, the solution is not yet available on the market: "
                            "it is to be developed and then bought."
                        ),
                    ],
                )
                advice.alternatives.append(
                    (
                        _("Negotiated procedure with a call for competition"),
                        _rule("eu_negotiated_innovative_works" if works else "eu_negotiated_innovative"),
                    )
                )
                return advice
            advice = Advice(
                "eu_negotiated_innovative_works" if works else "eu_negotiated_innovative",
                _("Negotiated procedure with a call for competition, for conceptual or innovative solutions"),
                "",
                reasons,
            )
            if question.market_available is None:
                advice.missing.append("market_available")
                advice.notes.append(
                    _(
                        "If the solution is not yet available on the market, "
                        "an innovation partnership is possible as well."
                    )
                )
            if not works:
                advice.alternatives.append((_("Competitive dialogue"), _rule("competitive_dialogue")))
            return advice
        if works:
            return Advice("eu_works", _("EU procedure for works"), "", reasons)
        advice = Advice("eu_open", _("EU open or restricted procedure"), "", reasons)
        advice.alternatives.append(
            (
                _("Negotiated procedure with a call for competition, for conceptual or innovative solutions"),
                _rule("eu_negotiated_innovative"),
            )
        )
        return advice

    below = _("The estimated value of %(value)s stays below the EU threshold of %(limit)s.") % {
        "value": euro(total),
        "limit": euro(threshold.amount),
    }
    head = [r for r in (rd_note, below, start) if r]
    if not jurisdiction:
        return Advice(
            "needs_input",
            _("Please name the contracting authority"),
            "",
            [*head, _("Below the EU threshold the limits differ between the Bund and each Land.")],
            missing=["jurisdiction"],
        )
    if jurisdiction in ("other_land", "hh_enterprise"):
        why = (
            _("No value limits of other Länder are recorded here yet; Hamburg's limits do not apply to them.")
            if jurisdiction == "other_land"
            else _(
                "The Hamburg procurement directive binds the Hamburg administration, not its public enterprises; "
                "their own procurement rules are not recorded here."
            )
        )
        advice = Advice(
            "no_land_limits",
            _("National procedure under the rules of your Land or enterprise"),
            "",
            [*head, why, _("Please ask your procurement office which procedure applies.")],
        )
        if question.venture_client:
            advice.notes.append(_("The experimentation clause binds only the Hamburg administration."))
        return advice
    if jurisdiction == "bund":
        advice = _bund(question, limits, head)
    else:
        return _hamburg(question, limits, head, on)
    if question.venture_client:
        advice.notes.append(_("The experimentation clause is Hamburg's: it does not apply to federal authorities."))
    return advice


def _bund(question: Question, limits: _Limits, head: list[str]) -> Advice:
    total = question.total
    if question.nature == "works":
        return Advice(
            "national_works",
            _("National procedure for works"),
            "",
            [*head, _("No federal value limits for works are recorded here; the public tender is the rule.")],
        )
    direct = limits.use(limits.get("direct_award", "DE"))
    if direct is not None and total <= direct.amount:
        return Advice(
            "bund_direct_award",
            _("Direct award (Direktauftrag)"),
            "",
            [
                *head,
                _("The value is within the federal limit for direct awards of %(limit)s.")
                % {"limit": euro(direct.amount)},
            ],
        )
    return _uvgo(question, head, _("The value is above the federal limit for direct awards."))


def _uvgo(question: Question, head: list[str], why: str) -> Advice:
    if question.nature == "social":
        return Advice(
            "uvgo_social",
            _("Award of social and other specific services under simplified rules"),
            "",
            [*head, why, _("Social and other specific services may be awarded by negotiated award (§ 49 UVgO).")],
        )
    if question.innovative:
        return Advice(
            "negotiated_innovative",
            _("Negotiated award (Verhandlungsvergabe) for a conceptual or innovative solution"),
            "",
            [*head, why, _("The work calls for conceptual or innovative solutions.")],
        )
    return Advice(
        "public_tender",
        _("Public tender or restricted tender with a call for competition"),
        "",
        [*head, why],
    )


def _clause_check(question: Question, limits: _Limits, on: date) -> tuple[Limit | None, list[str], list[str]]:
    """The experimentation clause: every condition checked; returns the limit if all hold, the unmet ones, and the
    inputs that are missing to decide."""
    unmet: list[str] = []
    missing: list[str] = []
    clause = limits.get("experimentation_clause", "DE-HH")
    if clause is None:
        ended = limits.last_ended("experimentation_clause", "DE-HH")
        if ended is not None and ended.valid_to is not None:
            unmet.append(
                _("The experimentation clause ended on %(date)s; the procedure starts on %(start)s.")
                % {"date": day(ended.valid_to), "start": day(on)}
            )
            limits.use(ended)
        else:
            unmet.append(_("No experimentation clause is recorded for this date."))
        return None, unmet, missing
    if not question.venture_client:
        unmet.append(_("The venture-client unit (GovTecHH) is not involved in preparing or negotiating the contract."))
    if not question.subject:
        missing.append("subject")
    elif question.subject == "other":
        unmet.append(
            _(
                "The subject is neither the use or development of new technologies "
                "nor the modernisation or digitalisation of the administration."
            )
        )
    if question.term_months is None:
        missing.append("term_months")
    elif clause.max_term_months is not None and question.term_months > clause.max_term_months:
        unmet.append(
            _("The contract term of %(term)s months exceeds the %(max)s months the clause allows.")
            % {"term": question.term_months, "max": clause.max_term_months}
        )
    if question.total > clause.amount:
        unmet.append(_("The value exceeds the clause's limit of %(limit)s.") % {"limit": euro(clause.amount)})
    return (clause if not unmet and not missing else None), unmet, missing


def _hamburg(question: Question, limits: _Limits, head: list[str], on: date) -> Advice:
    total = question.total
    if question.nature == "works":
        direct = limits.get("works_direct", "DE-HH")
        free = limits.get("works_free", "DE-HH")
        restricted = limits.get("works_restricted", "DE-HH")
        for limit, key, title in (
            (direct, "hh_works_direct", _("Direct award for works (Direktauftrag)")),
            (free, "hh_works_free", _("Negotiated award for works (freihändige Vergabe)")),
            (restricted, "hh_works_restricted", _("Restricted tender for works without a call for competition")),
        ):
            if limit is not None and total <= limit.amount:
                limits.use(limit)
                return Advice(
                    key,
                    title,
                    "",
                    [
                        *head,
                        _("The value is within Hamburg's limit of %(limit)s for works.")
                        % {"limit": euro(limit.amount)},
                    ],
                )
        if restricted is not None:
            limits.use(restricted)
        return Advice(
            "national_works",
            _("National procedure for works"),
            "",
            [*head, _("The value is above Hamburg's limits for simpler procedures for works.")],
        )
    direct = limits.get("direct_award", "DE-HH")
    uvgo_from = limits.get("uvgo_from", "DE-HH")
    if direct is not None and total <= direct.amount:
        limits.use(direct)
        return Advice(
            "hh_direct_award",
            _("Direct award (Direktauftrag)"),
            "",
            [
                *head,
                _("The value is within Hamburg's limit for direct awards of %(limit)s.")
                % {"limit": euro(direct.amount)},
            ],
        )
    if uvgo_from is None:
        return Advice(
            "needs_input",
            _("No proposal possible"),
            "",
            [*head, _("No Hamburg limit for the UVgO is recorded for this date.")],
        )
    limits.use(uvgo_from)
    # The clause is weighed only where it can decide: above the direct award, with GovTecHH involved.
    clause: Limit | None = None
    unmet: list[str] = []
    missing: list[str] = []
    if question.venture_client:
        clause, unmet, missing = _clause_check(question, limits, on)
    not_possible = [_("Experimentation clause not possible: %(why)s") % {"why": why} for why in unmet]
    if clause is not None and total == uvgo_from.amount:
        limits.use(clause)
        advice = Advice(
            "unsettled",
            _("Unsettled: two readings at exactly %(limit)s") % {"limit": euro(total)},
            "",
            [
                *head,
                _(
                    "The clause allows one company's offer “up to” %(limit)s, while § 2a HmbVgG applies the UVgO "
                    "“from” %(limit)s. Which rule wins at exactly this value is not settled; the advisor does not "
                    "choose. Ask the procurement office, or lower the value by one cent and record why."
                )
                % {"limit": euro(total)},
            ],
        )
        advice.unsettled = [
            {
                "reading": str(_("The clause applies")),
                "procedure": "experimentation_clause",
                "rule": _rule("experimentation_clause"),
            },
            {
                "reading": str(_("The UVgO applies")),
                "procedure": "public_tender",
                "rule": _rule("public_tender"),
            },
        ]
        advice.clause_ends = clause.valid_to
        return advice
    if total < uvgo_from.amount:
        if clause is not None:
            limits.use(clause)
            advice = Advice(
                "experimentation_clause",
                _("Offer from a single company under the experimentation clause"),
                "",
                [
                    *head,
                    _(
                        "All conditions of the experimentation clause hold: GovTecHH is involved, "
                        "the subject is new technology "
                        "or the modernisation of the administration, the term is at most %(max)s months and the "
                        "value at most %(limit)s. The authority may ask a single company for an offer; record in "
                        "the file why this company and this solution."
                    )
                    % {"max": clause.max_term_months or 24, "limit": euro(clause.amount)},
                ],
            )
            advice.clause_ends = clause.valid_to
            if clause.valid_to:
                advice.warnings.append(
                    _("The experimentation clause is recorded until %(date)s: the procedure must start by then.")
                    % {"date": day(clause.valid_to)}
                )
            advice.alternatives.append(
                (
                    _("Simplified procedure under the Hamburg procurement directive"),
                    _rule("hh_simplified"),
                )
            )
            return advice
        advice = Advice(
            "hh_simplified",
            _("Simplified procedure under the Hamburg procurement directive (below 100,000 €)"),
            "",
            [
                *head,
                _(
                    "Below %(limit)s Hamburg does not apply the UVgO "
                    "but the simplified procedure of its procurement directive."
                )
                % {"limit": euro(uvgo_from.amount)},
            ],
        )
        advice.notes += not_possible
        advice.missing += missing
        return advice
    advice = _uvgo(
        question,
        head,
        _("From %(limit)s Hamburg applies the UVgO (§ 2a HmbVgG).") % {"limit": euro(uvgo_from.amount)},
    )
    advice.notes += not_possible
    return advice
