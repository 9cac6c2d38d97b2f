"""Every write to an evaluation. Scores are independent: each evaluator writes only their own sheet."""

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lotsenhaus.accounts.models import User
from lotsenhaus.core.audit import audit, diff, snapshot
from lotsenhaus.core.exceptions import ApplicationError
from lotsenhaus.core.validation import clean_or_refuse, require_permission, versioned_edit
from lotsenhaus.exploration.selectors import shortlist
from lotsenhaus.needs.stages import need_stage_advance
from lotsenhaus.notifications.models import Topic
from lotsenhaus.notifications.services import notifications_send
from lotsenhaus.organisations.selectors import unit_staff

from . import audit_actions, scoring, selectors
from .models import (
    ConflictDeclaration,
    Criterion,
    CriterionKind,
    DecisionRule,
    Evaluation,
    EvaluationStatus,
    Evaluator,
    Price,
    PriceMethod,
    Score,
)
from .rules import forget_evaluator
from .selectors import candidates, may_evaluate, missing_on_sheet, own_sheet

SETTINGS_FIELDS = ["scale_max", "price_method", "tolerance_percent", "decision_rule", "decision_criterion"]


@transaction.atomic
def evaluation_start(*, actor: User, need: Any) -> Evaluation:
    """From the market exploration to the evaluation of its short list."""
    require_permission(actor, "evaluations.start_evaluation", need)
    if not shortlist(need=need).exists():
        raise ApplicationError(_("Please put at least one startup on the short list first."), code="precondition")
    need = need_stage_advance(actor=actor, need=need, action="start_evaluation", manager="evaluation")
    evaluation = Evaluation.objects.create(need=need)
    audit(actor=actor, action=audit_actions.EVALUATION_START, obj=evaluation)
    return evaluation


@transaction.atomic
def evaluation_update(*, actor: User, evaluation: Evaluation, version: int, **fields: Any) -> Evaluation:
    require_permission(actor, "evaluations.manage_evaluation", evaluation)
    if (
        "scale_max" in fields
        and fields["scale_max"] != evaluation.scale_max
        and evaluation.status != EvaluationStatus.SETUP
    ):
        raise ApplicationError(
            _("The scale cannot change once scoring has begun."), field="scale_max", code="wrong_state"
        )
    edit = versioned_edit(
        Evaluation.objects.all(),
        evaluation.pk,
        version,
        fields,
        SETTINGS_FIELDS,
        _("Someone else has changed the evaluation in the meantime. Please reload the page."),
    )
    current = edit.obj
    if current.decision_rule == DecisionRule.CRITERION:
        criterion = current.decision_criterion
        if criterion is None or criterion.evaluation_id != current.pk or criterion.kind != CriterionKind.WEIGHTED:
            raise ApplicationError(
                _("Please choose one of this evaluation's weighted criteria as the decision criterion."),
                field="decision_criterion",
                code="invalid_value",
            )
    edit.save(actor=actor, action=audit_actions.EVALUATION_UPDATE, exclude=["need", "decision_criterion"])
    return current


def _criterion_values(
    evaluation: Evaluation, kind: str, weight: Decimal, levels: list[str] | None
) -> tuple[Decimal, list[str]]:
    """A weighted criterion needs a weight and one description per level of the scale; others neither."""
    levels = [level.strip() for level in (levels or []) if level.strip()]
    if kind != CriterionKind.WEIGHTED:
        return Decimal(0), []
    if weight <= 0:
        raise ApplicationError(
            _("A weighted criterion needs a weight above 0 %."), field="weight", code="invalid_value"
        )
    if len(levels) != evaluation.scale_max + 1:
        raise ApplicationError(
            _("Please describe each of the %(count)s levels (0 to %(max)s), one per line.")
            % {"count": evaluation.scale_max + 1, "max": evaluation.scale_max},
            field="levels",
            code="invalid_value",
        )
    return weight, levels


@transaction.atomic
def criterion_add(
    *,
    actor: User,
    evaluation: Evaluation,
    kind: str,
    name: str,
    description: str = "",
    weight: Decimal = Decimal(0),
    levels: list[str] | None = None,
) -> Criterion:
    require_permission(actor, "evaluations.edit_criteria", evaluation)
    weight, levels = _criterion_values(evaluation, kind, weight, levels)
    criterion = Criterion(
        evaluation=evaluation,
        kind=kind,
        name=name.strip(),
        description=description.strip(),
        weight=weight,
        levels=levels,
        position=evaluation.criteria.count(),
    )
    clean_or_refuse(criterion, exclude=["evaluation"])
    criterion.save()
    audit(
        actor=actor,
        action=audit_actions.EVALUATION_CRITERION_ADD,
        obj=evaluation,
        changes={"criterion": [None, criterion.name], "kind": [None, kind], "weight": [None, weight]},
    )
    return criterion


