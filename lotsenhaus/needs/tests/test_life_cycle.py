import datetime
import json
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lotsenhaus.core.exceptions import ApplicationError
from lotsenhaus.core.models import AuditEntry
from lotsenhaus.core.roles import Role
from lotsenhaus.needs import services
from lotsenhaus.needs.models import Need, Status, Transition
from lotsenhaus.organisations.models import OrganisationKind
from tests.factories import OrganisationFactory, make_person
from tests.refusals import refused

pytestmark = pytest.mark.django_db

FUTURE = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
PAST = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()

STEP_DATA: dict[str, dict[str, Any]] = {
    "problem": {
        "title": "Bauanträge schneller prüfen",
        "problem": "Bauanträge liegen wochenlang, weil Unterlagen fehlen und erst spät nachgefordert werden.",
        "affected_groups": ["citizens", "businesses"],
        "affected_count": "12000",
    },
    "goal": {
        "current_practice": "Sachbearbeitung prüft jede Akte von Hand.",
        "desired_outcome": "Fehlende Unterlagen werden beim Eingang erkannt.",
        "success_measure": "Bearbeitungszeit sinkt von 12 auf 6 Wochen.",
    },
    "constraints": {
        "data_involved": "Bauantragsunterlagen",
        "protection_class": "internal",
        "hosting": "Rechenzentrum in Hamburg",
    },
    "frame": {"budget_min": "20000", "budget_max": "80000", "policy_field": "building", "technologies": ["ai_text"]},
    "contact": {"contact_name": "Bernd Bedarf", "contact_email": "bernd@bsw.example"},
}


@pytest.fixture
def world():
    authority = OrganisationFactory.create(
        name="Behörde für Stadtentwicklung und Wohnen", kind=OrganisationKind.FACHBEHOERDE
    )
    owner = make_person(Role.NEED_OWNER, organisation=authority)
    coordinator = make_person(Role.COORDINATOR)
    return {"authority": authority, "owner": owner, "coordinator": coordinator}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _fill_all_steps(client, need):
    for step, data in STEP_DATA.items():
        need.refresh_from_db()
        response = client.post(reverse("needs:step", args=[need.pk, step]), {**data, "version": need.version})
        assert response.status_code == 302, (step, response.context["form"].errors if response.context else response)


def _act(client, need, action, **data):
    return client.post(reverse("needs:transition", args=[need.pk]), {"action": action, **data}, follow=True)


def test_a_need_goes_from_draft_to_adoption_through_the_pages(world, django_capture_on_commit_callbacks):
    owner, coordinator = _client(world["owner"]), _client(world["coordinator"])
    response = owner.post(
        reverse("needs:create"), {"organisation": world["authority"].pk, "title": "Bauanträge schneller prüfen"}
    )
    need = Need.objects.get()
    assert response["Location"] == reverse("needs:step", args=[need.pk, "problem"])
    assert need.status == Status.DRAFT

    # Submitting an incomplete draft is refused with the missing fields named.
    body = _act(owner, need, "submit").content.decode()
    assert "Bitte füllen Sie vor dem Einreichen aus" in body
    need.refresh_from_db()
    assert need.status == Status.DRAFT

    _fill_all_steps(owner, need)
    with django_capture_on_commit_callbacks(execute=True):
        _act(owner, need, "submit")
    need.refresh_from_db()
    assert need.status == Status.IN_REVIEW
    assert [m.to for m in mail.outbox] == [[world["coordinator"].email]]

    # The unit sends it back with a comment, the owner resubmits.
    assert "Bitte sagen Sie" in _act(coordinator, need, "return", comment="").content.decode()
    _act(coordinator, need, "return", comment="Bitte die Zielgröße genauer beschreiben.")
    need.refresh_from_db()
    assert need.status == Status.DRAFT
    assert (
        "Bitte die Zielgröße genauer beschreiben."
        in owner.get(reverse("needs:detail", args=[need.pk])).content.decode()
    )
    _act(owner, need, "submit")

    # Publishing needs a deadline in the future.
    assert "in der Zukunft" in _act(coordinator, need, "publish", answer_deadline=PAST).content.decode()
    _act(coordinator, need, "publish", answer_deadline=FUTURE)
    need.refresh_from_db()
    assert need.status == Status.PUBLISHED and need.published_at is not None
    assert "Bauanträge schneller prüfen" in Client().get(reverse("needs:board")).content.decode()

    # The pipeline steps are taken on their own pages (exploration, evaluation, pilot), never by a bare change of state.
    for action in ("start_exploration", "start_evaluation", "start_pilot", "close"):
        _act(coordinator, need, action)
    need.refresh_from_db()
    assert need.status == Status.PUBLISHED

    actions = list(AuditEntry.objects.filter(object_type="needs.need").values_list("action", flat=True))
    for action in ["create", "update", "submit", "return", "publish"]:
        assert f"need.{action}" in actions
    assert Transition.objects.filter(need=need).count() == 4


