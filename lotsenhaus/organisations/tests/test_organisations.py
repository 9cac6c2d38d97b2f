import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lotsenhaus.accounts.models import User
from lotsenhaus.core.models import AuditEntry
from lotsenhaus.core.roles import Role
from lotsenhaus.organisations import services
from lotsenhaus.organisations.models import Membership, MembershipRole, Organisation, OrganisationKind
from tests.factories import OrganisationFactory, make_person
from tests.refusals import refused

pytestmark = pytest.mark.django_db

VALID = {
    "name": "Bezirksamt Harburg",
    "short_name": "BA Harburg",
    "kind": "bezirksamt",
    "website": "",
    "email_domains": "",
}


def test_coordinator_creates_an_organisation(client_for):
    client = client_for(Role.COORDINATOR)
    response = client.post(reverse("organisations:create"), VALID)
    organisation = Organisation.objects.get(name="Bezirksamt Harburg")
    assert response["Location"] == reverse("organisations:detail", args=[organisation.pk])
    assert organisation.slug == "bezirksamt-harburg"
    assert AuditEntry.objects.filter(action="organisation.create", object_id=str(organisation.pk)).exists()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"kind": "geheimdienst"}, "kind", "keine gültige Auswahl"),
        ({"name": "B" * 201}, "name", "höchstens 200 Zeichen"),
        ({"name": ""}, "name", "zwingend erforderlich"),
        ({"website": "nicht eine url"}, "website", "gültige Adresse"),
        ({"email_domains": "bsw@hamburg"}, "email_domains", "keine gültige Domain"),
    ],
)
def test_bad_organisation_input_is_refused_in_german(client_for, change, field, message):
    client = client_for(Role.COORDINATOR)
    count = Organisation.objects.count()
    response = client.post(reverse("organisations:create"), {**VALID, **change})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert message in response.content.decode()
    assert Organisation.objects.count() == count


def test_a_startup_cannot_be_nested_in_an_authority(client_for):
    client = client_for(Role.COORDINATOR)
    authority = OrganisationFactory.create(kind=OrganisationKind.FACHBEHOERDE)
    response = client.post(reverse("organisations:create"), {**VALID, "kind": "startup", "parent": authority.pk})
    assert "Nur Behörden" in " ".join(response.context["form"].errors["parent"])
    assert not Organisation.objects.filter(name=VALID["name"]).exists()


def test_duplicate_name_is_refused(client_for):
    client = client_for(Role.COORDINATOR)
    OrganisationFactory.create(name=VALID["name"])
    response = client.post(reverse("organisations:create"), VALID)
    assert "existiert bereits" in response.content.decode()
    assert Organisation.objects.filter(name=VALID["name"]).count() == 1


def test_kind_cannot_change_while_members_decide_their_roles():
    coordinator = make_person(Role.COORDINATOR)
    startup_member = make_person(Role.STARTUP_MEMBER)
    organisation = startup_member.memberships.get().organisation
    with refused("not_allowed", field="kind"):
        services.organisation_update(
            actor=coordinator, organisation=organisation, kind=OrganisationKind.VENTURE_CLIENT_UNIT
        )


@pytest.mark.parametrize("role", [None, Role.NEED_OWNER, Role.STARTUP_MEMBER, Role.EXPERT])
def test_only_unit_staff_create_organisations(client_for, role):
    client = client_for(role)
    assert client.get(reverse("organisations:create")).status_code == 403
    assert client.post(reverse("organisations:create"), VALID).status_code == 403
    assert not Organisation.objects.filter(name=VALID["name"]).exists()


