from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Max, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lotsenhaus.accounts.actors import Actor
from lotsenhaus.accounts.models import User
from lotsenhaus.organisations.models import OrganisationKind
from lotsenhaus.organisations.selectors import organisations_of_kind

from .filters import NeedFilterSet, PipelineFilterSet
from .models import (
    Answer,
    AnswerAttachment,
    AnswerStatus,
    Call,
    Need,
    PipelineView,
    ReviewComment,
    Status,
    Transition,
)
from .rules import INTERNAL_NEEDS, VISIBLE_CALLS, VISIBLE_NEEDS


def need_board(*, filters: NeedFilterSet | Mapping[str, Any] | None = None) -> QuerySet[Need]:
    """Published needs for everyone, the anonymous public included."""
    return NeedFilterSet.apply(filters, VISIBLE_NEEDS.public(Need.objects.select_related("organisation")))


def need_workspace(*, user: Actor, filters: NeedFilterSet | Mapping[str, Any] | None = None) -> QuerySet[Need]:
    """Needs including drafts: all for the unit, the own organisations' for everyone else."""
    qs = INTERNAL_NEEDS.restrict(Need.objects.select_related("organisation", "owner"), user)
    return NeedFilterSet.apply(filters, qs)


def need_get(*, user: Actor, pk: int) -> Need:
    need: Need = VISIBLE_NEEDS.get(Need.objects.select_related("organisation", "owner", "call"), user, pk=pk)
    return need


def need_review_comments(*, need: Need) -> QuerySet[ReviewComment]:
    return need.review_comments.select_related("author")


def need_history(*, need: Need) -> QuerySet[Transition]:
    return need.transitions.select_related("actor")


def need_feed_items(*, limit: int = 50) -> QuerySet[Need]:
    qs = VISIBLE_NEEDS.public(Need.objects.filter(published_at__isnull=False))
    return qs.select_related("organisation").order_by("-published_at")[:limit]


def deadline_passed(need: Need, today: date | None = None) -> bool:
    return need.answer_deadline is not None and need.answer_deadline < (today or timezone.localdate())


def need_answers(*, user: Actor, need: Need) -> QuerySet[Answer]:
    """All answers to a need for its authority and the unit; other startups never see them."""
    if not user.has_perm("needs.view_answers_of_need", need):
        raise PermissionDenied
    return (
        need.answers.select_related("startup__organisation", "solution", "submitted_by")
        .prefetch_related("attachments")
        .order_by("status", "created_at")
    )


def own_answer(*, user: Actor, need: Need) -> Answer | None:
    """The answer of the person's startup to this need (no query for people without a startup)."""
    startups = organisations_of_kind(user, OrganisationKind.STARTUP)
    if not startups:
        return None
    return (
        Answer.objects.filter(need=need, startup__organisation_id__in=startups)
        .select_related("solution")
        .prefetch_related("attachments")
        .first()
    )


def attachment_get(*, user: Actor, pk: int) -> AnswerAttachment:
    attachment = get_object_or_404(AnswerAttachment.objects.select_related("answer__need", "answer__startup"), pk=pk)
    # Jurors read the attachments of the startups they score (the rule lives with the evaluations).
    if not (
        user.has_perm("needs.view_answer", attachment.answer)
        or user.has_perm("evaluations.view_candidate_answer", attachment.answer)
    ):
        raise PermissionDenied
    return attachment


def needs_visible(*, user: Actor, ids: list[int] | None = None) -> QuerySet[Need]:
    """Those of the given (or of all) needs a person may see: published ones, the own organisations' and, for the
    unit, all."""
    qs = Need.objects.select_related("organisation")
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return VISIBLE_NEEDS.restrict(qs, user)


def published_since(*, since: Any) -> list[int]:
    """Needs published (and still public) since a moment, for the weekly digest."""
    return list(VISIBLE_NEEDS.public(Need.objects.filter(published_at__gte=since)).values_list("pk", flat=True))


def status_counts() -> dict[str, int]:
    """How many needs are in each state (for the portfolio funnel)."""
    return {row["status"]: row["n"] for row in Need.objects.values("status").annotate(n=Count("id")).order_by()}


def dashboard_counts() -> dict[str, int]:
    """Needs per state, and published ones past their deadline as "overdue", in one query."""
    today = timezone.localdate()
    rows = list(
        Need.objects.values("status")
        .annotate(n=Count("id"), overdue=Count("id", filter=Q(status=Status.PUBLISHED, answer_deadline__lt=today)))
        .order_by()
    )
    counts = {row["status"]: row["n"] for row in rows}
    counts["overdue"] = sum(row["overdue"] for row in rows)
    return counts


