"""Every write to a pilot: design, start (checklists), tracking, and the decision that closes the need."""

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lotsenhaus.accounts.models import User
from lotsenhaus.airegister.selectors import use_case_has_assessment
from lotsenhaus.core.audit import audit
from lotsenhaus.core.exceptions import ApplicationError
from lotsenhaus.core.exports import csv_rows
from lotsenhaus.core.validation import clean_or_refuse, require_permission, versioned_edit
from lotsenhaus.evaluations.models import EvaluationStatus
from lotsenhaus.evaluations.selectors import evaluation_of, prices
from lotsenhaus.exploration.selectors import shortlist
from lotsenhaus.needs.stages import need_stage_advance
from lotsenhaus.notifications.models import Topic
from lotsenhaus.notifications.services import notifications_send
from lotsenhaus.organisations.selectors import is_member_of, people_of, unit_staff
from lotsenhaus.procurement import advisor
from lotsenhaus.procurement.selectors import advice_for, experimentation_clause_end

from . import audit_actions
from .models import (
    Decision,
    Kpi,
    Measurement,
    Milestone,
    Pilot,
    PilotDecision,
    PilotStatus,
    ReportSide,
    RiskItem,
    StatusReport,
)
from .selectors import kpi_evidence

CANVAS_FIELDS = [
    "goal", "hypotheses", "scope", "start_date", "end_date", "participating_units", "data_involved", "budget",
    "purchase_order", "startup_duties", "authority_duties", "exit_criteria", "follow_up",
]  # fmt: skip
PROCUREMENT_FIELDS = [
    "estimated_value", "options_value", "follow_up_value", "contracting_body", "jurisdiction", "work_nature",
    "subject_matter", "innovative", "market_available", "venture_client", "rd_exclusive_results", "rd_paid_in_full",
    "it_kind", "procedure_start", "procedure_reason",
]  # fmt: skip
CHECKLIST_FIELDS = [
    "avv_done", "dpia", "dpia_done", "hosting_checked", "certifications_checked", "accessibility_checked", "uses_ai",
    "ai_use_case", "ai_note",
]  # fmt: skip
PILOT_FIELDS = CANVAS_FIELDS + PROCUREMENT_FIELDS + CHECKLIST_FIELDS
# Venture-client practice: a real, paid pilot of a few months; longer ones are flagged, not refused.
TYPICAL_MAX_DAYS = 122


@transaction.atomic
def pilot_create(*, actor: User, need: Any, candidate: Any) -> Pilot:
    """Design the pilot with the chosen startup, after the evaluation is closed; the canvas starts from the need."""
    require_permission(actor, "pilots.design_pilot", need)
    evaluation = evaluation_of(user=actor, need=need)
    if evaluation is None or evaluation.status != EvaluationStatus.CLOSED:
        raise ApplicationError(_("Please close the evaluation before designing the pilot."), code="precondition")
    if not shortlist(need=need).filter(pk=candidate.pk).exists():
        raise ApplicationError(
            _("Only a startup on the short list can run the pilot."), field="candidate", code="not_allowed"
        )
    if Pilot.objects.filter(need=need).exists():
        raise ApplicationError(_("This need already has a pilot."), code="duplicate")
    price = prices(user=actor, evaluation=evaluation).get(candidate.pk)
    pilot = Pilot.objects.create(
        need=need,
        candidate=candidate,
        startup=candidate.startup,
        goal=need.desired_outcome,
        data_involved=need.data_involved,
        budget=price or need.budget_max,
        estimated_value=price or need.budget_max,
    )
    audit(actor=actor, action=audit_actions.PILOT_CREATE, obj=pilot, changes={"startup": [None, candidate.startup.pk]})
    return pilot


def term_months(pilot: Pilot) -> int | None:
    """The contract term in whole months, counted up, from the canvas dates."""
    if not (pilot.start_date and pilot.end_date):
        return None
    months = (pilot.end_date.year - pilot.start_date.year) * 12 + pilot.end_date.month - pilot.start_date.month
    return max(1, months + (1 if pilot.end_date.day >= pilot.start_date.day else 0))


