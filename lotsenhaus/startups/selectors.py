from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from lotsenhaus.accounts.actors import Actor
from lotsenhaus.organisations.models import Organisation, OrganisationKind
from lotsenhaus.organisations.selectors import organisations_of_kind

from .filters import DirectoryFilterSet
from .importing import domain_of, normalise_name
from .models import PublicReference, Solution, StartupImport, StartupProfile, Verification
from .rules import VISIBLE_PROFILES


def _count_of(model: Any) -> Coalesce:
    rows = model.objects.filter(profile=OuterRef("pk")).order_by().values("profile").annotate(n=Count("pk"))
    return Coalesce(Subquery(rows.values("n")), 0)


def startup_directory(
    *, user: Actor, filters: DirectoryFilterSet | Mapping[str, Any] | None = None
) -> QuerySet[StartupProfile]:
    """Verified startups for every signed-in person; unverified ones only for the unit and their own members."""
    # Counts as subqueries, not joins with GROUP BY: the database then reads only the page's rows in name
    # order instead of aggregating the whole directory first (100k startups: 25 rows instead of 100k).
    qs = StartupProfile.objects.select_related("organisation").annotate(
        solution_count=_count_of(Solution), reference_count=_count_of(PublicReference)
    )
    return DirectoryFilterSet.apply(filters, VISIBLE_PROFILES.restrict(qs, user))


def startup_get(*, user: Actor, pk: int) -> StartupProfile:
    profile = get_object_or_404(StartupProfile.objects.select_related("organisation", "verified_by"), pk=pk)
    if not user.has_perm("startups.view_profile", profile):
        raise PermissionDenied
    return profile


COMPLETENESS = [
    ("short_description", _("a short description")),
    ("long_description", _("a longer description")),
    ("founding_year", _("the founding year")),
    ("seat", _("the seat")),
    ("team_size", _("the team size")),
    ("contact_email", _("a contact person")),
    ("hosting_locations", _("where you host")),
    ("product_accessibility", _("how accessible the product is")),
]


def startup_completeness(profile: StartupProfile) -> tuple[int, list[str]]:
    """Percent complete and what is still missing, so the startup knows what to add."""
    missing = [str(label) for name, label in COMPLETENESS if not getattr(profile, name)]
    if not profile.organisation.website:
        missing.append(str(_("the website")))
    if not profile.references.exists():
        missing.append(str(_("a public-sector reference")))
    if not profile.solutions.exists():
        missing.append(str(_("at least one solution")))
    total = len(COMPLETENESS) + 3
    return round(100 * (total - len(missing)) / total), missing


def own_profile_id(user: Actor) -> int | None:
    profile = answering_profile(user=user)
    return profile.pk if profile else None


def answering_profile(*, user: Actor) -> StartupProfile | None:
    """The startup a person answers for: their first startup membership (no query for people without one)."""
    startups = organisations_of_kind(user, OrganisationKind.STARTUP)
    if not startups:
        return None
    return (
        StartupProfile.objects.filter(organisation_id__in=startups)
        .select_related("organisation")
        .order_by("pk")
        .first()
    )


def solutions_of(*, user: Actor, filters: DirectoryFilterSet | Mapping[str, Any] | None = None) -> QuerySet[Solution]:
    """The solutions of the startups the directory shows the person (with its filters), by startup and name."""
    solutions = Solution.objects.select_related("profile__organisation").order_by("profile__name", "name")
    # The visibility once more on the joined startup: the database then walks the startups in name order from
    # their index and stops after a page, instead of going through all startups to test each against the subquery.
    solutions = VISIBLE_PROFILES.restrict_through(solutions, user, "profile")
    # A filter left at its default (the API sends with_references=false) filters nothing: no subquery then,
    # whose plan PostgreSQL gets badly wrong before it has statistics (2.4 s at 10k startups after a bulk load).
    given = filters.data if isinstance(filters, DirectoryFilterSet) else filters or {}
    if any(value not in (None, "", [], False, "false") for value in given.values()):
        solutions = solutions.filter(profile__in=startup_directory(user=user, filters=filters).values("pk"))
    return solutions


def catalogue_keys() -> tuple[set[str], set[str]]:
    """Normalised names and web domains of every startup already known, for duplicate checks on import."""
    rows = Organisation.objects.filter(kind=OrganisationKind.STARTUP).values_list("name", "website")
    return {normalise_name(name) for name, _w in rows}, {domain_of(w) for _n, w in rows if w}


def import_get(*, user: Actor, pk: int) -> StartupImport:
    if not user.has_perm("startups.scout_startup"):
        raise PermissionDenied
    return get_object_or_404(StartupImport, pk=pk)


def profiles_visible(*, user: Actor, ids: list[int]) -> QuerySet[StartupProfile]:
    """Those of the given startups a person may see (the directory's rule)."""
    return VISIBLE_PROFILES.restrict(StartupProfile.objects.filter(pk__in=ids), user).select_related("organisation")


def solutions_visible(*, user: Actor, ids: list[int]) -> QuerySet[Solution]:
    solutions = Solution.objects.filter(pk__in=ids).select_related("profile__organisation")
    return VISIBLE_PROFILES.restrict_through(solutions, user, "profile")


def startups_named(*, user: Actor, name: str, limit: int = 6) -> QuerySet[StartupProfile]:
    """Startups in the directory (as the person may see it) whose name contains ``name``."""
    return startup_directory(user=user).filter(organisation__name__icontains=name.strip())[:limit]


def verified_profiles() -> QuerySet[StartupProfile]:
    """Every verified startup with its solutions (for system work such as matching a newly published need)."""
    return (
        StartupProfile.objects.filter(verification=Verification.VERIFIED)
        .select_related("organisation")
        .prefetch_related("solutions")
        .order_by("pk")
    )
