import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone

from lotsenhaus.core.roles import Role
from lotsenhaus.needs import services as need_services
from lotsenhaus.needs.models import Need
from lotsenhaus.organisations.models import OrganisationKind
from lotsenhaus.startups.models import Solution, StartupProfile
from tests.factories import OrganisationFactory, make_person

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _startup(name, verification="verified"):
    member = make_person(
        Role.STARTUP_MEMBER, organisation=OrganisationFactory.create(name=name, kind=OrganisationKind.STARTUP)
    )
    profile = StartupProfile.objects.create(
        organisation=member.memberships.get().organisation, verification=verification
    )
    return profile, member


def test_startups_and_solutions_over_the_api_respect_verification():
    verified, _m = _startup("Geprüft GmbH")
    Solution.objects.create(profile=verified, name="Lösung A", description="D", technologies=["ai_text"])
    hidden, _m2 = _startup("Ungeprüft GmbH", verification="unverified")
    client = _client(make_person(Role.NEED_OWNER))
    names = [s["name"] for s in client.get("/api/v1/startups").json()["results"]]
    assert names == ["Geprüft GmbH"]
    detail = client.get(f"/api/v1/startups/{verified.pk}").json()
    assert detail["solutions"][0]["technologies"] == ["ai_text"]
    assert client.get(f"/api/v1/startups/{hidden.pk}").status_code == 403
    assert [s["name"] for s in client.get("/api/v1/solutions").json()["results"]] == ["Lösung A"]
    assert Client().get("/api/v1/startups").status_code == 401
    assert client.get("/api/v1/startups?hosting=mars").status_code == 422


def test_answers_over_the_api():
    authority = OrganisationFactory.create(kind=OrganisationKind.BEZIRKSAMT)
    owner = make_person(Role.NEED_OWNER, organisation=authority)
    need = need_services.need_create(actor=owner, organisation=authority, title="Bedarf")
    Need.objects.filter(pk=need.pk).update(
        status="published",
        published_at=timezone.now(),
        answer_deadline=timezone.localdate() + datetime.timedelta(days=2),
    )
    _profile, member = _startup("Terminwerk GmbH")
    startup = _client(member)
    response = startup.put(
        f"/api/v1/needs/{need.pk}/answer", json.dumps({"approach": "So"}), content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["startup"] == "Terminwerk GmbH"
    again = startup.put(
        f"/api/v1/needs/{need.pk}/answer",
        json.dumps({"approach": "Besser", "version": 1}),
        content_type="application/json",
    )
    assert again.json()["version"] == 2
    assert startup.get(f"/api/v1/needs/{need.pk}/answers").status_code == 403
    answers = _client(owner).get(f"/api/v1/needs/{need.pk}/answers").json()["results"]
    assert [a["approach"] for a in answers] == ["Besser"]
    _other, competitor = _startup("Konkurrenz GmbH")
    assert _client(competitor).get(f"/api/v1/needs/{need.pk}/answers").status_code == 403
    bad = startup.put(f"/api/v1/needs/{need.pk}/answer", json.dumps({"approach": ""}), content_type="application/json")
    assert bad.status_code == 422


def test_a_startup_keeps_its_profile_and_solutions_over_the_api():
    profile, member = _startup("Terminwerk GmbH")
    client = _client(member)
    patch = client.patch(
        f"/api/v1/startups/{profile.pk}",
        json.dumps({"version": 1, "seat": "Hamburg", "hosting_locations": ["de", "eu"]}),
        content_type="application/json",
    )
    assert patch.status_code == 200 and patch.json()["hosting_locations"] == ["de", "eu"]
    created = client.post(
        f"/api/v1/startups/{profile.pk}/solutions",
        json.dumps(
            {"name": "Termine", "description": "Vergabe", "technologies": ["ai_forecast"], "deployment": ["saas"]}
        ),
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    solution_id = created.json()["id"]
    assert (
        client.post(
            f"/api/v1/startups/{profile.pk}/solutions",
            json.dumps({"name": "X", "description": "Y", "maturity": "vaporware"}),
            content_type="application/json",
        ).status_code
        == 422
    )
    _other, intruder = _startup("Fremd GmbH")
    assert _client(intruder).delete(f"/api/v1/startups/{profile.pk}/solutions/{solution_id}").status_code == 403
    assert client.delete(f"/api/v1/startups/{profile.pk}/solutions/{solution_id}").status_code == 204
    assert not Solution.objects.exists()
