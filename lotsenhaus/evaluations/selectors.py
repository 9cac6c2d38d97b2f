from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from lotsenhaus.accounts.actors import Actor
from lotsenhaus.accounts.models import User
from lotsenhaus.core.roles import Role, roles_of
from lotsenhaus.exploration.selectors import shortlist, shortlist_by_ids
from lotsenhaus.needs.models import Answer, AnswerStatus
from lotsenhaus.needs.selectors import need_get
from lotsenhaus.organisations.selectors import is_member_of

from . import scoring
from .models import ConflictDeclaration, Criterion, CriterionKind, Evaluation, EvaluationStatus, Evaluator, Price, Score
from .rules import VISIBLE_EVALUATIONS


def evaluation_of(*, user: Actor, need: Any) -> Evaluation | None:
    evaluation = Evaluation.objects.filter(need=need).select_related("need__organisation").first()
    if evaluation is not None and not user.has_perm("evaluations.view_evaluation", evaluation):
        raise PermissionDenied
    return evaluation


def criteria(*, evaluation: Evaluation) -> QuerySet[Criterion]:
    return evaluation.criteria.all()


def evaluators(*, evaluation: Evaluation) -> QuerySet[Evaluator]:
    return evaluation.evaluators.select_related("user")


def candidates(*, evaluation: Evaluation) -> list[Any]:
    """The short list; from the opening of scoring the candidates fixed then, whatever happens to the list."""
    listed = shortlist(need=evaluation.need)
    if evaluation.candidate_ids is not None:
        listed = shortlist_by_ids(ids=evaluation.candidate_ids)
    return list(listed)


def evaluator_of(*, user: Actor, evaluation: Evaluation) -> Evaluator | None:
    return evaluation.evaluators.filter(user=user).first() if user.is_authenticated else None


def own_sheet(*, evaluator: Evaluator) -> tuple[dict[tuple[int, int], Score], dict[int, ConflictDeclaration]]:
    """The evaluator's own scores by (candidate, criterion) and declarations by candidate: never anyone else's."""
    scores = {(s.candidate_id, s.criterion_id): s for s in evaluator.scores.all()}
    declarations = {d.candidate_id: d for d in evaluator.declarations.all()}
    return scores, declarations


def prices(*, user: Actor, evaluation: Evaluation) -> dict[int, Decimal]:
    if not user.has_perm("evaluations.view_results", evaluation):
        raise PermissionDenied
    return {p.candidate_id: p.amount for p in evaluation.prices.all()}


def matrix(
    *, user: Actor, evaluation: Evaluation
) -> tuple[scoring.Matrix, list[Any], list[Criterion], list[Evaluator]]:
    """The evaluation matrix for those who may see it; scores count only from evaluators who submitted.

    A closed evaluation shows the matrix stored when it closed: its result never changes afterwards.
    """
    if not user.has_perm("evaluations.view_results", evaluation):
        raise PermissionDenied
    listed = candidates(evaluation=evaluation)
    all_criteria = list(evaluation.criteria.all())
    people = list(evaluators(evaluation=evaluation))
    if evaluation.status == EvaluationStatus.CLOSED and evaluation.result is not None:
        return scoring.from_data(evaluation.result), listed, all_criteria, people
    result = compute_matrix(evaluation=evaluation, listed=listed, all_criteria=all_criteria, people=people)
    return result, listed, all_criteria, people


def submitted_scores(*, user: Actor, evaluation: Evaluation) -> list[Score]:
    """Every counted score with its comment (submitted evaluators only), for the XLSX of the procurement file."""
    if not user.has_perm("evaluations.view_results", evaluation):
        raise PermissionDenied
    return list(
        Score.objects.filter(evaluator__evaluation=evaluation, evaluator__submitted_at__isnull=False)
        .select_related("evaluator__user", "candidate__startup__organisation", "criterion")
        .order_by("candidate__startup__organisation__name", "criterion__position", "evaluator__user__name")
    )


def compute_matrix(
    *, evaluation: Evaluation, listed: list[Any], all_criteria: list[Criterion], people: list[Evaluator]
) -> scoring.Matrix:
    """The matrix from the current scores and prices (for the service that stores it at closing, too)."""
    submitted = [e.pk for e in people if e.submitted_at is not None]
    scores = [
        scoring.ScoreData(s.evaluator_id, s.candidate_id, s.criterion_id, s.points, s.passed)
        for s in Score.objects.filter(evaluator__evaluation=evaluation)
    ]
    return scoring.aggregate(
        candidate_ids=[c.pk for c in listed],
        criteria=[scoring.CriterionData(c.pk, c.name, c.kind, c.weight) for c in all_criteria],
        scores=scores,
        submitted=submitted,
        conflicts=conflicts_of(evaluation=evaluation),
        prices={p.candidate_id: p.amount for p in Price.objects.filter(evaluation=evaluation)},
        method=evaluation.price_method,
        tolerance_percent=evaluation.tolerance_percent,
        decision_rule=evaluation.decision_rule,
        decision_criterion_id=evaluation.decision_criterion_id,
    )


