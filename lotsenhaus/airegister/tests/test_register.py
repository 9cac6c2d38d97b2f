import csv
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from lotsenhaus.airegister import services
from lotsenhaus.airegister.assessment import load_rules
from lotsenhaus.airegister.models import ReaderMessage, UseCase
from lotsenhaus.core.exceptions import ApplicationError
from lotsenhaus.core.models import AuditEntry
from lotsenhaus.core.roles import Role
from lotsenhaus.notifications.models import Notification
from lotsenhaus.organisations.models import MembershipRole, OrganisationKind
from tests.factories import OrganisationFactory, make_person

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def world():
    authority = OrganisationFactory.create(name="Sozialbehörde", slug="soz", kind=OrganisationKind.FACHBEHOERDE)
    return {
        "authority": authority,
        "editor": make_person(Role.NEED_OWNER, organisation=authority),
        "approver": make_person(Role.NEED_OWNER, organisation=authority, membership_role=MembershipRole.ADMIN),
        "coordinator": make_person(Role.COORDINATOR),
        "expert": make_person(Role.EXPERT),
    }


def _answers(**yes):
    """Every question answered: "no" unless given with a justification."""
    data = {f"q_{item['key']}": "no" for item in load_rules()["questions"]}
    for key, justification in yes.items():
        data[f"q_{key}"] = "yes"
        data[f"j_{key}"] = justification
    return data


def test_from_recording_to_the_public_register_with_history(world):
    editor, approver, coordinator = (_client(world[k]) for k in ("editor", "approver", "coordinator"))
    response = editor.post(
        reverse("airegister:create"),
        {
            "organisation": world["authority"].pk,
            "name": "Leichte Sprache für Bescheide",
            "short_description": "Übersetzt Bescheide.",
        },
    )
    UseCase.objects.update(contact_email="ki@sozialbehoerde.example")  # as typed on the edit page
    use_case = UseCase.objects.get()
    assert use_case.public_id.startswith("KI-") and response["Location"] == reverse(
        "airegister:edit", args=[use_case.pk]
    )
    # No publication path without an assessment.
    editor.post(reverse("airegister:transition", args=[use_case.pk]), {"action": "submit"})
    assert UseCase.objects.get().publication == "draft"
    # A "yes" needs a justification.
    # Nothing is pre-answered: a click on "assess" without answers is refused, question by question.
    unanswered = editor.post(reverse("airegister:assess", args=[use_case.pk]), {})
    assert unanswered.status_code == 422 and not use_case.assessments.exists()
    assert unanswered.content.decode().count("Bitte beantworten Sie diese Frage.") == len(load_rules()["questions"])
    bad = editor.post(reverse("airegister:assess", args=[use_case.pk]), {**_answers(), "q_generated_content": "yes"})
    assert bad.status_code == 422 and "Bitte begründen" in bad.content.decode()
    editor.post(reverse("airegister:assess", args=[use_case.pk]), _answers(generated_content="Erzeugt Texte."))
    page = editor.get(reverse("airegister:detail", args=[use_case.pk])).content.decode()
    assert use_case.assessments.get().risk_class == "transparency"  # Art. 50 duties have their own class
    assert "Art. 50 Abs. 2" in page and "keine Rechtsberatung" in page and "2026/1744" in page

    editor.post(reverse("airegister:transition", args=[use_case.pk]), {"action": "submit"})
    assert editor.post(
        reverse("airegister:transition", args=[use_case.pk]), {"action": "approve"}
    ).status_code == 403 or (UseCase.objects.get().publication == "submitted")
    approver.post(reverse("airegister:transition", args=[use_case.pk]), {"action": "approve"})
    assert Client().get(reverse("airegister:public_list")).content.decode().count("Leichte Sprache für Bescheide") == 0
    coordinator.post(reverse("airegister:transition", args=[use_case.pk]), {"action": "publish"})
    use_case.refresh_from_db()
    assert use_case.publication == "published"

    public = Client()
    assert "Leichte Sprache für Bescheide" in public.get(reverse("airegister:public_list")).content.decode()
    detail = public.get(reverse("airegister:public_detail", args=[use_case.public_id])).content.decode()
    assert "Übersetzt Bescheide." in detail and "nicht angegeben" in detail and "Version 1" in detail
    # Dates as the reader writes them, not ISO (issue 17, D33): the legal status 2026-12-03.
    assert "3. Dezember 2026" in detail and "2026-12-03" not in detail.split("<main")[1]

    # A change is not public until it is published again; then both versions stay readable.
    editor.post(
        reverse("airegister:edit", args=[use_case.pk]),
        {
            "name": "Neuer Name",
            "short_description": "Neu.",
            "status": "pilot",
            "ai_type": "generative",
            "contact_email": "ki@sozialbehoerde.example",
            "version": use_case.version,
        },
    )
    assert (
        "Neuer Name" not in public.get(reverse("airegister:public_detail", args=[use_case.public_id])).content.decode()
    )
    assert "Neuer Name" not in public.get(reverse("airegister:public_list"), {"q": "Neuer"}).content.decode()
    for action, client in (("submit", editor), ("approve", approver), ("publish", coordinator)):
        client.post(reverse("airegister:transition", args=[use_case.pk]), {"action": action})
    assert "Neuer Name" in public.get(reverse("airegister:public_detail", args=[use_case.public_id])).content.decode()
    old = public.get(reverse("airegister:public_version", args=[use_case.public_id, 1])).content.decode()
    assert "Leichte Sprache für Bescheide" in old and "ältere Version" in old

    data = public.get(reverse("airegister:export_json")).json()
    assert data["records"][0]["id"] == use_case.public_id and data["records"][0]["name"] == "Neuer Name"
    assert data["records"][0]["url"].endswith(f"/ki-register/{use_case.public_id}/")
    history = public.get(reverse("airegister:export_json"), {"history": "1"}).json()["records"]
    assert [r["version"] for r in history] == [1, 2]
    rows = list(
        csv.DictReader(io.StringIO(public.get(reverse("airegister:export_csv")).content.decode()[1:]), delimiter=";")
    )
    assert rows[0]["id"] == use_case.public_id
    assert AuditEntry.objects.filter(action="usecase.publish").count() == 2