def _advice(pilot: Pilot) -> advisor.Advice | None:
    if pilot.estimated_value is None:
        return None
    zero = Decimal(0)
    return advice_for(
        advisor.Question(
            value=pilot.estimated_value,
            body=pilot.contracting_body,
            jurisdiction=pilot.jurisdiction,
            nature=pilot.work_nature,
            innovative=pilot.innovative,
            venture_client=pilot.venture_client,
            on=pilot.procedure_start or timezone.localdate(),
            it_kind=pilot.it_kind,
            subject=pilot.subject_matter,
            term_months=term_months(pilot),
            options_value=pilot.options_value or zero,
            follow_up_value=pilot.follow_up_value or zero,
            market_available=pilot.market_available,
            rd_exclusive_results=pilot.rd_exclusive_results,
            rd_paid_in_full=pilot.rd_paid_in_full,
        )
    )


@transaction.atomic
def pilot_update(*, actor: User, pilot: Pilot, version: int, **fields: Any) -> Pilot:
    """Save the canvas, the procurement path or the checklist; the advisor's proposal is recorded with it."""
    require_permission(actor, "pilots.change_pilot", pilot)
    if pilot.status == PilotStatus.RUNNING and set(fields) & set(PROCUREMENT_FIELDS + CHECKLIST_FIELDS):
        raise ApplicationError(
            _("The procurement path and the checklists are fixed once the pilot runs."), code="wrong_state"
        )
    edit = versioned_edit(
        Pilot.objects.select_related("need"),
        pilot.pk,
        version,
        fields,
        PILOT_FIELDS,
        _("Someone else has saved this pilot in the meantime. Your changes were not saved. Please reload the page."),
    )
    current = edit.obj
    if current.contracting_body not in advisor.BODIES or current.work_nature not in advisor.NATURES:
        raise ApplicationError(_("Please choose the nature of the work."), field="work_nature", code="required")
    if current.jurisdiction and current.jurisdiction not in advisor.JURISDICTIONS:
        raise ApplicationError(_("Unknown contracting authority."), field="jurisdiction", code="invalid_value")
    if current.subject_matter and current.subject_matter not in advisor.SUBJECTS:
        raise ApplicationError(_("Unknown subject matter."), field="subject_matter", code="invalid_value")
    if current.it_kind not in advisor.IT_KINDS:
        raise ApplicationError(_("Unknown kind of IT contract."), field="it_kind", code="invalid_value")
    if current.start_date and current.end_date and current.end_date < current.start_date:
        raise ApplicationError(_("The end cannot lie before the start."), field="end_date", code="invalid_date")
    advised = set([*PROCUREMENT_FIELDS, "start_date", "end_date"])
    if set(fields) & advised:
        advice = _advice(current)
        current.advice = advice.as_record() if advice else {}
        current.advice_at = timezone.now() if advice else None

    def new_advice(saved: Pilot, changes: dict[str, Any]) -> dict[str, Any]:
        if saved.advice and set(changes) & advised:
            return {"advice": [None, saved.advice.get("procedure")]}
        return {}

    edit.save(
        actor=actor,
        action=audit_actions.PILOT_UPDATE,
        exclude=["need", "candidate", "startup", "ai_use_case"],
        after_save=new_advice,
    )
    return current


def long_pilot(pilot: Pilot) -> bool:
    return bool(pilot.start_date and pilot.end_date and (pilot.end_date - pilot.start_date).days > TYPICAL_MAX_DAYS)


def missing_before_start(pilot: Pilot) -> list[str]:
    """Everything the checklists and the canvas still lack, in words; the pilot starts only when this is empty."""
    labels = {f.name: str(f.verbose_name) for f in Pilot._meta.fields}
    missing = [
        labels[name]
        for name in ("goal", "start_date", "end_date", "budget", "purchase_order", "exit_criteria")
        if not getattr(pilot, name)
    ]
    if not pilot.kpis.exists():
        missing.append(_("at least one KPI with baseline and target"))
    if not pilot.advice:
        missing.append(_("procurement path (estimated value)"))
    if not pilot.procedure_reason:
        missing.append(labels["procedure_reason"])
    for name in ("avv_done", "hosting_checked", "certifications_checked", "accessibility_checked"):
        if not getattr(pilot, name):
            missing.append(labels[name])
    if not pilot.dpia:
        missing.append(labels["dpia"])
    elif pilot.dpia == "yes" and not pilot.dpia_done:
        missing.append(labels["dpia_done"])
    if pilot.uses_ai:
        if pilot.ai_use_case_id is None:
            missing.append(_("AI register entry with an AI Act assessment"))
        elif not use_case_has_assessment(use_case_id=pilot.ai_use_case_id):
            missing.append(_("an AI Act assessment for the AI register entry"))
    return missing


