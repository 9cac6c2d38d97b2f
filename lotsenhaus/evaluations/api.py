"""Evaluation over the API. An evaluator's sheet is theirs alone; the matrix follows the same rule as the page."""

from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja import Status as HttpStatus
from ninja.pagination import paginate

from lotsenhaus.accounts.actors import SignedInRequest
from lotsenhaus.core.api import Pagination
from lotsenhaus.core.exceptions import ApplicationError
from lotsenhaus.needs.selectors import need_get
from lotsenhaus.organisations.selectors import possible_jurors

from . import export, selectors, services
from .models import Evaluation

router = Router(tags=["evaluation"])


class CriterionOut(Schema):
    id: int
    kind: str
    name: str
    description: str
    weight: Decimal
    levels: list[str]


class EvaluatorOut(Schema):
    id: int
    user: str
    submitted: bool

    @staticmethod
    def resolve_user(obj: Any) -> str:
        return str(obj.user)

    @staticmethod
    def resolve_submitted(obj: Any) -> bool:
        return obj.submitted_at is not None


class EvaluationOut(Schema):
    id: int
    need_id: int
    status: str
    scale_max: int
    price_method: str
    tolerance_percent: Decimal
    decision_rule: str
    decision_criterion_id: int | None
    version: int
    criteria: list[CriterionOut]
    evaluators: list[EvaluatorOut]
    shortlist: list[dict[str, Any]]


class SettingsIn(Schema):
    version: int
    scale_max: Literal[5, 10] | None = None
    price_method: Literal["none", "simple", "extended"] | None = None
    tolerance_percent: Decimal | None = Field(None, ge=0, le=10, decimal_places=1)
    decision_rule: Literal["performance", "price", "criterion"] | None = None
    decision_criterion_id: int | None = None


class CriterionIn(Schema):
    kind: Literal["exclusion", "weighted"]
    name: str = Field(..., min_length=1, max_length=200)
    description: str = Field("", max_length=2000)
    weight: Decimal = Field(Decimal(0), ge=0, le=100, decimal_places=2)
    levels: list[str] = Field(default_factory=list, max_length=11)


class InviteIn(Schema):
    user_id: int


class ScoreIn(Schema):
    criterion_id: int
    points: int | None = Field(None, ge=0, le=10)
    passed: bool | None = None
    comment: str = Field("", max_length=1000)


class SheetIn(Schema):
    conflicted: bool
    note: str = Field("", max_length=500)
    scores: list[ScoreIn] = Field(default_factory=list, max_length=50)


class PriceIn(Schema):
    amount: Decimal = Field(..., gt=0, le=100_000_000, decimal_places=2)


class MatrixRowOut(Schema):
    candidate_id: int
    startup: str
    mean: Decimal | None
    spread: Decimal | None
    by_evaluator: dict[str, Decimal]
    price: Decimal | None
    z: Decimal | None
    excluded_by: list[str]
    rank: int | None
    tied: bool
    in_band: bool
    winner: bool
    result: str


def _evaluation(request: HttpRequest, need_id: int) -> Evaluation:
    return selectors.evaluation_for(user=request.user, need_pk=need_id)[1]


def _out(request: HttpRequest, evaluation: Evaluation) -> dict[str, Any]:
    return {
        **{f: getattr(evaluation, f) for f in ("id", "need_id", "status", "scale_max", "price_method", "version")},
        "tolerance_percent": evaluation.tolerance_percent,
        "decision_rule": evaluation.decision_rule,
        "decision_criterion_id": evaluation.decision_criterion_id,
        "criteria": list(selectors.criteria(evaluation=evaluation)),
        "evaluators": list(selectors.evaluators(evaluation=evaluation)),
        "shortlist": [
            {"candidate_id": c.pk, "startup": c.startup.organisation.name}
            for c in selectors.candidates(evaluation=evaluation)
        ],
    }


def _candidate(evaluation: Evaluation, candidate_id: int) -> Any:
    found = next((c for c in selectors.candidates(evaluation=evaluation) if c.pk == candidate_id), None)
    if found is None:
        raise ApplicationError(_("This startup is not on the short list."), code="not_allowed")
    return found


@router.get("/needs/{need_id}/evaluation", response=EvaluationOut)
def get_evaluation(request: SignedInRequest, need_id: int) -> Any:
    return _out(request, _evaluation(request, need_id))


@router.post("/needs/{need_id}/evaluation", response={201: EvaluationOut}, summary="Start the evaluation")
def start_evaluation(request: SignedInRequest, need_id: int) -> Any:
    need = need_get(user=request.user, pk=need_id)
    return HttpStatus(201, _out(request, services.evaluation_start(actor=request.user, need=need)))