def test_members_see_only_their_own_organisation(client_for):
    client = client_for(Role.STARTUP_MEMBER)
    own = client.user.memberships.get().organisation
    other = OrganisationFactory.create(kind=OrganisationKind.STARTUP, name="Konkurrenz GmbH")
    response = client.get(reverse("organisations:list"))
    assert own.name in response.content.decode()
    assert "Konkurrenz GmbH" not in response.content.decode()
    assert client.get(reverse("organisations:detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("organisations:detail", args=[other.pk])).status_code == 403


def _add(client, organisation, **data):
    return client.post(reverse("organisations:member_add", args=[organisation.pk]), data)


def test_adding_a_new_person_invites_them_once(client_for, django_capture_on_commit_callbacks):
    client = client_for(Role.COORDINATOR)
    authority = OrganisationFactory.create(kind=OrganisationKind.BEZIRKSAMT)
    with django_capture_on_commit_callbacks(execute=True):
        response = _add(client, authority, email="Neu@Altona.Example", name="Nele Neu", role="admin")
    assert response.status_code == 302
    user = User.objects.get(email="neu@altona.example")
    membership = Membership.objects.get(user=user, organisation=authority)
    assert membership.role == MembershipRole.ADMIN
    assert len(mail.outbox) == 1
    assert authority.name in mail.outbox[0].subject
    # Running the task again (a retry after a crash) sends nothing more.
    assert services.membership_send_invitation(membership_id=membership.pk) is False
    assert len(mail.outbox) == 1

    # The link lets the person set a password and sign in.
    path = re.search(r"https?://[^/\s]+(/\S+)", str(mail.outbox[0].body)).group(1)
    anonymous = client.__class__()
    form_page = anonymous.get(path, follow=True)
    response = anonymous.post(
        form_page.request["PATH_INFO"],
        {"password1": "Ein-langes-Passwort-42", "password2": "Ein-langes-Passwort-42"},
    )
    assert response.status_code == 302
    assert anonymous.login(email="neu@altona.example", password="Ein-langes-Passwort-42")


def test_a_forged_role_is_refused_and_nothing_saved(client_for):
    client = client_for(Role.COORDINATOR)
    authority = OrganisationFactory.create()
    response = _add(client, authority, email="x@amt.example", name="X", role="owner")
    assert response.status_code == 422
    assert "keine gültige Auswahl" in response.content.decode()
    assert not User.objects.filter(email="x@amt.example").exists()


def test_a_person_cannot_be_added_twice(client_for):
    client = client_for(Role.COORDINATOR)
    member = make_person(Role.NEED_OWNER)
    organisation = member.memberships.get().organisation
    response = _add(client, organisation, email=member.email.upper(), name="", role="member")
    assert response.status_code == 422
    assert "bereits Mitglied" in response.content.decode()
    assert organisation.memberships.count() == 1


def test_new_person_needs_a_name(client_for):
    client = client_for(Role.COORDINATOR)
    response = _add(client, OrganisationFactory.create(), email="ohne@name.example", name="", role="member")
    assert "Namen" in response.content.decode()
    assert not User.objects.filter(email="ohne@name.example").exists()


def test_organisation_admin_manages_own_members_only(client_for):
    client = client_for(Role.NEED_OWNER, membership_role=MembershipRole.ADMIN)
    own = client.user.memberships.get().organisation
    other = OrganisationFactory.create()
    assert _add(client, own, email="kollegin@amt.example", name="Kollegin", role="member").status_code == 302
    assert _add(client, other, email="fremd@amt.example", name="Fremd", role="member").status_code == 403


def test_plain_member_cannot_manage_members(client_for):
    client = client_for(Role.NEED_OWNER)
    own = client.user.memberships.get().organisation
    assert _add(client, own, email="k@amt.example", name="K", role="member").status_code == 403


def test_role_follows_the_kind_of_organisation(client_for):
    for role in (Role.COORDINATOR, Role.NEED_OWNER, Role.STARTUP_MEMBER, Role.EXPERT):
        client = client_for(role)
        assert client.get("/api/v1/me").json()["roles"] == [role.value]


def test_list_needs_the_same_queries_for_few_and_many(client_for):
    client = client_for(Role.COORDINATOR)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("organisations:list"))
    parent = OrganisationFactory.create()
    for _ in range(25):
        make_person(Role.NEED_OWNER, organisation=OrganisationFactory.create(parent=parent))
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("organisations:list"))
    assert len(many) == len(few)


def test_list_filters_by_kind_and_name_with_htmx_fragment(client_for):
    client = client_for(Role.COORDINATOR)
    OrganisationFactory.create(name="Bezirksamt Wandsbek", kind=OrganisationKind.BEZIRKSAMT)
    OrganisationFactory.create(name="Aktenblick GmbH", kind=OrganisationKind.STARTUP)
    response = client.get(reverse("organisations:list"), {"kind": "startup"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "Aktenblick GmbH" in body and "Bezirksamt Wandsbek" not in body
    assert "<html" not in body
    body = client.get(reverse("organisations:list"), {"q": "wands"}).content.decode()
    assert "Bezirksamt Wandsbek" in body and "Aktenblick GmbH" not in body


def test_page_links_keep_the_filters(client_for):
    client = client_for(Role.COORDINATOR)
    for _ in range(55):
        OrganisationFactory.create(kind=OrganisationKind.BEZIRKSAMT)
    body = client.get(reverse("organisations:list"), {"kind": "bezirksamt"}).content.decode()
    assert "?kind=bezirksamt&amp;page=2" in body