@transaction.atomic
def pilot_start(*, actor: User, pilot: Pilot) -> Pilot:
    pilot = Pilot.objects.select_for_update().select_related("need", "startup").get(pk=pilot.pk)
    require_permission(actor, "pilots.start_pilot", pilot)
    if missing := missing_before_start(pilot):
        raise ApplicationError(
            _("Before the pilot can start, please complete: %(items)s") % {"items": ", ".join(missing)},
            code="precondition",
        )
    need_stage_advance(actor=actor, need=pilot.need, action="start_pilot", manager="pilot")
    pilot.status = PilotStatus.RUNNING
    pilot.started_at = timezone.now()
    pilot.version += 1
    pilot.save(update_fields=["status", "started_at", "version", "updated_at"])
    audit(actor=actor, action=audit_actions.PILOT_START, obj=pilot, changes={"status": ["design", "running"]})
    _tell_startup(pilot, actor, "start")
    return pilot


def _tell_startup(pilot: Pilot, actor: User, event: str) -> None:
    """The pilot's startup hears when its pilot starts and how it was decided (issue 17, notifications)."""
    title = pilot.need.title
    decision = pilot.decisions.order_by("-pk").first() if event == "decision" else None
    notifications_send(
        recipients=people_of(organisation_ids=[pilot.startup.organisation_id]),
        actor=actor,
        topic=Topic.MILESTONE,
        title=lambda: (
            _("Your pilot “%(title)s” has started") % {"title": title}
            if decision is None
            else _("Your pilot “%(title)s” has been decided: %(decision)s")
            % {"title": title, "decision": decision.get_decision_display()}
        ),
        url=reverse("pilots:detail", args=[pilot.pk]),
        key=f"pilot-{event}:{pilot.pk}:{decision.pk if decision else ''}",
    )


@transaction.atomic
def kpi_add(*, actor: User, pilot: Pilot, name: str, baseline: Decimal, target: Decimal, unit: str = "") -> Kpi:
    require_permission(actor, "pilots.track_pilot", pilot)
    if baseline == target:
        raise ApplicationError(
            _("Target and baseline must differ, or there is nothing to measure."), field="target", code="invalid_value"
        )
    kpi = Kpi(pilot=pilot, name=name.strip(), unit=unit.strip(), baseline=baseline, target=target)
    clean_or_refuse(kpi, exclude=["pilot"])
    kpi.save()
    audit(
        actor=actor,
        action=audit_actions.PILOT_KPI_ADD,
        obj=pilot,
        changes={"kpi": [None, kpi.name], "baseline": str(baseline), "target": str(target)},
    )
    return kpi


def _measure(actor: User, kpi: Kpi, measured_on: date, value: Decimal, note: str, imported: bool) -> bool:
    if measured_on > timezone.localdate():
        raise ApplicationError(_("A measurement cannot lie in the future."), field="measured_on", code="invalid_date")
    _obj, created = Measurement.objects.update_or_create(
        kpi=kpi,
        measured_on=measured_on,
        defaults={"value": value, "note": note.strip()[:300], "imported": imported, "recorded_by": actor},
    )
    return created


@transaction.atomic
def measurement_record(*, actor: User, kpi: Kpi, measured_on: date, value: Decimal, note: str = "") -> None:
    """One value a day per KPI; entering the same day again corrects it."""
    require_permission(actor, "pilots.track_pilot", kpi.pilot)
    created = _measure(actor, kpi, measured_on, value, note, imported=False)
    audit(
        actor=actor,
        action=audit_actions.PILOT_MEASURE,
        obj=kpi.pilot,
        changes={"kpi": kpi.name, "date": measured_on, "value": str(value), "corrected": not created},
    )


def _decimal(text: str) -> Decimal:
    cleaned = text.strip().replace(" ", "")
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    return Decimal(cleaned)


