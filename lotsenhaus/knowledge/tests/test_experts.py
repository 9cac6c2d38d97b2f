"""The expert directory: experts decide what is public; coordinators invite them to evaluations and assessments."""

import pytest
from django.test import Client

from lotsenhaus.core.exceptions import ApplicationError
from lotsenhaus.core.roles import Role
from lotsenhaus.knowledge import services
from lotsenhaus.notifications.models import Notification
from tests.factories import make_person

pytestmark = pytest.mark.django_db


def _profile(user, **fields):
    data = {
        "headline": "KI-Transfer",
        "expertise": ["Sprachmodelle", "KI-Verordnung"],
        "bio": "Geheime Biografie",
        "languages": ["Deutsch"],
        "availability": "limited",
        "is_public": True,
        "public_fields": ["expertise"],
    }
    return services.expert_profile_save(actor=user, **{**data, **fields})


def test_the_public_sees_only_published_profiles_and_only_the_chosen_fields(client):
    public = _profile(make_person(Role.EXPERT, name="Eva Expertin"))
    _profile(make_person(Role.EXPERT, name="Ingo Intern"), is_public=False)
    listing = client.get("/wissen/expertise/").content.decode()
    assert "Eva Expertin" in listing and "Ingo Intern" not in listing
    detail = client.get(f"/wissen/expertise/{public.pk}/").content.decode()
    assert "Sprachmodelle" in detail and "Geheime Biografie" not in detail and public.user.email not in detail
    api = client.get(f"/api/v1/experts/{public.pk}").json()
    assert api["expertise"] == ["Sprachmodelle", "KI-Verordnung"] and api["bio"] is None and api["email"] is None
    assert len(client.get("/api/v1/experts").json()["results"]) == 1
    insider = Client()
    insider.force_login(make_person(Role.NEED_OWNER))
    assert "Ingo Intern" in insider.get("/wissen/expertise/").content.decode()
    assert insider.get(f"/api/v1/experts/{public.pk}").json()["bio"] == "Geheime Biografie"
    startup = Client()
    startup.force_login(make_person(Role.STARTUP_MEMBER))
    assert "Ingo Intern" not in startup.get("/wissen/expertise/").content.decode()


def test_experts_edit_their_own_profile_only_with_their_own_organisation(client_for):
    expert = client_for(Role.EXPERT)
    foreign = make_person(Role.EXPERT).memberships.get().organisation
    with pytest.raises(ApplicationError):
        _profile(expert.user, organisation=foreign)
    with pytest.raises(ApplicationError):
        _profile(expert.user, public_fields=["password"])
    own = expert.user.memberships.get().organisation
    response = expert.post(
        "/wissen/expertise/mein-profil/",
        {
            "form": "profile",
            "profile-headline": "Professorin",
            "profile-organisation": own.pk,
            "profile-expertise": "Robotik, Bildverarbeitung",
            "profile-languages": "Deutsch",
            "profile-availability": "available",
            "profile-public_fields": ["organisation"],
        },
    )
    assert response.status_code == 302
    profile = expert.user.expert_profile
    assert profile.expertise == ["Robotik", "Bildverarbeitung"] and not profile.is_public
    stale_form = {
        "form": "profile",
        "profile-version": 0,
        "profile-headline": "x",
        "profile-expertise": "a",
        "profile-languages": "b",
        "profile-availability": "available",
    }
    stale = expert.post("/wissen/expertise/mein-profil/", stale_form)
    assert stale.status_code == 422
    assert client_for(Role.STARTUP_MEMBER).get("/wissen/expertise/mein-profil/").status_code == 403
    api = expert.put(
        "/api/v1/experts/me",
        {"version": profile.version, "headline": "Professorin", "expertise": ["Robotik"], "languages": ["Deutsch"],
         "is_public": True, "public_fields": ["expertise"]},
        content_type="application/json",
    )  # fmt: skip
    assert api.status_code == 200 and api.json()["expertise"] == ["Robotik"]


def test_coordinators_invite_experts_to_evaluations_and_assessments(django_capture_on_commit_callbacks):
    from tests.pipeline import build_world, explore

    world = build_world()
    explore(world)
    from lotsenhaus.evaluations import services as ev

    evaluation = ev.evaluation_start(actor=world.coordinator, need=world.need)
    profile = _profile(world.expert)
    client = world.client(world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/wissen/expertise/{profile.pk}/", {"form": "evaluation", "evaluation-evaluation": evaluation.pk}
        )
    assert response.status_code == 302
    assert evaluation.evaluators.filter(user=world.expert).exists()
    assert Notification.objects.filter(user=world.expert, topic="evaluation").exists()
    again = client.post(
        f"/wissen/expertise/{profile.pk}/", {"form": "evaluation", "evaluation-evaluation": evaluation.pk}
    )
    assert again.status_code == 422 and "bereits" in again.content.decode()
    from lotsenhaus.airegister.services import use_case_create

    use_case = use_case_create(
        actor=world.owner, organisation=world.authority, name="Antragsprüfung", short_description="KI prüft Anträge"
    )
    client.post(
        f"/wissen/expertise/{profile.pk}/",
        {"form": "assessment", "assessment-use_case": use_case.pk, "assessment-message": "Bitte bis Freitag"},
    )
    note = Notification.objects.get(user=world.expert, key=f"assessment-invite:{use_case.pk}:{world.expert.pk}")
    assert note.body == "Bitte bis Freitag"
    owner_profile = _profile(world.owner)
    with pytest.raises(ApplicationError):
        services.expert_invite_to_assessment(actor=world.coordinator, profile=owner_profile, use_case=use_case)
    assert (
        world.client(world.owner)
        .post(f"/wissen/expertise/{profile.pk}/", {"form": "evaluation", "evaluation-evaluation": evaluation.pk})
        .status_code
        == 403
    )