CRITERION_AUDITED = ["name", "kind", "weight", "levels"]


@transaction.atomic
def criterion_update(
    *,
    actor: User,
    criterion: Criterion,
    kind: str,
    name: str,
    description: str = "",
    weight: Decimal = Decimal(0),
    levels: list[str] | None = None,
) -> Criterion:
    """Change a criterion while the evaluation is set up (issue 17, D40: it had to be deleted and retyped)."""
    evaluation = criterion.evaluation
    require_permission(actor, "evaluations.edit_criteria", evaluation)
    current = Criterion.objects.select_for_update().get(pk=criterion.pk)
    before = snapshot(current, CRITERION_AUDITED)
    current.weight, current.levels = _criterion_values(evaluation, kind, weight, levels)
    current.kind, current.name, current.description = kind, name.strip(), description.strip()
    clean_or_refuse(current, exclude=["evaluation"])
    current.save()
    if changes := diff(before, snapshot(current, CRITERION_AUDITED)):
        audit(actor=actor, action=audit_actions.EVALUATION_CRITERION_UPDATE, obj=evaluation, changes=changes)
    return current


@transaction.atomic
def criterion_remove(*, actor: User, criterion: Criterion) -> None:
    require_permission(actor, "evaluations.edit_criteria", criterion.evaluation)
    audit(
        actor=actor,
        action=audit_actions.EVALUATION_CRITERION_REMOVE,
        obj=criterion.evaluation,
        changes={"criterion": [criterion.name, None]},
    )
    criterion.delete()


@transaction.atomic
def evaluator_invite(*, actor: User, evaluation: Evaluation, user: User) -> Evaluator:
    require_permission(actor, "evaluations.manage_evaluation", evaluation)
    if not may_evaluate(user, evaluation.need):
        raise ApplicationError(
            _("Only coordinators, experts and members of the need's authority can evaluate."),
            field="user",
            code="not_allowed",
        )
    if evaluation.evaluators.filter(user=user).exists():
        raise ApplicationError(_("This person is already an evaluator."), field="user", code="duplicate")
    evaluator = Evaluator.objects.create(evaluation=evaluation, user=user, invited_by=actor)
    forget_evaluator(evaluation)
    audit(actor=actor, action=audit_actions.EVALUATION_INVITE, obj=evaluation, changes={"evaluator": [None, user.pk]})
    from .tasks import notify_evaluator

    transaction.on_commit(lambda: notify_evaluator.enqueue(evaluator_id=evaluator.pk))
    return evaluator


@transaction.atomic
def evaluator_notify(*, evaluator_id: int) -> bool:
    evaluator = (
        Evaluator.objects.select_for_update().select_related("user", "evaluation__need").filter(pk=evaluator_id).first()
    )
    if evaluator is None or evaluator.notified_at is not None:
        return False
    need = evaluator.evaluation.need
    notifications_send(
        recipients=[evaluator.user],
        topic=Topic.EVALUATION,
        title=lambda: _("Please evaluate: “%(title)s”") % {"title": need.title},
        body=lambda: _("You have been invited to the jury. Please declare conflicts of interest first, then score."),
        url=reverse("evaluations:sheet", args=[need.pk]),
        key=f"evaluator:{evaluator.pk}",
    )
    evaluator.notified_at = timezone.now()
    evaluator.save(update_fields=["notified_at"])
    return True


