"""Needs as search documents (registered with the matching app in apps.py)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from lotsenhaus.matching.registry import Document, Source

from .models import PUBLIC_STATUSES, Challenge
from .selectors import challenges_visible


def _document(challenge: Challenge) -> Document:
    parts = [
        challenge.problem,
        challenge.current_practice,
        challenge.desired_outcome,
        challenge.success_measure,
        challenge.data_involved,
        challenge.interfaces,
        " ".join(challenge.technology_labels()),
        str(challenge.get_policy_field_display()) if challenge.policy_field else "",
    ]
    return Document(
        kind="need",
        object_id=challenge.pk,
        title=challenge.title,
        text="\n".join(p for p in parts if p),
        facets={
            "public": challenge.status in PUBLIC_STATUSES,
            "organisation": challenge.organisation_id,
            "budget": float(challenge.budget_max) if challenge.budget_max is not None else None,
            "technologies": challenge.technology_list,
            "published_at": challenge.published_at.isoformat() if challenge.published_at else None,
        },
    )


def build(ids: list[int]) -> list[Document]:
    return [_document(c) for c in Challenge.objects.filter(pk__in=ids)]


def all_ids() -> Any:
    return Challenge.objects.values_list("pk", flat=True).iterator()


SOURCE = Source(
    kind="need",
    build=build,
    all_ids=all_ids,
    visible=lambda user, ids: {c.pk: c for c in challenges_visible(user=user, ids=ids)},
    triggers={Challenge: lambda c: [("need", c.pk)]},
    url=lambda c: reverse("challenges:detail", args=[c.pk]),
    label=lambda c: c.title,
    see_all_permission="challenges.view_all_challenges",
    public_for_anonymous=True,
)
