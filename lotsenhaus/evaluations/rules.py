from typing import Any

from django.db.models import Q

from lotsenhaus.accounts.actors import Actor
from lotsenhaus.core import predicates as rules
from lotsenhaus.core.roles import is_expert, is_need_owner, is_unit_staff
from lotsenhaus.core.visibility import EVERYTHING, NOTHING, visibility
from lotsenhaus.needs.models import Status

from .models import Evaluation, EvaluationStatus, Evaluator


def _evaluator(user: Actor, evaluation: Any) -> Any:
    """The person's evaluator row, looked up once per evaluation object and request."""
    if evaluation is None or not getattr(user, "is_authenticated", False):
        return None
    cache = evaluation.__dict__.setdefault("_evaluator_cache", {})
    if user.pk not in cache:
        cache[user.pk] = evaluation.evaluators.filter(user=user).first()
    return cache[user.pk]


def forget_evaluator(evaluation: Any) -> None:
    """Drop the cached seat after it changed (e.g. on submission), so later checks see the new state."""
    evaluation.__dict__.pop("_evaluator_cache", None)


@rules.predicate
def is_evaluator(user: Actor, evaluation: Any) -> bool:
    return _evaluator(user, evaluation) is not None


@rules.predicate
def has_submitted(user: Actor, evaluation: Any) -> bool:
    evaluator = _evaluator(user, evaluation)
    return evaluator is not None and evaluator.submitted_at is not None


@rules.predicate
def is_in_setup(user: Actor, evaluation: Any) -> bool:
    return evaluation is not None and evaluation.status == EvaluationStatus.SETUP


@rules.predicate
def is_scoring(user: Actor, evaluation: Any) -> bool:
    return evaluation is not None and evaluation.status == EvaluationStatus.SCORING


@rules.predicate
def is_open(user: Actor, evaluation: Any) -> bool:
    return evaluation is not None and evaluation.status != EvaluationStatus.CLOSED


@rules.predicate
def need_in_exploration(user: Actor, need: Any) -> bool:
    return need is not None and need.status == Status.EXPLORATION


@rules.predicate
def is_juror_of_answer(user: Actor, answer: Any) -> bool:
    """A juror reads the answers (and attachments) of the startups she scores, unless she declared a conflict."""
    from .selectors import juror_reads_startup

    return answer is not None and juror_reads_startup(user=user, need_id=answer.need_id, startup_id=answer.startup_id)


def _visible_evaluations(user: Actor) -> Q:
    """The unit sees every evaluation; a juror the ones she sits on."""
    if is_unit_staff(user):
        return EVERYTHING
    if not user.is_authenticated:
        return NOTHING
    return Q(pk__in=Evaluator.objects.filter(user_id=user.pk).values("evaluation_id"))


VISIBLE_EVALUATIONS = visibility("evaluations.view_evaluation", Evaluation, _visible_evaluations)

rules.add_perm("evaluations.view_candidate_answer", is_juror_of_answer)
rules.add_perm("evaluations.start_evaluation", is_unit_staff & need_in_exploration)
rules.add_perm("evaluations.manage_evaluation", is_unit_staff & is_open)
rules.add_perm("evaluations.view_all_evaluations", is_unit_staff)
# Everyone who may sit on a jury (the unit, the expert networks, the need's own authority) finds "Evaluations"
# in the menu; a role check, so the menu costs no query (issue 17).
rules.add_perm("evaluations.view_own_evaluations", is_unit_staff | is_expert | is_need_owner)
rules.add_perm("evaluations.edit_criteria", is_unit_staff & is_in_setup)
rules.add_perm("evaluations.score", is_evaluator & is_scoring & ~has_submitted)
# Nobody sees others' scores before submitting their own; the unit sees them unless it is itself still scoring.
rules.add_perm("evaluations.view_results", (is_unit_staff & ~(is_evaluator & ~has_submitted)) | has_submitted)
