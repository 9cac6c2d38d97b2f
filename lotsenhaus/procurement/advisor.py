"""The procurement path advisor: from value, contracting body and kind of work to a proposed procedure.

Guidance, not legal advice. No amount is written here: every limit comes from ``ValueLimit`` rows valid on
the given date, so a change of thresholds is a data change. "Up to" limits include the amount itself; an EU
threshold applies when the value reaches it (§ 106 GWB).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

BODIES = {
    "subcentral": gettext_lazy("Sub-central authority (Land, municipality)"),
    "central": gettext_lazy("Central government authority"),
}
NATURES = {
    "services": gettext_lazy("Supplies or services"),
    "works": gettext_lazy("Works"),
    "social": gettext_lazy("Social and other specific services"),
    "rd": gettext_lazy("Research and development services (pre-commercial)"),
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


@dataclass(frozen=True)
class Limit:
    key: str
    amount: Decimal
    source: str
    valid_from: date
    valid_to: date | None


@dataclass(frozen=True)
class Question:
    value: Decimal
    body: str = "subcentral"
    nature: str = "services"
    innovative: bool = False
    venture_client: bool = True
    on: date | None = None
    it_kind: str = ""


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

    def as_record(self) -> dict[str, object]:
        """What the pilot's file keeps: the proposal and why, with the limits and their sources."""
        return {
            "procedure": self.procedure,
            "title": self.title,
            "rule": self.rule,
            "reasons": self.reasons,
            "alternatives": [list(a) for a in self.alternatives],
            "notes": self.notes,
            "limits": [
                {
                    "key": lim.key,
                    "amount": str(lim.amount),
                    "source": lim.source,
                    "valid_from": lim.valid_from.isoformat(),
                }
                for lim in self.limits_used
            ],
            "contract": list(self.contract) if self.contract else None,
        }


def euro(amount: Decimal) -> str:
    return f"{number_format(amount, 0, force_grouping=True)} €"


def eu_threshold_key(body: str, nature: str) -> str:
    if nature == "works":
        return "eu_works"
    if nature == "social":
        return "eu_social"
    return "eu_services_central" if body == "central" else "eu_services_subcentral"


def advise(question: Question, limits: dict[str, Limit]) -> Advice:
    value = question.value
    used: list[Limit] = []

    def limit(key: str) -> Limit | None:
        """A limit in force, noted as used so that the advice can cite its source."""
        found = limits.get(key)
        if found is not None and found not in used:
            used.append(found)
        return found

    advice = _decide(question, value, limit)
    advice.limits_used = used
    if question.it_kind in EVB_IT:
        name, why = EVB_IT[question.it_kind]
        advice.contract = (name, str(why))
    advice.disclaimer = _(
        "This is guidance, not legal advice. The contracting authority decides and documents the procedure; "
        "ask your procurement office in case of doubt."
    )
    return advice