@router.patch("/needs/{need_id}/evaluation", response=EvaluationOut, summary="Scale and price method")
def update_evaluation(request: SignedInRequest, need_id: int, payload: SettingsIn) -> Any:
    evaluation = _evaluation(request, need_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    if "decision_criterion_id" in data:
        wanted = data.pop("decision_criterion_id")
        data["decision_criterion"] = evaluation.criteria.filter(pk=wanted).first() if wanted else None
    data = {k: v for k, v in data.items() if v is not None or k == "decision_criterion"}
    return _out(request, services.evaluation_update(actor=request.user, evaluation=evaluation, version=version, **data))


@router.post("/needs/{need_id}/evaluation/criteria", response={201: CriterionOut})
def add_criterion(request: SignedInRequest, need_id: int, payload: CriterionIn) -> Any:
    evaluation = _evaluation(request, need_id)
    return HttpStatus(201, services.criterion_add(actor=request.user, evaluation=evaluation, **payload.dict()))


@router.post("/needs/{need_id}/evaluation/evaluators", response={201: EvaluatorOut})
def invite_evaluator(request: SignedInRequest, need_id: int, payload: InviteIn) -> Any:
    evaluation = _evaluation(request, need_id)
    person = possible_jurors(organisation_id=evaluation.need.organisation_id).filter(pk=payload.user_id).first()
    if person is None:
        raise ApplicationError(
            _("Only coordinators, experts and members of the need's authority can evaluate."),
            field="user_id",
            code="not_allowed",
        )
    return HttpStatus(201, services.evaluator_invite(actor=request.user, evaluation=evaluation, user=person))


@router.post("/needs/{need_id}/evaluation/open", response=EvaluationOut, summary="Freeze criteria, open scoring")
def open_evaluation(request: SignedInRequest, need_id: int) -> Any:
    evaluation = _evaluation(request, need_id)
    return _out(request, services.evaluation_open(actor=request.user, evaluation=evaluation))


@router.post("/needs/{need_id}/evaluation/close", response=EvaluationOut)
def close_evaluation(request: SignedInRequest, need_id: int) -> Any:
    evaluation = _evaluation(request, need_id)
    return _out(request, services.evaluation_close(actor=request.user, evaluation=evaluation))


class SheetScoreOut(Schema):
    criterion_id: int
    points: int | None
    passed: bool | None


class SheetOut(Schema):
    candidate_id: int
    conflicted: bool
    scores: list[SheetScoreOut]


class SubmittedOut(Schema):
    submitted: bool


class PriceOut(Schema):
    candidate_id: int
    amount: Decimal


@router.put("/needs/{need_id}/evaluation/sheet/{candidate_id}", response=SheetOut, summary="Your sheet")
def put_sheet(request: SignedInRequest, need_id: int, candidate_id: int, payload: SheetIn) -> Any:
    """Declare conflicts of interest for one startup and, without a conflict, score it."""
    evaluation = _evaluation(request, need_id)
    candidate = _candidate(evaluation, candidate_id)
    services.conflict_declare(
        actor=request.user, evaluation=evaluation, candidate=candidate, conflicted=payload.conflicted, note=payload.note
    )
    if not payload.conflicted and payload.scores:
        values = {
            s.criterion_id: {"points": s.points, "passed": s.passed, "comment": s.comment} for s in payload.scores
        }
        services.scores_save(actor=request.user, evaluation=evaluation, candidate=candidate, values=values)
    evaluator = selectors.evaluator_of(user=request.user, evaluation=evaluation)
    assert evaluator is not None
    scores, _declarations = selectors.own_sheet(evaluator=evaluator)
    own = [
        {"criterion_id": criterion, "points": s.points, "passed": s.passed}
        for (cand, criterion), s in scores.items()
        if cand == candidate.pk
    ]
    return {"candidate_id": candidate.pk, "conflicted": payload.conflicted, "scores": own}


@router.post("/needs/{need_id}/evaluation/submit", response=SubmittedOut)
def submit_evaluation(request: SignedInRequest, need_id: int) -> Any:
    evaluation = _evaluation(request, need_id)
    services.evaluation_submit(actor=request.user, evaluation=evaluation)
    return {"submitted": True}


@router.put("/needs/{need_id}/evaluation/prices/{candidate_id}", response=PriceOut)
def put_price(request: SignedInRequest, need_id: int, candidate_id: int, payload: PriceIn) -> Any:
    evaluation = _evaluation(request, need_id)
    price = services.price_set(
        actor=request.user, evaluation=evaluation, candidate=_candidate(evaluation, candidate_id), amount=payload.amount
    )
    return {"candidate_id": candidate_id, "amount": price.amount}


@router.get("/needs/{need_id}/evaluation/matrix", response=list[MatrixRowOut], summary="Confidential")
@paginate(Pagination, page_size=50)
def get_matrix(request: SignedInRequest, need_id: int) -> Any:
    evaluation = _evaluation(request, need_id)
    matrix, listed, _criteria, people = selectors.matrix(user=request.user, evaluation=evaluation)
    names = {c.pk: c.startup.organisation.name for c in listed}
    people_names = {e.pk: str(e.user) for e in people}
    return [
        {
            "candidate_id": row.candidate_id,
            "startup": names[row.candidate_id],
            "mean": row.mean,
            "spread": row.spread,
            "by_evaluator": {people_names[e]: v for e, v in row.by_evaluator.items()},
            "price": row.price,
            "z": row.z,
            "excluded_by": row.excluded_by,
            "rank": row.rank,
            "tied": row.tied,
            "in_band": row.in_band,
            "winner": row.winner,
            "result": export.status_text(row),
        }
        for row in matrix.rows
    ]
