from typing import Any

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja import Status as HttpStatus
from ninja.pagination import paginate

from lotsenhaus.accounts.actors import SignedInRequest
from lotsenhaus.core.api import Pagination
from lotsenhaus.core.filters import query_schema
from lotsenhaus.core.validation import require_permission
from lotsenhaus.core.vocabulary import Technology
from lotsenhaus.matching import selectors as matching
from lotsenhaus.matching.api import SearchOut, search_out

from . import selectors, services
from .filters import DirectoryFilterSet
from .models import Deployment, Hosting, Maturity, Solution, StartupProfile, Verification

router = Router(tags=["startups"])


class SolutionOut(Schema):
    id: int
    startup_id: int = Field(..., alias="profile_id")
    name: str
    description: str
    maturity: Maturity
    technologies: list[str]
    deployment: list[str]
    interfaces: str

    @staticmethod
    def resolve_technologies(obj: Solution) -> list[str]:
        return obj.technologies

    @staticmethod
    def resolve_deployment(obj: Solution) -> list[str]:
        return obj.deployment


class StartupOut(Schema):
    id: int
    name: str
    website: str
    verification: Verification
    short_description: str
    seat: str
    founding_year: int | None
    hosting_locations: list[str]

    @staticmethod
    def resolve_name(obj: StartupProfile) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_website(obj: StartupProfile) -> str:
        return obj.organisation.website

    @staticmethod
    def resolve_hosting_locations(obj: StartupProfile) -> list[str]:
        return obj.hosting_locations


class StartupDetailOut(StartupOut):
    solutions: list[SolutionOut]

    @staticmethod
    def resolve_solutions(obj: StartupProfile) -> list[Solution]:
        return list(obj.solutions.all())


class DirectoryFilters(query_schema(DirectoryFilterSet, "DirectoryFilterSchema")):  # type: ignore[misc]
    """The directory's filters, generated from its FilterSet (core.filters): the same as on the page."""


@router.get("/startups", response=list[StartupOut], summary="Startups the caller may see")
@paginate(Pagination, page_size=50)
def list_startups(request: SignedInRequest, filters: Query[DirectoryFilters]) -> Any:
    return selectors.startup_directory(user=request.user, filters=filters.dict(exclude_none=True))


@router.get("/startups/{startup_id}", response=StartupDetailOut)
def get_startup(request: SignedInRequest, startup_id: int) -> StartupProfile:
    return selectors.startup_get(user=request.user, pk=startup_id)


@router.get("/solutions", response=list[SolutionOut], summary="Solutions of the startups the caller may see")
@paginate(Pagination, page_size=50)
def list_solutions(request: SignedInRequest, filters: Query[DirectoryFilters]) -> Any:
    return selectors.solutions_of(user=request.user, filters=filters.dict(exclude_none=True))


class SolutionIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    description: str = Field(..., min_length=1, max_length=5000)
    capabilities: str = Field("", max_length=3000)
    technologies: list[Technology] = Field(default_factory=list)
    maturity: Maturity = Maturity.PROTOTYPE
    deployment: list[Deployment] = Field(default_factory=list)
    pricing_model: str = Field("", max_length=300)
    interfaces: str = Field("", max_length=300)
    languages: str = Field("", max_length=200)


class ProfilePatch(Schema):
    version: int
    short_description: str | None = Field(None, max_length=350)
    long_description: str | None = Field(None, max_length=5000)
    seat: str | None = Field(None, max_length=100)
    founding_year: int | None = Field(None, ge=1900, le=2100)
    team_size: int | None = Field(None, ge=0, le=100000)
    hosting_locations: list[Hosting] | None = None
    avv_available: bool | None = None
    contact_email: str | None = Field(None, max_length=254)


@router.patch("/startups/{startup_id}", response=StartupOut, summary="Change your startup's profile")
def update_startup(request: SignedInRequest, startup_id: int, payload: ProfilePatch) -> StartupProfile:
    profile = selectors.startup_get(user=request.user, pk=startup_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    return services.startup_update(actor=request.user, profile=profile, version=version, **data)


@router.post("/startups/{startup_id}/solutions", response={201: SolutionOut})
def create_solution(request: SignedInRequest, startup_id: int, payload: SolutionIn) -> Any:
    profile = selectors.startup_get(user=request.user, pk=startup_id)
    return HttpStatus(201, services.solution_save(actor=request.user, profile=profile, **payload.dict()))


@router.put("/startups/{startup_id}/solutions/{solution_id}", response=SolutionOut)
def update_solution(request: SignedInRequest, startup_id: int, solution_id: int, payload: SolutionIn) -> Solution:
    profile = selectors.startup_get(user=request.user, pk=startup_id)
    solution = get_object_or_404(Solution, pk=solution_id, profile=profile)
    return services.solution_save(actor=request.user, profile=profile, solution=solution, **payload.dict())


@router.delete("/startups/{startup_id}/solutions/{solution_id}", response={204: None})
def delete_solution(request: SignedInRequest, startup_id: int, solution_id: int) -> Any:
    profile = selectors.startup_get(user=request.user, pk=startup_id)
    services.solution_delete(actor=request.user, solution=get_object_or_404(Solution, pk=solution_id, profile=profile))
    return HttpStatus(204, None)


@router.get("/startups/{startup_id}/matching-needs", response=SearchOut, summary="Passende Bedarfe")
def matches(request: SignedInRequest, startup_id: int, limit: int = 20) -> dict[str, Any]:
    profile = selectors.startup_get(user=request.user, pk=startup_id)
    require_permission(request.user, "matching.view_startup_matches", profile)
    solutions = list(profile.solutions.all())
    return search_out(matching.needs_for_startup(user=request.user, solutions=solutions, limit=min(max(limit, 1), 100)))
