from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from lotsenhaus.core.codes import decode_codes

from . import selectors
from .models import Maturity, Solution, StartupProfile, Verification

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
        return decode_codes(obj.technologies)

    @staticmethod
    def resolve_deployment(obj: Solution) -> list[str]:
        return decode_codes(obj.deployment)


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
        return decode_codes(obj.hosting_locations)


class StartupDetailOut(StartupOut):
    solutions: list[SolutionOut]

    @staticmethod
    def resolve_solutions(obj: StartupProfile) -> list[Solution]:
        return list(obj.solutions.all())


class DirectoryFilters(Schema):
    q: str | None = Field(None, max_length=200)
    hosting: str | None = Field(None, pattern="^(de|eu|elsewhere)$")
    with_references: bool = False


@router.get("/startups", response=list[StartupOut], summary="Startups the caller may see")
@paginate(PageNumberPagination, page_size=50)
def list_startups(request: HttpRequest, filters: Query[DirectoryFilters]) -> Any:
    return selectors.startup_directory(user=request.user, filters=filters.dict())


@router.get("/startups/{startup_id}", response=StartupDetailOut)
def get_startup(request: HttpRequest, startup_id: int) -> StartupProfile:
    return selectors.startup_get(user=request.user, pk=startup_id)


@router.get("/solutions", response=list[SolutionOut], summary="Solutions of the startups the caller may see")
@paginate(PageNumberPagination, page_size=50)
def list_solutions(request: HttpRequest, filters: Query[DirectoryFilters]) -> Any:
    return selectors.solutions_of(profiles=selectors.startup_directory(user=request.user, filters=filters.dict()))
