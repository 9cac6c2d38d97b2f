"""Data protection rights through the API: one's own data export; export and erasure of anyone for admins.

Erasing one's own account needs the password and is offered in the browser only: a leaked API token must
not be enough to close an account.
"""

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from lotsenhaus.accounts.actors import SignedInRequest
from lotsenhaus.core import privacy

from . import selectors, services
from .models import User

router = Router(tags=["data protection"])


class PersonOut(Schema):
    id: int
    email: str
    name: str
    date_joined: datetime
    last_login: datetime | None
    is_active: bool
    is_platform_admin: bool
    is_service_account: bool
    erased_at: datetime | None


class AuditAboutOut(Schema):
    at: datetime
    action: str
    actor_id: int | None
    changes: dict[str, Any]


class PersonalDataOut(Schema):
    """The GDPR export: the account, every record that refers to the person (by model label, each row with how
    it refers to the person and its fields) and the audit entries about the account."""

    format: str
    exported_at: datetime
    platform: str
    person: PersonOut
    records: dict[str, list[dict[str, Any]]]
    audit_entries_about_the_account: list[AuditAboutOut]


class ErasedOut(Schema):
    id: int
    name: str
    erased_at: str


def _json(data: dict[str, Any]) -> HttpResponse:
    return HttpResponse(privacy.to_json(data), content_type="application/json; charset=utf-8")


def _person_for_admin(request: HttpRequest, person_id: int) -> User:
    if not request.user.is_superuser:
        raise PermissionDenied
    return get_object_or_404(User, pk=person_id)


@router.get(
    "/me/personal-data",
    summary="Everything the platform holds about the caller (GDPR Art. 15 and 20)",
    response={200: PersonalDataOut},
)
def my_personal_data(request: SignedInRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    return _json(selectors.personal_data(user))


@router.get(
    "/people/{person_id}/personal-data",
    summary="Everything about one person, for answering a request received by letter (platform admins)",
    response={200: PersonalDataOut},
)
def person_personal_data(request: SignedInRequest, person_id: int) -> HttpResponse:
    return _json(selectors.personal_data(_person_for_admin(request, person_id)))


@router.post(
    "/people/{person_id}/erasure",
    response=ErasedOut,
    summary="Erase one person's data; records stay and show a pseudonym (platform admins)",
)
def person_erasure(request: SignedInRequest, person_id: int) -> dict[str, Any]:
    person = services.person_erase(actor=request.user, user=_person_for_admin(request, person_id))
    return {"id": person.pk, "name": person.name, "erased_at": person.erased_at.isoformat() if person.erased_at else ""}