def test_illegal_transitions_are_refused_with_a_reason(world):
    need = services.need_create(actor=world["owner"], organisation=world["authority"], title="X")
    with refused("wrong_state"):
        services.need_transition(actor=world["coordinator"], need=need, action="publish")
    with refused("unknown_action"):
        services.need_transition(actor=world["coordinator"], need=need, action="teleport")
    need.refresh_from_db()
    assert need.status == Status.DRAFT
    assert not Transition.objects.exists()


def test_the_owner_cannot_publish_their_own_need(world):
    need = services.need_create(actor=world["owner"], organisation=world["authority"], title="X")
    Need.objects.filter(pk=need.pk).update(status=Status.IN_REVIEW)
    response = _act(_client(world["owner"]), need, "publish", answer_deadline=FUTURE)
    assert response.status_code == 403
    need.refresh_from_db()
    assert need.status == Status.IN_REVIEW


@pytest.mark.parametrize(
    ("role", "same_authority", "draft_visible"),
    [
        (None, False, False),
        (Role.STARTUP_MEMBER, False, False),
        (Role.EXPERT, False, False),
        (Role.NEED_OWNER, False, False),
        (Role.NEED_OWNER, True, True),
        (Role.COORDINATOR, False, True),
        (Role.PLATFORM_ADMIN, False, True),
    ],
)
def test_drafts_are_seen_only_by_the_organisation_and_the_unit(world, role, same_authority, draft_visible):
    draft = services.need_create(
        actor=world["owner"], organisation=world["authority"], title="Geheimer Entwurf", internal_notes="intern!"
    )
    viewer = make_person(role, organisation=world["authority"] if same_authority else None)
    client = _client(viewer)
    response = client.get(reverse("needs:detail", args=[draft.pk]))
    assert (response.status_code == 200) == draft_visible
    assert "Geheimer Entwurf" not in client.get(reverse("needs:board")).content.decode()
    assert "Geheimer Entwurf" not in Client().get(reverse("needs:feed")).content.decode()
    api = client.get("/api/v1/needs").json()
    assert all(item["title"] != "Geheimer Entwurf" for item in api["results"])
    assert Client().get(reverse("needs:detail", args=[draft.pk])).status_code in (302, 403)


def _published(world, **fields):
    need = services.need_create(actor=world["owner"], organisation=world["authority"], **fields)
    need.status = Status.PUBLISHED
    need.published_at = timezone.now()
    need.answer_deadline = timezone.localdate() + datetime.timedelta(days=10)
    need.save()  # through save(), so the search index learns that the need is public
    return Need.objects.get(pk=need.pk)