def conflicts_of(*, evaluation: Evaluation) -> set[tuple[int, int]]:
    return {
        (d.evaluator_id, d.candidate_id)
        for d in ConflictDeclaration.objects.filter(evaluator__evaluation=evaluation, conflicted=True)
    }


def scoring_started(need_id: int) -> bool:
    """Once jurors score (and after the evaluation closed), who is on the need's short list is fixed."""
    return Evaluation.objects.filter(
        need_id=need_id, status__in=(EvaluationStatus.SCORING, EvaluationStatus.CLOSED)
    ).exists()


def evaluations_of(*, user: User) -> QuerySet[Evaluator]:
    """The person's seats on juries, newest first."""
    return Evaluator.objects.filter(user=user).select_related("evaluation__need__organisation").order_by("-invited_at")


def missing_on_sheet(
    *,
    candidates: list[Any],
    criteria: list[Criterion],
    scores: dict[tuple[int, int], Score],
    declarations: dict[int, ConflictDeclaration],
) -> list[str]:
    """What an evaluator still has to do before submitting, in words, from the sheet already loaded."""
    missing = []
    for candidate in candidates:
        name = candidate.startup.organisation.name
        declaration = declarations.get(candidate.pk)
        if declaration is None:
            missing.append(_("%(startup)s: declaration of conflicts") % {"startup": name})
            continue
        if declaration.conflicted:
            continue
        for criterion in criteria:
            score = scores.get((candidate.pk, criterion.pk))
            weighted = criterion.kind == CriterionKind.WEIGHTED
            value = None if score is None else (score.points if weighted else score.passed)
            if value is None:
                missing.append(f"{name}: {criterion.name}")
    return missing


def evaluation_for(*, user: Actor, need_pk: int) -> tuple[Any, Evaluation]:
    """A need and its evaluation for a page or an endpoint: 404 while there is none, 403 for outsiders."""
    need = need_get(user=user, pk=need_pk)
    evaluation = evaluation_of(user=user, need=need)
    if evaluation is None:
        raise Http404
    return need, evaluation


def evaluations_open(*, user: Actor) -> QuerySet[Evaluation]:
    """Evaluations still taking jurors, for the unit (e.g. to invite someone from the expert directory)."""
    if not user.has_perm("evaluations.view_all_evaluations"):
        return Evaluation.objects.none()
    return (
        VISIBLE_EVALUATIONS.restrict(Evaluation.objects.all(), user)
        .exclude(status=EvaluationStatus.CLOSED)
        .select_related("need")
        .order_by("need__title")
    )


def juror_reads_startup(*, user: Actor, need_id: int, startup_id: int) -> bool:
    """Whether ``user`` is a juror of this need's evaluation for whom the startup is on the fixed short list and
    who has not declared a conflict of interest for it (then the juror reads nothing of that startup)."""
    evaluation = Evaluation.objects.filter(need_id=need_id).first()
    if evaluation is None or not user.is_authenticated:
        return False
    evaluator = evaluator_of(user=user, evaluation=evaluation)
    if evaluator is None:
        return False
    candidate = next((c for c in candidates(evaluation=evaluation) if c.startup_id == startup_id), None)
    if candidate is None:
        return False
    return not evaluator.declarations.filter(candidate=candidate, conflicted=True).exists()


def juror_dossiers(*, evaluation: Evaluation, evaluator: Evaluator, listed: list[Any]) -> dict[int, dict[str, Any]]:
    """What a juror reads for each candidate on her sheet: the answer with its attachments, the price and the
    solution (the profile is linked). Nothing for a candidate she declared a conflict for. Fixed query count."""
    conflicted = set(evaluator.declarations.filter(conflicted=True).values_list("candidate_id", flat=True))
    open_ids = {c.startup_id: c.pk for c in listed if c.pk not in conflicted}
    answers = (
        Answer.objects.filter(need_id=evaluation.need_id, startup_id__in=list(open_ids))
        .exclude(status=AnswerStatus.WITHDRAWN)
        .select_related("solution")
        .prefetch_related("attachments")
    )
    price_of = {p.candidate_id: p.amount for p in evaluation.prices.all()}
    dossiers: dict[int, dict[str, Any]] = {
        candidate_id: {"answer": None, "price": price_of.get(candidate_id)} for candidate_id in open_ids.values()
    }
    for answer in answers:
        dossiers[open_ids[answer.startup_id]]["answer"] = answer
    return dossiers


def answered_costs(*, evaluation: Evaluation) -> dict[int, Decimal]:
    """The cost estimate each startup gave in its answer to this need, by startup id (one query)."""
    rows = (
        Answer.objects.filter(need_id=evaluation.need_id, cost_estimate__isnull=False)
        .exclude(status=AnswerStatus.WITHDRAWN)
        .values_list("startup_id", "cost_estimate")
    )
    return {startup_id: cost for startup_id, cost in rows if cost is not None}


def may_evaluate(user: Actor, need: Any) -> bool:
    """Coordinators, experts and members of the need's own authority can sit on the jury."""
    roles = roles_of(user)
    return bool(roles & {Role.COORDINATOR, Role.PLATFORM_ADMIN, Role.EXPERT}) or is_member_of(
        user, need.organisation_id
    )