def test_unpublished_use_cases_never_appear_publicly(world):
    use_case = services.use_case_create(
        actor=world["editor"], organisation=world["authority"], name="Geheim", short_description="Intern"
    )
    public = Client()
    assert "Geheim" not in public.get(reverse("airegister:public_list")).content.decode()
    assert public.get(reverse("airegister:public_detail", args=[use_case.public_id])).status_code == 404
    assert public.get(reverse("airegister:export_json")).json()["records"] == []
    other = _client(make_person(Role.NEED_OWNER))
    assert other.get(reverse("airegister:detail", args=[use_case.pk])).status_code == 403


def test_a_prohibited_practice_cannot_be_published_as_in_use(world):
    use_case = services.use_case_create(
        actor=world["editor"], organisation=world["authority"], name="Scoring", short_description="S", status="pilot"
    )
    services.assessment_create(
        actor=world["editor"],
        use_case=use_case,
        answers={"social_scoring": True},
        justifications={"social_scoring": "ja"},
    )
    response = _client(world["editor"]).post(
        reverse("airegister:transition", args=[use_case.pk]), {"action": "submit"}, follow=True
    )
    assert "nicht als im Einsatz veröffentlicht" in response.content.decode()
    assert UseCase.objects.get().publication == "draft"


def test_an_expert_signs_off_an_assessment(world):
    use_case = services.use_case_create(
        actor=world["editor"], organisation=world["authority"], name="Chatbot", short_description="C"
    )
    record = services.assessment_create(
        actor=world["editor"], use_case=use_case, answers={"interaction": True}, justifications={"interaction": "Chat"}
    )
    expert = _client(world["expert"])
    # Not invited: the expert neither reads the draft nor signs it off.
    assert expert.get(reverse("airegister:detail", args=[use_case.pk])).status_code == 403
    assert expert.post(reverse("airegister:sign_off", args=[use_case.pk, record.pk])).status_code == 403
    services.use_case_invite_expert(actor=world["coordinator"], use_case=use_case, expert=world["expert"])
    page = expert.get(reverse("airegister:detail", args=[use_case.pk]))
    # She reads what the result rests on: every answer with its justification (issue 17, D4).
    assert page.status_code == 200 and "Chat" in page.content.decode() and "Art. 50 Abs. 1" in page.content.decode()
    # Her view is recorded beside the result, never an unseen "confirm": a reason is required.
    expert.post(reverse("airegister:sign_off", args=[use_case.pk, record.pk]), {"agrees": "no"})
    record.refresh_from_db()
    assert record.signed_off_by is None
    # Nor a silent "agrees": a reason without a choice records nothing either (the page once defaulted to yes).
    expert.post(reverse("airegister:sign_off", args=[use_case.pk, record.pk]), {"view": "Passt."})
    record.refresh_from_db()
    assert record.signed_off_by is None
    expert.post(
        reverse("airegister:sign_off", args=[use_case.pk, record.pk]),
        {"agrees": "no", "view": "Der Chatbot entscheidet mit; Anhang III Nr. 5 prüfen."},
    )
    record.refresh_from_db()
    assert record.signed_off_by == world["expert"] and record.expert_agrees is False
    html = _client(world["editor"]).get(reverse("airegister:detail", args=[use_case.pk])).content.decode()
    assert "Anhang III Nr. 5 prüfen" in html
    assert Notification.objects.filter(user=world["editor"], key=f"assessment-view:{record.pk}").exists()
    assert (
        _client(world["editor"]).post(reverse("airegister:sign_off", args=[use_case.pk, record.pk])).status_code == 403
    )