def test_hidden_authority_name_stays_hidden_from_the_public(world):
    need = _published(world, title="Anonymer Bedarf", hide_organisation=True, internal_notes="Notiz nur intern")
    public = Client().get(reverse("needs:detail", args=[need.pk])).content.decode()
    assert world["authority"].name not in public
    assert "Notiz nur intern" not in public
    assert world["authority"].name not in Client().get(reverse("needs:board")).content.decode()
    assert Client().get(f"/api/v1/needs/{need.pk}").json()["organisation"] is None
    internal = _client(world["owner"]).get(reverse("needs:detail", args=[need.pk])).content.decode()
    assert world["authority"].name in internal and "Notiz nur intern" in internal


def test_two_editors_at_once_the_second_save_is_refused(world):
    need = services.need_create(actor=world["owner"], organisation=world["authority"], title="Alt")
    first, second = _client(world["owner"]), _client(world["coordinator"])
    url = reverse("needs:step", args=[need.pk, "problem"])
    version = need.version
    assert first.post(url, {"title": "Erste Fassung", "version": version}).status_code == 302
    response = second.post(url, {"title": "Zweite Fassung", "version": version})
    assert response.status_code == 422
    assert "in der Zwischenzeit gespeichert" in response.content.decode()
    need.refresh_from_db()
    assert need.title == "Erste Fassung"


@pytest.mark.parametrize(
    ("step", "data", "field", "message"),
    [
        ("problem", {"title": "T" * 201}, "title", "höchstens 200 Zeichen"),
        ("problem", {"title": ""}, "title", "zwingend erforderlich"),
        ("problem", {"title": "T", "affected_groups": ["aliens"]}, "affected_groups", "keine gültige Auswahl"),
        ("frame", {"budget_min": "-5"}, "budget_min", "größer oder gleich 0"),
        ("frame", {"budget_min": "90000", "budget_max": "1000"}, "budget_max", "nicht unter"),
        ("frame", {"budget_min": "zehntausend"}, "budget_min", "Zahl"),
        ("frame", {"desired_start": PAST}, "desired_start", "Vergangenheit"),
        ("frame", {"technologies": ["quantum"]}, "technologies", "keine gültige Auswahl"),
        ("contact", {"contact_email": "kaputt"}, "contact_email", "gültige E-Mail-Adresse"),
        ("constraints", {"protection_class": "geheim"}, "protection_class", "keine gültige Auswahl"),
    ],
)
def test_bad_input_is_refused_in_german_and_nothing_saved(world, step, data, field, message):
    need = services.need_create(actor=world["owner"], organisation=world["authority"], title="Alt")
    response = _client(world["owner"]).post(
        reverse("needs:step", args=[need.pk, step]), {**data, "version": need.version}
    )
    assert response.status_code == 422
    assert message in " ".join(response.context["form"].errors[field])
    need.refresh_from_db()
    assert need.version == 1 and need.title == "Alt"


def test_only_public_bodies_post_needs(world):
    startup_member = make_person(Role.STARTUP_MEMBER)
    assert _client(startup_member).get(reverse("needs:create")).status_code == 403
    other_authority = OrganisationFactory.create()
    with pytest.raises(ApplicationError):
        services.need_create(actor=world["owner"], organisation=other_authority, title="Fremd")


def test_board_search_filters_and_fixed_query_count(world):
    _published(
        world,
        title="Bäume zählen mit Luftbildern",
        problem="Baumkataster",
        technologies=["ai_vision"],
        policy_field="environment",
    )
    _published(
        world,
        title="Termine für Bürgerämter",
        problem="Wartezeiten",
        technologies=["platform"],
        policy_field="administration",
    )
    client = Client()
    body = client.get(reverse("needs:board"), {"q": "luftbildern"}).content.decode()
    assert "Bäume zählen" in body and "Termine" not in body
    body = client.get(reverse("needs:board"), {"technology": "platform"}).content.decode()
    assert "Termine" in body and "Bäume" not in body
    body = client.get(reverse("needs:board"), {"policy_field": "environment"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Bäume zählen" in body and "<html" not in body
    assert "Keine Bedarfe" in client.get(reverse("needs:board"), {"q": "gibt es nicht"}).content.decode()
    for nasty in ['"', "*", "NEAR", "' OR 1=1 --", "x" * 5000]:
        assert client.get(reverse("needs:board"), {"q": nasty}).status_code == 200
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("needs:board"))
    for i in range(20):
        _published(world, title=f"Bedarf {i}")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("needs:board"))
    assert len(many) == len(few)


