"""Needs as search documents (registered with the matching app in apps.py)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from lotsenhaus.matching.registry import Document, Source

from .models import PUBLIC_STATUSES, Need
from .selectors import needs_visible


def _document(need: Need) -> Document:
    parts = [
        need.problem,
        need.current_practice,
        need.desired_outcome,
        need.success_measure,
        need.data_involved,
        need.interfaces,
        " ".join(need.technology_labels()),
        str(need.get_policy_field_display()) if need.policy_field else "",
    ]
    return Document(
        kind="need",
        object_id=need.pk,
        title=need.title,
        text="\n".join(p for p in parts if p),
        facets={
            "public": need.status in PUBLIC_STATUSES,
            "organisation": need.organisation_id,
            "budget": float(need.budget_max) if need.budget_max is not None else None,
            "technologies": need.technologies,
            "published_at": need.published_at.isoformat() if need.published_at else None,
        },
    )


def build(ids: list[int]) -> list[Document]:
    return [_document(c) for c in Need.objects.filter(pk__in=ids)]


def all_ids() -> Any:
    return Need.objects.values_list("pk", flat=True).iterator()


SOURCE = Source(
    kind="need",
    build=build,
    all_ids=all_ids,
    visible=lambda user, ids: {c.pk: c for c in needs_visible(user=user, ids=ids)},
    triggers={Need: lambda c: [("need", c.pk)]},
    url=lambda c: reverse("needs:detail", args=[c.pk]),
    label=lambda c: c.title,
    see_all_permission="needs.view_all_needs",
    public_for_anonymous=True,
)