def _dataset(document):
    return next(node for node in document["@graph"] if node["@type"] == "dcat:Dataset")


def _published(world, **fields):
    use_case = services.use_case_create(
        actor=world["coordinator"],
        organisation=world["authority"],
        name="Bescheid-Assistent",
        short_description="Hilft.",
        **{"contact_email": "ki@sozialbehoerde.example", **fields},
    )
    services.assessment_create(
        actor=world["coordinator"], use_case=use_case, answers={"employment": True}, justifications={"employment": "HR"}
    )
    for who, action in (("coordinator", "submit"), ("approver", "approve"), ("coordinator", "publish")):
        use_case = services.use_case_transition(actor=world[who], use_case=use_case, action=action)
    return use_case


def test_exports_validate_against_the_documented_schema(world):
    import json
    from pathlib import Path

    import jsonschema

    _published(world, status="production", dpia_done=True)
    schema = json.loads(
        (Path(__file__).resolve().parents[2] / "static" / "lotsenhaus" / "ki-register-schema.json").read_text()
    )
    # The schema describes the whole file, as the DCAT record's dct:conformsTo says (issue 18: it described one
    # record while the file is an object with a list).
    for params in ({}, {"history": "1"}):
        document = Client().get(reverse("airegister:export_json"), params).json()
        assert document["records"]
        jsonschema.validate(document, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document["records"], schema)
    broken = {**document, "records": [{k: v for k, v in document["records"][0].items() if k != "id"}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)
    dcat = Client().get(reverse("airegister:dcat"))
    assert dcat["Content-Type"] == "application/ld+json"
    assert len(_dataset(dcat.json())["dcat:distribution"]) == 6


def test_readers_report_errors_and_the_owner_answers(world, django_capture_on_commit_callbacks):
    from django.core import mail

    use_case = _published(world)
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(
            reverse("airegister:public_detail", args=[use_case.public_id]),
            {"kind": "error", "message": "Die Rechtsgrundlage fehlt.", "email": "leser@example.org"},
        )
    assert response.status_code == 302
    # One mail to each member of the authority, naming the record, never relaying the reader's text.
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world["editor"].email, world["approver"].email])
    assert all(use_case.public_id in m.subject and "Rechtsgrundlage" not in m.body for m in mail.outbox)
    bad = Client().post(reverse("airegister:public_detail", args=[use_case.public_id]), {"kind": "spam", "message": ""})
    assert bad.status_code == 200 and "keine gültige Auswahl" in bad.content.decode()
    item = use_case.reader_messages.get()
    editor = _client(world["editor"])
    assert "Die Rechtsgrundlage fehlt." in editor.get(reverse("airegister:detail", args=[use_case.pk])).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        editor.post(reverse("airegister:reader_answer", args=[use_case.pk, item.pk]), {"answer": "Ergänzt, danke."})
    answer = mail.outbox[-1]
    assert answer.to == ["leser@example.org"]
    # Issue 17, D21: the reader gets their own message back with the answer, the record and its address.
    assert "Die Rechtsgrundlage fehlt." in answer.body and "Ergänzt, danke." in answer.body
    assert use_case.public_id in answer.subject and use_case.name in answer.subject
    assert reverse("airegister:public_detail", args=[use_case.public_id]) in answer.body