def test_atom_feed_lists_newly_published_needs(world):
    _published(world, title="Neuer Bedarf im Feed")
    response = Client().get(reverse("needs:feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    assert "Neuer Bedarf im Feed" in response.content.decode()


def test_notifications_are_sent_once_per_change(world, django_capture_on_commit_callbacks):
    need = services.need_create(actor=world["owner"], organisation=world["authority"], title="Benachrichtigung")
    services.need_update(
        actor=world["owner"],
        need=need,
        version=1,
        **{"problem": "P", "desired_outcome": "D", "protection_class": "public"},
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.need_transition(actor=world["owner"], need=need, action="submit")
    assert len(mail.outbox) == 1
    record = Transition.objects.get()
    assert services.transition_notify(transition_id=record.pk) == 0
    assert len(mail.outbox) == 1


def test_api_life_cycle_and_permissions(world):
    owner, coordinator = _client(world["owner"]), _client(world["coordinator"])
    response = owner.post(
        "/api/v1/needs",
        json.dumps(
            {
                "organisation_id": world["authority"].pk,
                "title": "Per API",
                "problem": "P",
                "desired_outcome": "D",
                "protection_class": "public",
                "technologies": ["ai_text"],
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "draft" and data["technologies"] == ["ai_text"]
    pk = data["id"]
    bad = owner.post(
        "/api/v1/needs",
        json.dumps({"organisation_id": world["authority"].pk, "title": "X", "technologies": ["quantum"]}),
        content_type="application/json",
    )
    assert bad.status_code == 422
    patch = owner.patch(
        f"/api/v1/needs/{pk}", json.dumps({"version": 1, "title": "Per API, neu"}), content_type="application/json"
    )
    assert patch.status_code == 200 and patch.json()["version"] == 2
    past = owner.patch(
        f"/api/v1/needs/{pk}", json.dumps({"version": 2, "answer_deadline": PAST}), content_type="application/json"
    )
    assert past.status_code == 400 and past.json()["field"] == "answer_deadline"
    stale = owner.patch(
        f"/api/v1/needs/{pk}", json.dumps({"version": 1, "title": "Veraltet"}), content_type="application/json"
    )
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    illegal = coordinator.post(
        f"/api/v1/needs/{pk}/transitions", json.dumps({"action": "publish"}), content_type="application/json"
    )
    assert illegal.status_code == 400
    assert (
        owner.post(
            f"/api/v1/needs/{pk}/transitions", json.dumps({"action": "submit"}), content_type="application/json"
        ).status_code
        == 200
    )
    ok = coordinator.post(
        f"/api/v1/needs/{pk}/transitions",
        json.dumps({"action": "publish", "answer_deadline": FUTURE}),
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["status"] == "published"
    assert [c["title"] for c in Client().get("/api/v1/needs").json()["results"]] == ["Per API, neu"]
    assert Client().get("/api/v1/needs?scope=workspace").status_code == 403
    startup = _client(make_person(Role.STARTUP_MEMBER))
    assert (
        startup.post(
            "/api/v1/needs",
            json.dumps({"organisation_id": world["authority"].pk, "title": "S"}),
            content_type="application/json",
        ).status_code
        == 403
    )


@pytest.mark.parametrize("status", ["draft", "in_review", "withdrawn", "published"])
def test_the_workspace_filters_by_every_status_and_the_dashboard_card_lands_there(world, status):
    """Issue 17, D5: "Bedarfe in Prüfung öffnen" landed on "in_review ist keine gültige Auswahl"."""
    owner, coordinator = _client(world["owner"]), _client(world["coordinator"])
    wanted = services.need_create(
        actor=world["owner"],
        organisation=world["authority"],
        title="Gesuchter Bedarf",
        problem="P",
        desired_outcome="D",
    )
    other = services.need_create(
        actor=world["owner"], organisation=world["authority"], title="Anderer Bedarf", problem="P", desired_outcome="D"
    )
    Need.objects.filter(pk=wanted.pk).update(status=status)
    Need.objects.filter(pk=other.pk).update(status="closed")
    response = coordinator.get(reverse("needs:workspace"), {"status": status})
    html = response.content.decode()
    assert response.status_code == 200 and not response.context["form"].errors
    assert "Gesuchter Bedarf" in html and "Anderer Bedarf" not in html
    assert owner.get(reverse("needs:workspace"), {"status": status}).status_code == 200
    dashboard = coordinator.get(reverse("dashboard")).content.decode()
    assert reverse("needs:pipeline") + "?status=in_review" in dashboard


def test_a_need_sent_back_tells_the_owner_what_to_change(world, django_capture_on_commit_callbacks):
    """Issue 17, D7: the notification said only "ist jetzt: Entwurf"; the reviewer's comment sat on the page."""
    from lotsenhaus.notifications.models import Notification

    owner = _client(world["owner"])
    need = services.need_create(
        actor=world["owner"], organisation=world["authority"], title="Bauanträge", problem="P", desired_outcome="D"
    )
    _fill_all_steps(owner, need)
    with django_capture_on_commit_callbacks(execute=True):
        _act(owner, need, "submit")
        need.refresh_from_db()
        services.need_transition(
            actor=world["coordinator"], need=need, action="return", comment="Bitte das Budget begründen."
        )
    note = Notification.objects.filter(user=world["owner"], key__startswith="need-transition:").latest("id")
    assert "Bitte das Budget begründen." in note.body
    assert any("Bitte das Budget begründen." in m.body and m.to == [world["owner"].email] for m in mail.outbox)


def test_publishing_without_a_deadline_asks_for_one(world):
    """Issue 17, D27: an empty deadline said "must lie in the future"."""
    need = services.need_create(
        actor=world["owner"], organisation=world["authority"], title="Ohne Frist", problem="P", desired_outcome="D"
    )
    _fill_all_steps(_client(world["owner"]), need)
    need.refresh_from_db()
    services.need_transition(actor=world["owner"], need=need, action="submit")
    need.refresh_from_db()
    with pytest.raises(ApplicationError) as raised:
        services.need_transition(actor=world["coordinator"], need=need, action="publish")
    assert raised.value.code == "required" and raised.value.field == "answer_deadline"


def test_the_site_has_an_icon(client):
    """Issue 17, D24."""
    page = client.get("/").content.decode()
    assert 'rel="icon"' in page and "favicon.svg" in page
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith(".svg")


def test_every_dashboard_card_of_a_need_owner_leads_somewhere(world):
    """Issue 17, D25: a "Folgt in Kürze" placeholder on the start page."""
    page = _client(world["owner"]).get(reverse("dashboard")).content.decode()
    assert "Folgt in Kürze" not in page
    assert reverse("needs:workspace") + "?status=exploration" in page


def test_a_pipeline_step_is_taken_only_by_the_app_that_manages_it(world):
    """needs.stages: each app names itself; a step another app manages is refused, and the bare transition
    refuses every pipeline step (services of exploration, evaluation and pilot check their preconditions first)."""
    from lotsenhaus.needs.stages import need_stage_advance

    need = _published(world, title="Verwaltete Schritte")
    with refused("wrong_state"):
        services.need_transition(actor=world["coordinator"], need=need, action="start_exploration")
    with refused("unknown_action"):
        need_stage_advance(actor=world["coordinator"], need=need, action="start_exploration", manager="pilot")
    need.refresh_from_db()
    assert need.status == Status.PUBLISHED
    moved = need_stage_advance(actor=world["coordinator"], need=need, action="start_exploration", manager="exploration")
    assert moved.status == Status.EXPLORATION