def _decide(question: Question, value: Decimal, get: Callable[[str], Limit | None]) -> Advice:
    if question.nature == "rd":
        advice = Advice(
            "pre_commercial",
            _("Pre-commercial procurement of research and development services"),
            "§ 116 Abs. 1 Nr. 2 GWB",
            [
                _(
                    "Research and development services are exempt from public procurement law unless the results "
                    "belong exclusively to the authority for its own use and it pays for them in full."
                )
            ],
        )
        advice.alternatives.append((_("Innovation partnership"), "§ 119 Abs. 7 GWB, § 19 VgV"))
        return advice
    threshold = get(eu_threshold_key(question.body, question.nature))
    if threshold is None:
        return Advice(
            "unknown",
            _("No proposal possible"),
            "",
            [_("No EU threshold is recorded for this date. Please ask a platform administrator to add it.")],
        )
    if value >= threshold.amount:
        reason = _("The estimated value of %(value)s reaches the EU threshold of %(limit)s (§ 106 GWB).") % {
            "value": euro(value),
            "limit": euro(threshold.amount),
        }
        if question.nature == "social":
            return Advice(
                "eu_social",
                _("EU procedure under the simplified rules for social and other specific services"),
                "§ 130 GWB, §§ 64 ff. VgV",
                [reason],
            )
        if question.innovative:
            advice = Advice(
                "innovation_partnership",
                _("Innovation partnership"),
                "§ 119 Abs. 7 GWB, § 19 VgV",
                [reason, _("The solution is not yet available on the market and is to be developed and then bought.")],
            )
            advice.alternatives.append(
                (_("Negotiated procedure with a call for competition"), "§ 119 Abs. 5 GWB, § 14 Abs. 3 VgV")
            )
            return advice
        if question.nature == "works":
            return Advice("eu_works", _("EU procedure for works"), "§ 119 GWB, VOB/A Abschnitt 2", [reason])
        advice = Advice("eu_open", _("EU open or restricted procedure"), "§ 119 Abs. 3, 4 GWB, §§ 15, 16 VgV", [reason])
        advice.alternatives.append(
            (
                _("Negotiated procedure with a call for competition, for conceptual or innovative solutions"),
                "§ 14 Abs. 3 VgV",
            )
        )
        return advice
    below = _("The estimated value of %(value)s stays below the EU threshold of %(limit)s.") % {
        "value": euro(value),
        "limit": euro(threshold.amount),
    }
    if question.nature == "works":
        return Advice(
            "national_works",
            _("National procedure for works"),
            "VOB/A Abschnitt 1",
            [below, _("Value limits for works are not recorded here; please ask your procurement office.")],
        )
    direct = get("direct_award")
    negotiated = get("negotiated_award")
    ex_post = get("ex_post_publication")
    clause = get("experimentation_clause") if question.venture_client else None
    if direct is not None and value <= direct.amount:
        advice = Advice(
            "direct_award",
            _("Direct award (Direktauftrag)"),
            "§ 14 UVgO",
            [
                below,
                _("The value is within the limit for direct awards of %(limit)s.") % {"limit": euro(direct.amount)},
            ],
        )
    elif clause is not None and value <= clause.amount:
        advice = Advice(
            "experimentation_clause",
            _("Offer from a single company under the experimentation clause"),
            clause.source,
            [
                below,
                _(
                    "The venture-client unit is involved and the value is within %(limit)s: the authority may ask a "
                    "single company for an offer. Record in the file why this company and this solution."
                )
                % {"limit": euro(clause.amount)},
            ],
        )
        advice.alternatives.append(
            (_("Negotiated award for conceptual or innovative solutions"), "§ 8 Abs. 4 Nr. 1 UVgO")
        )
    elif question.innovative:
        advice = Advice(
            "negotiated_innovative",
            _("Negotiated award (Verhandlungsvergabe) for a conceptual or innovative solution"),
            "§ 8 Abs. 4 Nr. 1 UVgO",
            [below, _("The work calls for conceptual or innovative solutions.")],
        )
    elif negotiated is not None and value <= negotiated.amount:
        advice = Advice(
            "negotiated_award",
            _("Negotiated award or restricted tender without a call for competition"),
            "§ 8 Abs. 3 und Abs. 4 Nr. 17 UVgO",
            [below, _("The value is within the local limit of %(limit)s.") % {"limit": euro(negotiated.amount)}],
        )
    else:
        advice = Advice(
            "public_tender",
            _("Public tender or restricted tender with a call for competition"),
            "§ 8 Abs. 2 UVgO",
            [below, _("The value is above the local limits for simpler procedures.")],
        )
    if ex_post is not None and value >= ex_post.amount and advice.procedure != "public_tender":
        advice.notes.append(
            _("From %(limit)s the award is published afterwards (ex-post transparency, § 30 UVgO).")
            % {"limit": euro(ex_post.amount)}
        )
    return advice