@transaction.atomic
def measurements_import(*, actor: User, pilot: Pilot, content: bytes) -> tuple[int, int]:
    """CSV with the columns KPI;Datum;Wert[;Notiz] (comma also accepted).

    All rows or none: one bad row and nothing is saved, so a half-imported series never exists.
    """
    require_permission(actor, "pilots.track_pilot", pilot)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ApplicationError(_("The file is not UTF-8 text."), field="file", code="invalid_file") from exc
    rows = csv_rows(text)
    by_name = {k.name.casefold(): k for k in pilot.kpis.all()}
    errors: list[str] = []
    parsed: list[tuple[Kpi, date, Decimal, str]] = []
    for number, row in enumerate(rows, start=1):
        if not row or not any(cell.strip() for cell in row):
            continue
        if number == 1 and row[0].strip().casefold() in {"kpi", "kennzahl"}:
            continue
        if len(row) < 3:
            errors.append(_("line %(n)s: three columns expected (KPI, date, value)") % {"n": number})
            continue
        kpi = by_name.get(row[0].strip().casefold())
        if kpi is None:
            errors.append(_("line %(n)s: unknown KPI “%(name)s”") % {"n": number, "name": row[0].strip()[:60]})
            continue
        try:
            day = date.fromisoformat(row[1].strip()) if "-" in row[1] else _german_date(row[1])
        except ValueError:
            errors.append(_("line %(n)s: date not understood (YYYY-MM-DD or DD.MM.YYYY)") % {"n": number})
            continue
        try:
            value = _decimal(row[2])
        except InvalidOperation:
            errors.append(_("line %(n)s: value is not a number") % {"n": number})
            continue
        if day > timezone.localdate():
            errors.append(_("line %(n)s: date lies in the future") % {"n": number})
            continue
        parsed.append((kpi, day, value, row[3] if len(row) > 3 else ""))
    if errors:
        raise ApplicationError(
            _("Nothing was imported. %(errors)s") % {"errors": "; ".join(errors[:10])},
            field="file",
            code="invalid_file",
        )
    if not parsed:
        raise ApplicationError(_("The file contains no measurements."), field="file", code="invalid_file")
    created = sum(_measure(actor, kpi, day, value, note, imported=True) for kpi, day, value, note in parsed)
    audit(
        actor=actor,
        action=audit_actions.PILOT_MEASURE_IMPORT,
        obj=pilot,
        changes={"created": created, "updated": len(parsed) - created},
    )
    return created, len(parsed) - created


def _german_date(text: str) -> date:
    day, month, year = (int(part) for part in text.strip().split("."))
    return date(year, month, day)


@transaction.atomic
def milestone_add(*, actor: User, pilot: Pilot, title: str, due_on: date, owner: Any = None) -> Milestone:
    require_permission(actor, "pilots.track_pilot", pilot)
    if owner is not None and not (
        is_member_of(owner, pilot.need.organisation_id)
        or is_member_of(owner, pilot.startup.organisation_id)
        or owner.has_perm("pilots.view_portfolio")
    ):
        raise ApplicationError(
            _("The owner must belong to the authority, the startup or the unit."), field="owner", code="not_allowed"
        )
    milestone = Milestone(pilot=pilot, title=title.strip(), due_on=due_on, owner=owner)
    clean_or_refuse(milestone, exclude=["pilot", "owner"])
    milestone.save()
    audit(
        actor=actor,
        action=audit_actions.PILOT_MILESTONE_ADD,
        obj=pilot,
        changes={"milestone": [None, milestone.title], "due_on": due_on},
    )
    return milestone


@transaction.atomic
def milestone_done(*, actor: User, milestone: Milestone, done_on: date | None = None) -> Milestone:
    require_permission(actor, "pilots.track_pilot", milestone.pilot)
    milestone.done_on = done_on or timezone.localdate()
    milestone.save(update_fields=["done_on"])
    audit(
        actor=actor,
        action=audit_actions.PILOT_MILESTONE_DONE,
        obj=milestone.pilot,
        changes={"milestone": milestone.title, "done_on": milestone.done_on},
    )
    return milestone


@transaction.atomic
def status_report_add(*, actor: User, pilot: Pilot, text: str) -> StatusReport:
    require_permission(actor, "pilots.report_status", pilot)
    if not text.strip():
        raise ApplicationError(_("Please write the status."), field="text", code="required")
    if is_member_of(actor, pilot.startup.organisation_id):
        side = ReportSide.STARTUP
    elif is_member_of(actor, pilot.need.organisation_id):
        side = ReportSide.AUTHORITY
    else:
        side = ReportSide.UNIT
    report = StatusReport.objects.create(pilot=pilot, side=side, text=text.strip()[:5000], author=actor)
    audit(actor=actor, action=audit_actions.PILOT_STATUS_REPORT, obj=pilot, changes={"side": side})
    return report


