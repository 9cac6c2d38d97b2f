from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from lotsenhaus.accounts.actors import Actor
from lotsenhaus.organisations.models import OrganisationKind
from lotsenhaus.organisations.selectors import organisations_of_kind

from .filters import CandidateFilterSet
from .models import Candidate, CandidateStatus, Contact, Exploration, Question


def exploration_of(*, user: Actor, need: Any) -> Exploration | None:
    if not user.has_perm("exploration.view_exploration", need):
        raise PermissionDenied
    return Exploration.objects.filter(need=need).first()


def candidates(
    *, exploration: Exploration, filters: CandidateFilterSet | Mapping[str, Any] | None = None
) -> QuerySet[Candidate]:
    """The long list with everything its table shows, in a fixed number of queries."""
    qs = (
        exploration.candidates.select_related("startup__organisation", "solution")
        .annotate(contact_count=Count("contacts"))
        .order_by("created_at", "id")
    )
    return CandidateFilterSet.apply(filters, qs) if filters is not None else qs


def candidates_with_contacts(*, exploration: Exploration) -> QuerySet[Candidate]:
    return exploration.candidates.select_related("startup__organisation", "solution").prefetch_related(
        Prefetch("contacts", queryset=Contact.objects.select_related("recorded_by"))
    )


def shortlist(*, need: Any) -> QuerySet[Candidate]:
    """The short-listed candidates of a need, for the evaluation."""
    return Candidate.objects.filter(exploration__need=need, status=CandidateStatus.SHORTLIST).select_related(
        "startup__organisation", "solution"
    )


def shortlist_by_ids(*, ids: list[int]) -> QuerySet[Candidate]:
    """Candidates fixed for an evaluation, in the short list's order."""
    return Candidate.objects.filter(pk__in=ids).select_related("startup__organisation", "solution")


def candidate_get(*, user: Actor, pk: int) -> Candidate:
    candidate = get_object_or_404(
        Candidate.objects.select_related("exploration__need__organisation", "startup__organisation", "solution"),
        pk=pk,
    )
    if not user.has_perm("exploration.view_exploration", candidate.exploration.need):
        raise PermissionDenied
    return candidate


def candidate_contacts(*, candidate: Candidate) -> QuerySet[Contact]:
    return candidate.contacts.select_related("recorded_by")


def questions(*, exploration: Exploration) -> QuerySet[Question]:
    return exploration.questions.select_related("candidate__startup__organisation", "asked_by", "answered_by")


def own_candidate(*, user: Actor, need: Any) -> Candidate | None:
    """The person's startup on this need's long list, if it is there."""
    startups = organisations_of_kind(user, OrganisationKind.STARTUP)
    if not startups:
        return None
    return (
        Candidate.objects.filter(exploration__need=need, startup__organisation_id__in=startups)
        .select_related("startup", "exploration")
        .first()
    )


def unshared_answer_count(*, exploration: Exploration) -> int:
    """Answers given to one candidate and not yet shared with the others (unequal information)."""
    return exploration.questions.filter(answered_at__isnull=False, shared_at__isnull=True).count()


def questions_for_candidate(*, candidate: Candidate) -> QuerySet[Question]:
    """What a startup on the long list may read: its own questions and every answer shared with all."""
    return candidate.exploration.questions.filter(Q(candidate=candidate) | Q(shared_at__isnull=False)).order_by(
        "created_at", "id"
    )


def listed_startup_ids(*, exploration: Exploration) -> set[int]:
    return set(exploration.candidates.values_list("startup_id", flat=True))


def status_counts(*, exploration: Exploration) -> QuerySet[Any]:
    return exploration.candidates.values("status").annotate(n=Count("id")).order_by()


def exploration_by_id(*, pk: int) -> Exploration:
    return get_object_or_404(Exploration.objects.select_related("need"), pk=pk)