def life_cycle_events() -> tuple[dict[int, Any], list[tuple[int, str, str, Any]], dict[int, str]]:
    """Creation time and outcome per need and every change of state, oldest first, in three queries' worth of rows."""
    created = dict(Need.objects.values_list("pk", "created_at"))
    outcomes = dict(Need.objects.exclude(outcome="").values_list("pk", "outcome"))
    events = list(
        Transition.objects.order_by("need_id", "at", "id").values_list("need_id", "from_status", "to_status", "at")
    )
    return created, events, outcomes


def call_list(*, user: Actor) -> QuerySet[Call]:
    """Published calls for everyone; drafts too for the unit. Need counts in the same query."""
    qs = VISIBLE_CALLS.restrict(Call.objects.annotate(need_count=Count("needs")), user)
    return qs.order_by("-deadline", "-id")


def call_get(*, user: Actor, pk: int) -> Call:
    call = get_object_or_404(Call, pk=pk)
    if not user.has_perm("needs.view_call", call):
        raise PermissionDenied
    return call


def call_needs(*, user: Actor, call: Call) -> QuerySet[Need]:
    """The call's needs this person may see (the public sees only published ones)."""
    return needs_visible(user=user, ids=list(call.needs.values_list("pk", flat=True))).order_by("title")


def callable_needs(*, call: Call) -> QuerySet[Need]:
    """Needs the unit can still add: under review or published, in no call yet."""
    return (
        Need.objects.filter(status__in=[Status.IN_REVIEW, Status.PUBLISHED], call__isnull=True)
        .select_related("organisation")
        .order_by("title")
    )


def answer_counts(*, startup_ids: list[int]) -> dict[int, int]:
    """Submitted answers per startup (for the advisory track's progress view)."""
    rows = (
        Answer.objects.filter(startup_id__in=startup_ids, status=AnswerStatus.SUBMITTED)
        .values("startup_id")
        .annotate(n=Count("id"))
        .values_list("startup_id", "n")
    )
    return dict(rows)


def _pipeline_filters(user: User, filters: PipelineFilterSet | Mapping[str, Any] | None) -> PipelineFilterSet:
    if isinstance(filters, PipelineFilterSet):
        return filters
    return PipelineFilterSet(filters or {}, user=user)


def pipeline_list(*, user: User, filters: PipelineFilterSet | Mapping[str, Any] | None = None) -> QuerySet[Need]:
    """Every need for the unit with the moment it entered its present stage; in one query however many there are.

    Longest in its stage first unless the filters sort otherwise.
    """
    if not user.has_perm("needs.view_all_needs"):
        raise PermissionDenied
    qs = (
        Need.objects.select_related("organisation", "owner", "coordinator")
        .annotate(stage_since=Coalesce(Max("transitions__at"), F("created_at")))
        .order_by("stage_since", "id")
    )
    filterset = _pipeline_filters(user, filters)
    filterset.is_valid()  # invalid values are left out, as the form shows them with their errors
    return filterset.filter_queryset(qs)


def pipeline_counts(*, user: User, filters: PipelineFilterSet | Mapping[str, Any] | None = None) -> dict[str, int]:
    """How many needs are in each stage under the other filters (the status filter itself left out)."""
    if not user.has_perm("needs.view_all_needs"):
        raise PermissionDenied
    data = _pipeline_filters(user, filters).data
    without_status = data.copy() if isinstance(data, QueryDict) else dict(data)
    without_status.pop("status", None)
    without_status.pop("sort", None)
    filterset = PipelineFilterSet(without_status, user=user)
    filterset.is_valid()
    qs = filterset.filter_queryset(Need.objects.all())
    return {row["status"]: row["n"] for row in qs.values("status").annotate(n=Count("id")).order_by()}


def pipeline_selection(*, user: User, ids: list[int]) -> QuerySet[Need]:
    """The chosen needs of a bulk action, as the unit may see them."""
    return pipeline_list(user=user).filter(pk__in=ids)


def saved_views(*, user: User) -> QuerySet[PipelineView]:
    return PipelineView.objects.filter(owner=user)


def next_action(need: Need, today: date | None = None) -> str:
    """What has to happen next for a need to move on, in the words of the pipeline overview."""
    today = today or timezone.localdate()
    if need.status == Status.DRAFT:
        return _("The owner completes and submits the need")
    if need.status == Status.IN_REVIEW:
        return _("Review and publish or send back")
    if need.status == Status.PUBLISHED:
        if need.answer_deadline is None or need.answer_deadline < today:
            return _("Start the market exploration")
        return _("Answers are collected until %(date)s") % {
            "date": date_format(need.answer_deadline, "SHORT_DATE_FORMAT")
        }
    if need.status == Status.EXPLORATION:
        return _("Set the short list and start the evaluation")
    if need.status == Status.EVALUATION:
        return _("Score the short list and choose the pilot startup")
    if need.status == Status.PILOT:
        return _("Run the pilot and record the decision")
    return ""
