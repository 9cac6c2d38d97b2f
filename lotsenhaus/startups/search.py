"""Startups and their solutions as search documents (registered with the matching app in apps.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lotsenhaus.core.vocabulary import Technology
from lotsenhaus.matching.registry import Document, Source

from .models import (
    Certification,
    CertificationKind,
    Deployment,
    Hosting,
    Maturity,
    PublicReference,
    Solution,
    StartupProfile,
    Verification,
)
from .selectors import profiles_visible, solutions_visible

MATURITY_ORDER: list[str] = [Maturity.IDEA, Maturity.PROTOTYPE, Maturity.PILOT_READY, Maturity.IN_USE]
HOSTING_BITS = {code: 1 << i for i, code in enumerate(Hosting.values)}
DEPLOYMENT_BITS = {code: 1 << i for i, code in enumerate(Deployment.values)}
CERTIFICATION_BITS = {code: 1 << i for i, code in enumerate(CertificationKind.values)}


def bits(codes: list[str], table: dict[str, int]) -> int:
    """A bit mask of codes, as the search engine filters by them."""
    return sum(table.get(code, 0) for code in set(codes))


def _profile_facets(profile: StartupProfile) -> dict[str, Any]:
    return {
        "public": profile.verification == Verification.VERIFIED,
        "organisation": profile.organisation_id,
        "hosting": bits(profile.hosting_locations, HOSTING_BITS),
        "certifications": bits([c.kind for c in profile.certifications.all()], CERTIFICATION_BITS),
        "boost": bool(profile.references.all()),
    }


def _technology_text(codes: list[str]) -> str:
    return " ".join(str(Technology(code).label) for code in codes if code in Technology.values)


def build_solutions(ids: list[int]) -> list[Document]:
    solutions = Solution.objects.filter(pk__in=ids).select_related("profile__organisation")
    solutions = solutions.prefetch_related("profile__certifications", "profile__references")
    documents = []
    for solution in solutions:
        technologies = solution.technologies
        facets = _profile_facets(solution.profile)
        facets.update(
            maturity=MATURITY_ORDER.index(solution.maturity) if solution.maturity in MATURITY_ORDER else -1,
            deployment=bits(solution.deployment, DEPLOYMENT_BITS),
            technologies=technologies,
        )
        text = "\n".join(
            p
            for p in (solution.description, solution.capabilities, _technology_text(technologies), solution.interfaces)
            if p
        )
        documents.append(Document("solution", solution.pk, solution.name, text, facets))
    return documents


def build_profiles(ids: list[int]) -> list[Document]:
    profiles = StartupProfile.objects.filter(pk__in=ids).select_related("organisation")
    profiles = profiles.prefetch_related("certifications", "references", "solutions")
    documents = []
    for profile in profiles:
        solutions = list(profile.solutions.all())
        technologies = sorted({t for s in solutions for t in s.technologies})
        facets = _profile_facets(profile)
        maturities = [MATURITY_ORDER.index(s.maturity) for s in solutions if s.maturity in MATURITY_ORDER]
        facets.update(
            maturity=max(maturities, default=-1),
            deployment=bits([d for s in solutions for d in s.deployment], DEPLOYMENT_BITS),
            technologies=technologies,
        )
        parts = [profile.short_description, profile.long_description]
        parts += [f"{s.name}: {s.description[:300]}" for s in solutions]
        parts += [f"{r.public_body}: {r.what}" for r in profile.references.all()]
        text = "\n".join(p for p in parts if p)
        documents.append(Document("startup", profile.pk, profile.organisation.name, text, facets))
    return documents


def _profiles_and_solutions(ids: list[int]) -> list[tuple[str, int]]:
    keys = [("startup", pk) for pk in ids]
    keys += [("solution", pk) for pk in Solution.objects.filter(profile_id__in=ids).values_list("pk", flat=True)]
    return keys


SOLUTIONS = Source(
    kind="solution",
    build=build_solutions,
    all_ids=lambda: Solution.objects.values_list("pk", flat=True).iterator(),
    visible=lambda user, ids: {s.pk: s for s in solutions_visible(user=user, ids=ids)},
    triggers={Solution: lambda s: [("solution", s.pk), ("startup", s.profile_id)]},
    url=lambda s: reverse("startups:detail", args=[s.profile_id]) + f"#loesung-{s.pk}",
    label=lambda s: f"{s.name} – {s.profile.organisation.name}",
    see_all_permission="startups.view_all_profiles",
)

PROFILES = Source(
    kind="startup",
    build=build_profiles,
    all_ids=lambda: StartupProfile.objects.values_list("pk", flat=True).iterator(),
    visible=lambda user, ids: {p.pk: p for p in profiles_visible(user=user, ids=ids)},
    triggers={
        StartupProfile: lambda p: _profiles_and_solutions([p.pk]),
        PublicReference: lambda r: _profiles_and_solutions([r.profile_id]),
        Certification: lambda c: _profiles_and_solutions([c.profile_id]),
    },
    bulk_triggers={StartupProfile: lambda profiles: _profiles_and_solutions([p.pk for p in profiles])},
    url=lambda p: reverse("startups:detail", args=[p.pk]),
    label=lambda p: p.organisation.name,
    see_all_permission="startups.view_all_profiles",
)


def facet_fields() -> dict[str, Any]:
    """The search forms' filters over solutions and startups (registered as ``matching.registry.FACETS``)."""
    return {
        "maturity": forms.ChoiceField(
            label=_("Maturity at least"), required=False, choices=[("", _("Any")), *Maturity.choices]
        ),
        "hosting": forms.MultipleChoiceField(
            label=_("Hosting in"), required=False, choices=Hosting.choices, widget=forms.CheckboxSelectMultiple
        ),
        "deployment": forms.MultipleChoiceField(
            label=_("Deployment"), required=False, choices=Deployment.choices, widget=forms.CheckboxSelectMultiple
        ),
        "certifications": forms.MultipleChoiceField(
            label=_("Certifications (all of)"),
            required=False,
            choices=[c for c in CertificationKind.choices if c[0] != CertificationKind.OTHER],
            widget=forms.CheckboxSelectMultiple,
        ),
    }


def facet_filters(data: dict[str, Any]) -> dict[str, Any]:
    """The facets' cleaned values as the search engine's filters (bit sets, a maturity rank)."""
    maturity = data.get("maturity")
    return {
        "min_maturity": MATURITY_ORDER.index(maturity) if maturity else None,
        "hosting_any": bits(data.get("hosting") or [], HOSTING_BITS),
        "deployment_any": bits(data.get("deployment") or [], DEPLOYMENT_BITS),
        "certifications_all": bits(data.get("certifications") or [], CERTIFICATION_BITS),
    }