def test_a_reader_writing_in_english_is_answered_in_english(world, django_capture_on_commit_callbacks):
    from django.conf import settings
    from django.core import mail

    use_case = _published(world)
    reader = Client()
    reader.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    reader.post(
        reverse("airegister:public_detail", args=[use_case.public_id]),
        {"kind": "question", "message": "Which data?", "email": "reader@example.org"},
    )
    item = use_case.reader_messages.get()
    assert item.language == "en"
    german = ReaderMessage(use_case=use_case, kind="question", message="Welche Daten?", email="leser@example.org")
    german.save()
    with django_capture_on_commit_callbacks(execute=True):
        for message in (item, german):
            _client(world["editor"]).post(
                reverse("airegister:reader_answer", args=[use_case.pk, message.pk]), {"answer": "OK"}
            )
    bodies = {m.to[0]: m.body for m in mail.outbox if m.to[0] in ("reader@example.org", "leser@example.org")}
    assert bodies["reader@example.org"] != bodies["leser@example.org"]  # the same answer in two languages
    assert bodies["reader@example.org"].startswith("Hello")
    assert not bodies["leser@example.org"].startswith("Hello")


def test_duties_are_ticked_with_evidence(world):
    use_case = _published(world)
    editor = _client(world["editor"])
    url = reverse("airegister:duty_check", args=[use_case.pk, "fria"])
    response = editor.post(url, {"fria-done": "on", "fria-evidence": ""}, follow=True)
    assert "Bitte geben Sie an, was getan wurde" in response.content.decode()
    editor.post(url, {"fria-done": "on", "fria-evidence": "Folgenabschätzung vom 1. Oktober, Akte 42"})
    assert use_case.duty_checks.get().done
    unknown = editor.post(
        reverse("airegister:duty_check", args=[use_case.pk, "teleport"]), {"teleport-done": "on"}, follow=True
    )
    assert "gilt für diese KI-Anwendung nicht" in unknown.content.decode()


def test_a_use_case_links_a_need_and_a_solution(world):
    import datetime

    from django.utils import timezone

    from lotsenhaus.needs import services as need_services
    from lotsenhaus.needs.models import Need
    from lotsenhaus.startups.models import Solution, StartupProfile

    need = need_services.need_create(actor=world["editor"], organisation=world["authority"], title="Bedarf")
    Need.objects.filter(pk=need.pk).update(
        status="published",
        published_at=timezone.now(),
        answer_deadline=timezone.localdate() + datetime.timedelta(days=3),
    )
    startup = StartupProfile.objects.create(
        organisation=OrganisationFactory.create(kind="startup"), verification="verified"
    )
    solution = Solution.objects.create(profile=startup, name="Lösung", description="D")
    use_case = _published(world)
    editor = _client(world["editor"])
    response = editor.post(
        reverse("airegister:edit", args=[use_case.pk]),
        {
            "name": use_case.name,
            "short_description": "Hilft.",
            "status": "pilot",
            "ai_type": "text",
            "need": need.pk,
            "solution": solution.pk,
            "version": UseCase.objects.get().version,
        },
    )
    assert response.status_code == 302
    record = services.public_record(UseCase.objects.get())
    assert record["need_url"].endswith(f"/bedarfe/{need.pk}/")


