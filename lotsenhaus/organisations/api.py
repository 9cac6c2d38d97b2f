from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from lotsenhaus.accounts.actors import SignedInRequest
from lotsenhaus.core.api import Pagination
from lotsenhaus.core.filters import query_schema
from lotsenhaus.core.roles import roles_of

from . import selectors, services
from .filters import OrganisationFilterSet
from .models import Organisation, OrganisationKind

router = Router(tags=["organisations"])

KindEnum = OrganisationKind


class OrganisationOut(Schema):
    id: int
    name: str
    short_name: str
    slug: str
    kind: KindEnum
    parent_id: int | None
    website: str
    is_active: bool


class OrganisationIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    kind: KindEnum
    short_name: str = Field("", max_length=40)
    parent_id: int | None = None
    website: str = Field("", max_length=200)
    email_domains: str = Field("", max_length=300)


class OrganisationPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    short_name: str | None = Field(None, max_length=40)
    website: str | None = Field(None, max_length=200)
    email_domains: str | None = Field(None, max_length=300)


class MembershipOut(Schema):
    organisation_id: int
    role: str


class MeOut(Schema):
    id: int
    email: str
    name: str
    roles: list[str]
    memberships: list[MembershipOut]


@router.get("/me", response=MeOut, tags=["me"], summary="The signed-in person, their roles and memberships")
def me(request: SignedInRequest) -> dict[str, Any]:
    user = request.user
    memberships = selectors.memberships_of(user)
    return {
        "id": user.pk,
        "email": user.email,
        "name": user.name,
        "roles": sorted(roles_of(user)),
        "memberships": [{"organisation_id": k, "role": v[0]} for k, v in sorted(memberships.items())],
    }


class OrganisationFilters(query_schema(OrganisationFilterSet, "OrganisationFilterSchema")):  # type: ignore[misc]
    """The organisation list's filters, generated from its FilterSet (core.filters): the same as on the page."""


@router.get("/organisations", response=list[OrganisationOut], summary="Organisations the caller may see")
@paginate(Pagination, page_size=50)
def list_organisations(request: SignedInRequest, filters: Query[OrganisationFilters]) -> Any:
    if not request.user.has_perm("organisations.view_organisation_list"):
        raise PermissionDenied
    return selectors.organisation_list(user=request.user, filters=filters.dict(exclude_none=True))


@router.get("/organisations/{organisation_id}", response=OrganisationOut)
def get_organisation(request: SignedInRequest, organisation_id: int) -> Organisation:
    return selectors.organisation_get(user=request.user, pk=organisation_id)


def _parent(request: HttpRequest, parent_id: int | None) -> Organisation | None:
    return selectors.organisation_get(user=request.user, pk=parent_id) if parent_id else None


@router.post("/organisations", response={201: OrganisationOut})
def create_organisation(request: SignedInRequest, payload: OrganisationIn) -> Status[Any]:
    if not request.user.has_perm("organisations.add_organisation"):
        raise PermissionDenied
    data = payload.dict()
    parent = _parent(request, data.pop("parent_id"))
    return Status(201, services.organisation_create(actor=request.user, parent=parent, **data))


@router.patch("/organisations/{organisation_id}", response=OrganisationOut)
def update_organisation(request: SignedInRequest, organisation_id: int, payload: OrganisationPatch) -> Organisation:
    organisation = selectors.organisation_get(user=request.user, pk=organisation_id)
    if not request.user.has_perm("organisations.change_organisation", organisation):
        raise PermissionDenied
    fields = payload.dict(exclude_unset=True, exclude_none=True)
    return services.organisation_update(actor=request.user, organisation=organisation, **fields)