@transaction.atomic
def evaluation_open(*, actor: User, evaluation: Evaluation) -> Evaluation:
    """Freeze the criteria and let the evaluators score; the rules are checked here, once."""
    require_permission(actor, "evaluations.edit_criteria", evaluation)
    weighted = evaluation.criteria.filter(kind=CriterionKind.WEIGHTED)
    if not weighted.exists():
        raise ApplicationError(_("Please add at least one weighted criterion."), code="precondition")
    total = weighted.aggregate(total=Sum("weight"))["total"] or Decimal(0)
    if total != Decimal(100):
        raise ApplicationError(
            _("The weights add up to %(total)s %%; they must add up to 100 %%.")
            % {"total": f"{total:.2f}".rstrip("0").rstrip(".")},
            code="invalid_value",
        )
    for criterion in weighted:
        if len(criterion.levels) != evaluation.scale_max + 1:
            raise ApplicationError(
                _("“%(name)s” does not describe every level of the scale.") % {"name": criterion.name},
                code="invalid_value",
            )
    if not evaluation.evaluators.exists():
        raise ApplicationError(_("Please invite at least one evaluator."), code="precondition")
    listed = [c.pk for c in shortlist(need=evaluation.need)]
    if not listed:
        raise ApplicationError(_("The short list is empty."), code="precondition")
    evaluation.status = EvaluationStatus.SCORING
    evaluation.candidate_ids = listed  # from now on the short list is fixed (exploration refuses changes)
    evaluation.version += 1
    evaluation.save(update_fields=["status", "candidate_ids", "version", "updated_at"])
    audit(
        actor=actor,
        action=audit_actions.EVALUATION_OPEN,
        obj=evaluation,
        changes={"status": ["setup", "scoring"], "candidates": [None, listed]},
    )
    return evaluation


def _own_evaluator(actor: User, evaluation: Evaluation) -> Evaluator:
    """The actor's own seat, locked; the permission is checked on the current row, not on a caller's copy."""
    evaluator = Evaluator.objects.select_for_update().filter(evaluation_id=evaluation.pk, user=actor).first()
    current = Evaluation.objects.select_related("need").get(pk=evaluation.pk)
    require_permission(actor, "evaluations.score", current)
    assert evaluator is not None
    return evaluator


def _on_shortlist(evaluation: Evaluation, candidate: Any) -> None:
    if candidate.pk not in {c.pk for c in candidates(evaluation=evaluation)}:
        raise ApplicationError(_("This startup is not on the short list."), code="not_allowed")


@transaction.atomic
def conflict_declare(
    *, actor: User, evaluation: Evaluation, candidate: Any, conflicted: bool, note: str = ""
) -> ConflictDeclaration:
    """Declared first, before any score; a conflict removes the person's scores for that candidate."""
    evaluator = _own_evaluator(actor, evaluation)
    _on_shortlist(evaluation, candidate)
    declaration, _created = ConflictDeclaration.objects.update_or_create(
        evaluator=evaluator, candidate=candidate, defaults={"conflicted": conflicted, "note": note.strip()[:500]}
    )
    removed = 0
    if conflicted:
        removed, _detail = Score.objects.filter(evaluator=evaluator, candidate=candidate).delete()
    audit(
        actor=actor,
        action=audit_actions.EVALUATION_DECLARE,
        obj=evaluation,
        changes={"candidate": candidate.pk, "conflicted": conflicted, "scores_removed": removed},
    )
    return declaration


@transaction.atomic
def scores_save(
    *, actor: User, evaluation: Evaluation, candidate: Any, values: dict[int, dict[str, Any]]
) -> list[Score]:
    """Save the evaluator's own scores for one candidate: ``{criterion_id: {"points"|"passed", "comment"}}``."""
    evaluator = _own_evaluator(actor, evaluation)
    _on_shortlist(evaluation, candidate)
    declaration = ConflictDeclaration.objects.filter(evaluator=evaluator, candidate=candidate).first()
    if declaration is None:
        raise ApplicationError(_("Please declare first whether you have a conflict of interest."), code="precondition")
    if declaration.conflicted:
        raise ApplicationError(
            _("You declared a conflict of interest and do not score this startup."), code="not_allowed"
        )
    by_id = {c.pk: c for c in evaluation.criteria.all()}
    saved = []
    for criterion_id, value in values.items():
        criterion = by_id.get(criterion_id)
        if criterion is None:
            raise ApplicationError(_("Unknown criterion."), code="invalid_value")
        points, passed = value.get("points"), value.get("passed")
        if criterion.kind == CriterionKind.WEIGHTED:
            if points is not None and not 0 <= points <= evaluation.scale_max:
                raise ApplicationError(
                    _("Points must lie between 0 and %(max)s.") % {"max": evaluation.scale_max},
                    field=f"c{criterion_id}",
                    code="invalid_value",
                )
            passed = None
        else:
            points = None
        score, _created = Score.objects.update_or_create(
            evaluator=evaluator,
            candidate=candidate,
            criterion=criterion,
            defaults={"points": points, "passed": passed, "comment": (value.get("comment") or "").strip()[:1000]},
        )
        saved.append(score)
    audit(
        actor=actor,
        action=audit_actions.EVALUATION_SCORE,
        obj=evaluation,
        changes={"candidate": candidate.pk, "criteria": len(saved)},
    )
    return saved


