from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Max, Q, QuerySet
from django.shortcuts import get_object_or_404

from lotsenhaus.accounts.actors import Actor

from .filters import RegisterFilterSet
from .models import Assessment, PublishedVersion, UseCase
from .rules import VISIBLE_USE_CASES


def register_public(*, filters: RegisterFilterSet | Mapping[str, Any] | None = None) -> QuerySet[UseCase]:
    """Use cases with at least one published version; while one is being revised the register keeps showing
    its last published version."""
    qs = UseCase.objects.filter(published_versions__isnull=False).distinct().select_related("organisation__parent")
    return RegisterFilterSet.apply(filters, qs)


def register_history() -> QuerySet[PublishedVersion]:
    return PublishedVersion.objects.select_related("use_case").order_by("use_case__public_id", "number")


def register_last_published() -> Any:
    """When the register last changed for the public (the newest publication), or None."""
    return PublishedVersion.objects.aggregate(latest=Max("published_at"))["latest"]


def register_latest_records(*, filters: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
    """The current published record of every use case (of those the register's filters let through)."""
    records = [current.record for _first, current in register_current_versions()]
    if not filters:
        return records
    order = {
        public_id: i for i, public_id in enumerate(register_public(filters=filters).values_list("public_id", flat=True))
    }
    return sorted((r for r in records if r["id"] in order), key=lambda r: order[r["id"]])


def register_current_versions() -> list[tuple[PublishedVersion, PublishedVersion]]:
    """(first, current) published version of every use case in the register (history is ordered by number: the last
    one wins), for the dates other registers ask."""
    first: dict[int, PublishedVersion] = {}
    current: dict[int, PublishedVersion] = {}
    for version in register_history().select_related("use_case__organisation"):
        first.setdefault(version.use_case_id, version)
        current[version.use_case_id] = version
    return [(first[key], current[key]) for key in current]


def public_use_case(*, public_id: str) -> UseCase:
    """Published use cases by their stable number; unpublished ones do not exist for the public."""
    return get_object_or_404(
        UseCase.objects.select_related("organisation").filter(published_versions__isnull=False).distinct(),
        public_id=public_id,
    )


def workspace(*, user: Actor) -> QuerySet[UseCase]:
    """The use cases one works on: the unit all, an authority its own, an expert those invited to assess."""
    return VISIBLE_USE_CASES.restrict(UseCase.objects.select_related("organisation"), user).order_by("-updated_at")


def use_cases_visible(*, user: Actor, ids: list[int] | None = None) -> QuerySet[UseCase]:
    """Published use cases for everyone, plus the workspace's for those who have one (e.g. to link an article)."""
    visible = Q(published_versions__isnull=False)
    if user.is_authenticated and user.has_perm("airegister.use_workspace"):
        visible |= Q(pk__in=workspace(user=user).values("pk"))
    qs = UseCase.objects.filter(visible).distinct().select_related("organisation")
    return qs.filter(pk__in=ids) if ids is not None else qs


def use_case_get(*, user: Actor, pk: int) -> UseCase:
    use_case = get_object_or_404(UseCase.objects.select_related("organisation"), pk=pk)
    if not user.has_perm("airegister.view_usecase", use_case):
        raise PermissionDenied
    return use_case


def use_case_has_assessment(*, use_case_id: int) -> bool:
    return Assessment.objects.filter(use_case_id=use_case_id).exists()


def use_cases_for_pilot(*, organisation_id: int) -> QuerySet[UseCase]:
    """Register entries a pilot of this authority can link to."""
    return UseCase.objects.filter(organisation_id=organisation_id).order_by("name")


def latest_assessment(use_case: UseCase) -> Assessment | None:
    """The use case's newest AI Act assessment, if it has one."""
    return use_case.assessments.order_by("-created_at", "-id").first()