def test_the_register_over_the_api(world):
    import json

    editor = _client(world["editor"])
    created = editor.post(
        "/api/v1/use-cases",
        json.dumps({"organisation_id": world["authority"].pk, "name": "Chatbot", "short_description": "Antwortet."}),
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    use_case_id = created.json()["id"]
    no_reason = editor.post(
        f"/api/v1/use-cases/{use_case_id}/assessments",
        json.dumps({"answers": {"interaction": True}}),
        content_type="application/json",
    )
    assert no_reason.status_code == 400
    assessed = editor.post(
        f"/api/v1/use-cases/{use_case_id}/assessments",
        json.dumps({"answers": {"interaction": True}, "justifications": {"interaction": "Chat"}}),
        content_type="application/json",
    )
    assert assessed.status_code == 201 and assessed.json()["risk_class"] == "transparency"
    assert assessed.json()["result"]["legal_status"] == "2026-12-03"
    unknown = editor.post(
        f"/api/v1/use-cases/{use_case_id}/assessments",
        json.dumps({"answers": {"teleport": True}}),
        content_type="application/json",
    )
    assert unknown.status_code == 400
    assert Client().get("/api/v1/ai-register").json()["results"] == []
    _published(world)
    items = Client().get("/api/v1/ai-register").json()["results"]
    assert [item["name"] for item in items] == ["Bescheid-Assistent"]
    assert "interaction" in [q["key"] for q in Client().get("/api/v1/ai-register/questions").json()["questions"]]
    assert _client(make_person(Role.STARTUP_MEMBER)).get("/api/v1/use-cases").json()["results"] == []


def test_approving_and_publishing_are_two_people_and_the_record_says_who_approved(world):
    """Four eyes (issue 17, D23): the unit may approve on the authority's behalf only with a reason, the record
    then says so instead of "approved by the authority", and whoever approved does not publish."""
    editor, coordinator = world["editor"], world["coordinator"]
    other = make_person(Role.COORDINATOR)
    use_case = services.use_case_create(
        actor=editor,
        organisation=world["authority"],
        name="Bescheid-Assistent",
        short_description="Entwürfe",
        contact_email="ki@sozialbehoerde.example",
    )
    services.assessment_create(
        actor=editor, use_case=use_case, answers={"generated_content": True}, justifications={"generated_content": "T"}
    )
    services.use_case_transition(actor=editor, use_case=use_case, action="submit")
    with pytest.raises(ApplicationError) as no_reason:
        services.use_case_transition(actor=coordinator, use_case=use_case, action="approve")
    assert no_reason.value.code == "required" and no_reason.value.field == "note"
    use_case = services.use_case_transition(
        actor=coordinator, use_case=use_case, action="approve", note="Amtsleitung im Urlaub, Freigabe per E-Mail"
    )
    assert use_case.approved_by == coordinator and not use_case.approved_for_authority
    with pytest.raises(PermissionDenied):
        services.use_case_transition(actor=coordinator, use_case=use_case, action="publish")
    services.use_case_transition(actor=other, use_case=use_case, action="publish")
    record = Client().get("/ki-register/export.json").json()["records"][0]
    assert record["approved_by_authority"] is False and record["approval_note"].startswith("Amtsleitung")
    page = Client().get(reverse("airegister:public_detail", args=[use_case.public_id])).content.decode()
    assert "im Auftrag der Behörde" in page

    # Approved by someone of the authority: the record says so, and any unit member may publish.
    second = services.use_case_create(
        actor=editor,
        organisation=world["authority"],
        name="Übersetzer",
        short_description="Leichte Sprache",
        contact_email="ki@sozialbehoerde.example",
    )
    services.assessment_create(actor=editor, use_case=second, answers={}, justifications={})
    services.use_case_transition(actor=editor, use_case=second, action="submit")
    second = services.use_case_transition(actor=world["approver"], use_case=second, action="approve")
    assert second.approved_for_authority and second.approval_note == ""
    services.use_case_transition(actor=coordinator, use_case=second, action="publish")
    records = {r["id"]: r for r in Client().get("/ki-register/export.json").json()["records"]}
    assert records[second.public_id]["approved_by_authority"] is True


def test_a_record_without_a_contact_address_is_not_submitted_or_published(world):
    """Issue 18: both anchors require a contact e-mail; records could be published without one."""
    use_case = services.use_case_create(
        actor=world["editor"], organisation=world["authority"], name="Ohne Kontakt", short_description="K"
    )
    services.assessment_create(actor=world["editor"], use_case=use_case, answers={}, justifications={})
    with pytest.raises(ApplicationError) as refused:
        services.use_case_transition(actor=world["editor"], use_case=use_case, action="submit")
    assert refused.value.code == "required" and refused.value.field == "contact_email"
    UseCase.objects.filter(pk=use_case.pk).update(contact_email="ki@sozialbehoerde.example")
    use_case.refresh_from_db()
    assert services.use_case_transition(actor=world["editor"], use_case=use_case, action="submit").publication == (
        "submitted"
    )


def test_the_dcat_record_uses_iris_typed_dates_and_attribution(world, settings):
    """Issue 18: formats and media types were text, the e-mail a literal, dct:modified untyped and always today,
    the attribution missing, the contributor hard-coded."""
    settings.LOTSENHAUS_DCAT_CONTRIBUTOR = "http://dcat-ap.de/def/contributors/beispiel"
    use_case = _published(world)
    record = _dataset(Client().get(reverse("airegister:dcat")).json())
    latest = use_case.published_versions.get().published_at
    assert record["dct:modified"]["@type"].endswith("#dateTime")
    assert record["dct:modified"]["@value"] == latest.isoformat()
    assert record["dcatde:contributorID"] == {"@id": "http://dcat-ap.de/def/contributors/beispiel"}
    assert record["dcat:contactPoint"]["http://www.w3.org/2006/vcard/ns#hasEmail"]["@id"].startswith("mailto:")
    for distribution in record["dcat:distribution"]:
        assert distribution["dcat:mediaType"]["@id"].startswith("https://www.iana.org/assignments/media-types/")
        assert distribution["dct:format"]["@id"].startswith("http://publications.europa.eu/resource/authority/")
        assert distribution["dcatde:licenseAttributionByText"] == settings.LOTSENHAUS_OPERATOR["name"]


def test_the_algoritmeregister_download_passes_the_dutch_publication_standard(world):
    """Every published record as a registration of the Dutch algorithm register 1.0, validated against a schema
    built from the standard's own definition (tests/standards/), with its category from the AI Act class."""
    import jsonschema

    from tests.standards.algoritmeregister import registration_schema

    schema = registration_schema()
    _published(world, status="production", dpia_done=True)  # assessed as high-risk (employment)
    response = Client().get(reverse("airegister:export_algoritmeregister"))
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "*"
    rows = response.json()
    assert rows
    for row in rows:
        jsonschema.validate(row, schema)
    row = rows[0]
    assert row["publication_category"] == "Hoog-risico AI-systeem" and row["status"] == "In gebruik"
    assert row["lang"] == "deu" and row["source_id"].startswith("KI-") and "lars" not in row
    assert row["contact_email"] and row["website"].endswith(f"/ki-register/{row['source_id']}/")
    # The validation bites: a status outside the standard's values, a missing contact, a name over 100 signs.
    for broken in ({**row, "status": "Pilot"}, {k: v for k, v in row.items() if k != "contact_email"}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(broken, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**row, "name": "x" * 101}, schema)


@pytest.mark.parametrize(
    ("risk_class", "impactful", "category"),
    [
        ("high_risk", False, "Hoog-risico AI-systeem"),
        ("transparency", True, "Impactvolle algoritmes"),
        ("minimal", False, "Overige algoritmes"),
        (None, True, "Impactvolle algoritmes"),
    ],
)
def test_the_dutch_publication_category_follows_the_ai_act_class_and_the_impact(risk_class, impactful, category):
    from lotsenhaus.airegister.standards import algoritmeregister

    record = {
        "id": "KI-2026-0001",
        "url": "https://example.org/ki-register/KI-2026-0001/",
        "organisation": {"id": "bsw", "name": "Behörde für Schule"},
        "name": "Ein sehr langer Name " * 8,
        "short_description": "Kurz.",
        "status": "idea",
        "risk_class": risk_class,
        "impactful": impactful,
        "contact_email": "ki@example.org",
    }
    row = algoritmeregister(record, fallback_contact="vce@example.org")
    assert row["publication_category"] == category and row["status"] == "In ontwikkeling"
    assert row["contact_email"] == "ki@example.org"
    # A record published before a contact was required names the unit instead of breaking the file.
    assert algoritmeregister({**record, "contact_email": ""}, fallback_contact="vce@example.org")["contact_email"] == (
        "vce@example.org"
    )
    assert len(row["name"]) == 100 and row["name"].endswith("…")


# Everything the UK ATRS asks beyond the Dutch register, as an editor would write it.
ATRS_ANSWERS = {
    "purpose": "Schnellere Bescheide.",
    "process": "Vorschlag vor der Prüfung durch die Sachbearbeitung.",
    "human_oversight": "Jeder Vorschlag wird geprüft.",
    "data_sources": "Anträge der letzten drei Jahre.",
    "personal_data": "Name, Anschrift, Einkommen.",
    "risks": "Falsche Vorschläge; jede Entscheidung trifft ein Mensch.",
    "team": "Referat Digitale Verwaltung",
    "responsible_owner": "Dr. A. Muster, Amtsleitung",
    "scope": "Nur Wohngeldanträge, keine Ablehnungen ohne Prüfung.",
    "provided_information": "Ein Entwurf des Bescheids.",
    "usage_scale": "Etwa 400 Anträge im Monat.",
    "required_training": "Halbtägige Schulung durch das Team.",
    "system_architecture": "Läuft im Rechenzentrum, angebunden an das Fachverfahren.",
    "maintenance": "Vierteljährliche Prüfung durch das Team.",
    "model_name": "Offenes Sprachmodell",
    "model_version": "2.1",
    "model_task": "Entwürfe schreiben.",
    "model_input": "Antragstext.",
    "model_output": "Bescheidentwurf.",
    "model_architecture": "Transformer.",
    "model_performance": "92 % der Entwürfe ohne inhaltliche Änderung.",
    "model_datasets": "Vom Anbieter vortrainiert; 500 Bescheide zum Test.",
    "data_modality": "text",
    "data_quantities": "500 Bescheide.",
    "data_completeness": "Alle Bezirke vertreten.",
    "data_access_url": "Nicht öffentlich: personenbezogene Daten.",
    "data_collection": "Aus dem Fachverfahren, für die Bescheidung erhoben.",
    "data_sharing": "Auftragsverarbeitungsvertrag mit dem Anbieter.",
    "data_storage": "Nur das Team, zwei Jahre, verschlüsselt.",
}


def test_the_atrs_record_set_holds_complete_records_valid_against_the_uk_template(world):
    """Issue 18: an ATRS record set, validated against a schema built from the UK template v3.0; a record that
    lacks a required attribute is left out (the workspace names what is missing)."""
    import jsonschema

    from tests.standards.atrs import record_schema

    schema = record_schema()
    complete = _published(world, status="production", dpia_done=True, provider="Aktenblick GmbH", **ATRS_ANSWERS)
    _published(world, status="pilot", **{**ATRS_ANSWERS, "team": ""})  # one attribute short
    response = Client().get(reverse("airegister:export_atrs"))
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "*"
    document = response.json()
    assert document["standard_version"] == "3.0" and len(document["records"]) == 1
    record = document["records"][0]
    jsonschema.validate(record, schema)
    assert record["metadata"]["id"] == int(complete.public_id.replace("KI-", "").replace("-", ""))
    assert record["title_information"]["phase"] == "Production"
    assert record["owner_and_responsibility"]["external_supplier_involvement"] == "Yes"
    assert record["owner_and_responsibility"]["senior_responsible_owner"] == ATRS_ANSWERS["responsible_owner"]
    assert record["model_specification"][0]["model_version"] == "2.1"
    assert record["data_specification"]["data_modality"] == "Text"
    assert "DPIA" in record["risks_mitigations_and_impact_assessments"]["impact_assessment"]
    assert record["tier_1_information"]["website_url"].endswith(f"/ki-register/{complete.public_id}/")
    # The validation bites: an empty required attribute, a missing section, an attribute the template lacks.
    broken_records = [
        {**record, "owner_and_responsibility": {**record["owner_and_responsibility"], "team": ""}},
        {key: value for key, value in record.items() if key != "data_specification"},
        {**record, "tier_1_information": {**record["tier_1_information"], "rationale": "x"}},
        {**record, "model_specification": []},
    ]
    for broken in broken_records:
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(broken, schema)


def test_the_workspace_names_what_the_atrs_still_needs_until_the_edit_form_fills_it(world):
    use_case = services.use_case_create(
        actor=world["editor"], organisation=world["authority"], name="Bescheid-Assistent", short_description="Hilft."
    )
    editor = _client(world["editor"])
    page = editor.get(reverse("airegister:detail", args=[use_case.pk]))
    assert len(page.context["atrs_missing"]) == 31  # every required attribute, the contact first
    form = editor.get(reverse("airegister:edit", args=[use_case.pk]))
    assert len(form.context["form"].sections()) == 6
    response = editor.post(
        reverse("airegister:edit", args=[use_case.pk]),
        {
            "name": use_case.name,
            "short_description": "Hilft.",
            "status": "pilot",
            "ai_type": "text",
            "contact_email": "ki@sozialbehoerde.example",
            "impact_assessment": "Prüfung auf Gleichbehandlung 2026: keine Auffälligkeiten.",
            "version": use_case.version,
            **ATRS_ANSWERS,
        },
    )
    assert response.status_code == 302
    assert editor.get(reverse("airegister:detail", args=[use_case.pk])).context["atrs_missing"] == []
    use_case.refresh_from_db()
    assert use_case.model_version == "2.1" and use_case.data_modality == "text"