@transaction.atomic
def risk_add(*, actor: User, pilot: Pilot, kind: str, title: str, severity: str, mitigation: str = "") -> RiskItem:
    require_permission(actor, "pilots.track_pilot", pilot)
    item = RiskItem(
        pilot=pilot, kind=kind, title=title.strip(), severity=severity, mitigation=mitigation.strip(), created_by=actor
    )
    clean_or_refuse(item, exclude=["pilot", "created_by"])
    item.save()
    audit(
        actor=actor,
        action=audit_actions.PILOT_RISK_ADD,
        obj=pilot,
        changes={"risk": [None, item.title], "severity": severity},
    )
    return item


@transaction.atomic
def risk_resolve(*, actor: User, risk: RiskItem) -> RiskItem:
    require_permission(actor, "pilots.track_pilot", risk.pilot)
    risk.resolved = True
    risk.save(update_fields=["resolved"])
    audit(actor=actor, action=audit_actions.PILOT_RISK_RESOLVE, obj=risk.pilot, changes={"risk": risk.title})
    return risk


OUTCOME_OF = {Decision.ADOPT: "adopted", Decision.SCALE: "adopted", Decision.END: "not_adopted"}


def lessons_template(pilot: Pilot, decision: PilotDecision) -> str:
    lines = [
        _("What we wanted: %(goal)s") % {"goal": pilot.goal},
        _("What we decided: %(decision)s – %(reasons)s")
        % {"decision": decision.get_decision_display(), "reasons": decision.reasons},
        _("What the KPIs showed:"),
    ]
    for item in decision.evidence:
        lines.append(f"- {item['kpi']}: {item['baseline']} → {item['latest'] or '–'} ({_('target')} {item['target']})")
    lines += [
        "",
        _("What worked well:"),
        "",
        _("What we would do differently:"),
        "",
        _("Advice for other authorities:"),
        "",
    ]
    return "\n".join(lines)


@transaction.atomic
def pilot_decide(
    *,
    actor: User,
    pilot: Pilot,
    decision: str,
    reasons: str,
    scale_to: list[Any] | None = None,
    new_end_date: date | None = None,
) -> PilotDecision:
    """Adopt, scale or end closes the need's life cycle; extend moves the end. The KPI evidence is kept as it stood."""
    # Checked on the locked, current row: a caller's stale copy must not decide a pilot twice.
    pilot = Pilot.objects.select_for_update().select_related("need", "startup").get(pk=pilot.pk)
    require_permission(actor, "pilots.decide_pilot", pilot)
    if decision not in Decision.values:
        raise ApplicationError(_("Please choose a decision."), field="decision", code="required")
    if not reasons.strip():
        raise ApplicationError(_("Please give the reasons for the decision."), field="reasons", code="required")
    scale_to = list(scale_to or [])
    if decision == Decision.SCALE and not scale_to:
        raise ApplicationError(
            _("Please list the authorities the solution is rolled out to."), field="scale_to", code="required"
        )
    if decision == Decision.EXTEND and (new_end_date is None or (pilot.end_date and new_end_date <= pilot.end_date)):
        raise ApplicationError(
            _("Please give a new end after the current one."), field="new_end_date", code="invalid_date"
        )
    record = PilotDecision.objects.create(
        pilot=pilot,
        decision=decision,
        reasons=reasons.strip(),
        new_end_date=new_end_date if decision == Decision.EXTEND else None,
        evidence=kpi_evidence(pilot=pilot),
        decided_by=actor,
    )
    if decision == Decision.SCALE:
        record.scale_to.set(scale_to)
    changes: dict[str, Any] = {"decision": [None, decision], "reasons": reasons.strip()}
    if decision == Decision.EXTEND:
        changes["end_date"] = [pilot.end_date, new_end_date]
        pilot.end_date = new_end_date
        pilot.save(update_fields=["end_date", "updated_at"])
    else:
        need_stage_advance(
            actor=actor,
            need=pilot.need,
            action="close",
            manager="pilot",
            outcome=OUTCOME_OF[Decision(decision)],
        )
        pilot.status = PilotStatus.DECIDED
        pilot.lessons_learned = pilot.lessons_learned or lessons_template(pilot, record)
        pilot.version += 1
        pilot.save(update_fields=["status", "lessons_learned", "version", "updated_at"])
        notifications_send(
            recipients={*people_of(organisation_ids=[pilot.need.organisation_id]), *unit_staff()},
            topic=Topic.KNOWLEDGE,
            title=lambda: (
                _("Pilot decided: please share the lessons learned of “%(title)s”") % {"title": pilot.need.title}
            ),
            url=reverse("pilots:detail", args=[pilot.pk]) + "#lessons-heading",
            key=f"pilot-lessons:{pilot.pk}",
        )
        if scale_to:
            changes["scale_to"] = [o.name for o in scale_to]
    audit(actor=actor, action=audit_actions.PILOT_DECIDE, obj=pilot, changes=changes)
    _tell_startup(pilot, actor, "decision")
    return record