@transaction.atomic
def evaluation_submit(*, actor: User, evaluation: Evaluation) -> Evaluator:
    """Hand in the sheet; from now on the person sees the others' scores, and their own are final."""
    evaluator = _own_evaluator(actor, evaluation)
    scores, declarations = own_sheet(evaluator=evaluator)
    missing = missing_on_sheet(
        candidates=candidates(evaluation=evaluation),
        criteria=list(evaluation.criteria.all()),
        scores=scores,
        declarations=declarations,
    )
    if missing:
        raise ApplicationError(_("Still missing: %(items)s") % {"items": "; ".join(missing[:10])}, code="precondition")
    evaluator.submitted_at = timezone.now()
    evaluator.save(update_fields=["submitted_at"])
    forget_evaluator(evaluation)
    audit(actor=actor, action=audit_actions.EVALUATION_SUBMIT, obj=evaluation, changes={"evaluator": [None, actor.pk]})
    need = evaluation.need
    juror = str(actor)
    notifications_send(
        recipients=unit_staff(),
        actor=actor,
        topic=Topic.EVALUATION,
        title=lambda: (
            _("%(juror)s has submitted the evaluation of “%(title)s”") % {"juror": juror, "title": need.title}
        ),
        url=reverse("evaluations:overview", args=[need.pk]),
        key=f"evaluation-submitted:{evaluator.pk}",
    )
    return evaluator


@transaction.atomic
def price_set(*, actor: User, evaluation: Evaluation, candidate: Any, amount: Decimal) -> Price:
    require_permission(actor, "evaluations.manage_evaluation", evaluation)
    _on_shortlist(evaluation, candidate)
    if amount <= 0:
        raise ApplicationError(_("The price must be above 0 €."), field="amount", code="invalid_value")
    existing = Price.objects.filter(evaluation=evaluation, candidate=candidate).first()
    before = existing.amount if existing else None
    price, _created = Price.objects.update_or_create(
        evaluation=evaluation, candidate=candidate, defaults={"amount": amount, "entered_by": actor}
    )
    audit(
        actor=actor,
        action=audit_actions.EVALUATION_PRICE,
        obj=evaluation,
        changes={"candidate": candidate.pk, "price": [before, amount]},
    )
    return price


@transaction.atomic
def evaluation_close(*, actor: User, evaluation: Evaluation) -> Evaluation:
    require_permission(actor, "evaluations.manage_evaluation", evaluation)
    if evaluation.status != EvaluationStatus.SCORING:
        raise ApplicationError(_("Only an evaluation that is being scored can be closed."), code="wrong_state")
    if not evaluation.evaluators.filter(submitted_at__isnull=False).exists():
        raise ApplicationError(_("No evaluator has submitted yet."), code="precondition")
    if evaluation.price_method != PriceMethod.NONE:
        priced = set(evaluation.prices.values_list("candidate_id", flat=True))
        if unpriced := [c for c in candidates(evaluation=evaluation) if c.pk not in priced]:
            raise ApplicationError(
                _("Prices are missing for: %(names)s")
                % {"names": ", ".join(c.startup.organisation.name for c in unpriced)},
                code="precondition",
            )
    evaluation.status = EvaluationStatus.CLOSED
    result = selectors.compute_matrix(
        evaluation=evaluation,
        listed=selectors.candidates(evaluation=evaluation),
        all_criteria=list(evaluation.criteria.all()),
        people=list(selectors.evaluators(evaluation=evaluation)),
    )
    evaluation.result = scoring.to_data(result)  # the result on file; later changes cannot alter it
    evaluation.version += 1
    evaluation.save(update_fields=["status", "result", "version", "updated_at"])
    pending = list(evaluation.evaluators.filter(submitted_at__isnull=True).values_list("user__email", flat=True))
    audit(
        actor=actor,
        action=audit_actions.EVALUATION_CLOSE,
        obj=evaluation,
        changes={"status": ["scoring", "closed"], "not_submitted": pending},
    )
    return evaluation


def matrix_exported(*, actor: User, evaluation: Evaluation, fmt: str) -> None:
    """Confidential data leaving the system is on record."""
    with transaction.atomic():
        audit(actor=actor, action=audit_actions.EVALUATION_EXPORT, obj=evaluation, changes={"format": fmt})