@transaction.atomic
def lessons_save(*, actor: User, pilot: Pilot, text: str) -> Pilot:
    require_permission(actor, "pilots.write_lessons", pilot)
    before = pilot.lessons_learned
    pilot.lessons_learned = text.strip()[:10000]
    pilot.save(update_fields=["lessons_learned", "updated_at"])
    audit(
        actor=actor,
        action=audit_actions.PILOT_LESSONS,
        obj=pilot,
        changes={"lessons_learned": [len(before), len(pilot.lessons_learned)]},
    )
    return pilot


@transaction.atomic
def milestone_remind(*, milestone_id: int) -> int:
    """E-mail one reminder for a milestone due soon, once, to its owner and the unit (safe to run twice)."""
    milestone = (
        Milestone.objects.select_for_update(of=("self",))
        .select_related("pilot__need", "owner")
        .filter(pk=milestone_id, done_on__isnull=True, reminded_at__isnull=True)
        .first()
    )
    if milestone is None:
        return 0
    recipients = set(unit_staff())
    if milestone.owner is not None:
        recipients.add(milestone.owner)
    pilot = milestone.pilot
    sent = notifications_send(
        recipients=recipients,
        topic=Topic.MILESTONE,
        title=lambda: (
            _("Milestone due on %(date)s: %(title)s") % {"date": milestone.due_on.isoformat(), "title": milestone.title}
        ),
        body=lambda: _("Pilot: %(need)s") % {"need": pilot.need.title},
        url=reverse("pilots:detail", args=[pilot.pk]),
        key=f"milestone:{milestone.pk}",
    )
    milestone.reminded_at = timezone.now()
    milestone.save(update_fields=["reminded_at"])
    return sent


CLAUSE_WARNING_DAYS = 60


def _clause_body(need: str) -> Any:
    return lambda: (
        _("The pilot “%(need)s” relies on it. Start the procedure before then or choose another procedure.")
        % {"need": need}
    )


def _clause_end_within_warning(today: date) -> date | None:
    """The recorded end of the experimentation clause, if it lies within the warning period from ``today``."""
    ends = experimentation_clause_end(today)
    return ends if ends is not None and (ends - today).days <= CLAUSE_WARNING_DAYS else None


def clause_ends_soon(pilot: Pilot, today: Any = None) -> date | None:
    """The clause's end, if this pilot relies on it and it ends within the warning period."""
    if (pilot.advice or {}).get("procedure") != "experimentation_clause" or pilot.status == PilotStatus.DECIDED:
        return None
    return _clause_end_within_warning(today or timezone.localdate())


def clause_expiry_notify(*, today: Any = None) -> int:
    """Warn the unit, from 60 days before the experimentation clause ends (as recorded in the limits, so an
    extension entered by the administrators moves the warning), about every pilot whose procedure relies on it
    (safe to run twice: one notification per pilot and end date)."""
    ends = _clause_end_within_warning(today or timezone.localdate())
    if ends is None:
        return 0
    pilots = Pilot.objects.filter(
        status__in=[PilotStatus.DESIGN, PilotStatus.RUNNING], advice__procedure="experimentation_clause"
    ).select_related("need")
    sent = 0
    recipients = list(unit_staff())
    for pilot in pilots:
        need = pilot.need.title
        sent += notifications_send(
            recipients=recipients,
            topic=Topic.MILESTONE,
            title=lambda: _("The experimentation clause ends on %(date)s") % {"date": ends.isoformat()},
            body=_clause_body(need),
            url=reverse("pilots:detail", args=[pilot.pk]),
            key=f"clause-expiry:{pilot.pk}:{ends.isoformat()}",
        )
    return sent
