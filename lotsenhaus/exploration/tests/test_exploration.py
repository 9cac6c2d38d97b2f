import io

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from lotsenhaus.core.models import StoredDocument, StoredDocumentImmutableError
from lotsenhaus.exploration import services
from lotsenhaus.exploration.report import build
from lotsenhaus.organisations.models import OrganisationKind
from lotsenhaus.organisations.selectors import people_of
from lotsenhaus.startups.models import StartupProfile
from tests.factories import OrganisationFactory
from tests.pipeline import build_world, explore, startup
from tests.refusals import refused

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

SECTIONS = [
    "1. Gegenstand der Markterkundung",
    "2. Zeitraum und Zuständigkeit",
    "3. Suchmethode",
    "4. Long List",
    "5. Ausgeschiedene Unternehmen und Gründe",
    "6. Geführte Kontakte",
    "7. Fragen, Antworten und Gleichbehandlung",
    "8. Shortlist",
    "9. Empfehlung",
    "10. Rechtlicher Hinweis",
]


def _docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_the_report_contains_every_section_and_every_exclusion_reason_in_docx_and_pdf():
    world = build_world()
    exploration, (first, second, _manual) = explore(world)
    services.candidate_update(
        actor=world.coordinator,
        candidate=second,
        version=second.version,
        status="excluded",
        exclusion_reason="Preis weit über Budget",
    )
    services.contact_add(
        actor=world.coordinator,
        candidate=first,
        happened_on=first.created_at.date(),
        channel="video",
        participants="KO, FB",
        summary="Demo der Lösung",
    )
    services.exploration_update(
        actor=world.coordinator,
        exploration=exploration,
        version=exploration.version,
        recommendation="Pilot mit Aktenblick",
        recommendation_reasons="Beste Passung",
    )
    document = services.report_generate(actor=world.coordinator, exploration=exploration)
    docx = _docx_text(document.docx.read())
    pdf = "".join(page.extract_text() for page in PdfReader(io.BytesIO(document.pdf.read())).pages)
    pdf = " ".join(pdf.split())
    for text in (docx, pdf):
        for heading in SECTIONS:
            assert heading in text, heading
        for reason in (
            "Kein Hosting in der EU",
            "Preis weit über Budget",
            "Demo der Lösung",
            "Pilot mit Aktenblick",
            "Plattformsuche",
        ):
            assert reason in text, reason
    assert "Version 1" in pdf and str(world.coordinator) in pdf  # footer: date, author, version


def test_every_generation_is_a_new_version_and_stored_versions_never_change():
    world = build_world()
    exploration, _candidates = explore(world)
    first = services.report_generate(actor=world.coordinator, exploration=exploration)
    sha = first.pdf_sha256
    second = services.report_generate(actor=world.coordinator, exploration=exploration)
    assert (first.version, second.version) == (1, 2)
    first.refresh_from_db()
    assert first.pdf_sha256 == sha
    with pytest.raises(StoredDocumentImmutableError):
        first.title = "geändert"
        first.save()
    with pytest.raises(StoredDocumentImmutableError):
        first.delete()
    assert StoredDocument.objects.count() == 2
    assert "Version 2" in build(exploration=exploration, author=world.coordinator, version=2).footer


def test_equal_treatment_a_shared_answer_reaches_every_candidate_once(django_capture_on_commit_callbacks):
    world = build_world()
    _exploration, (first, _second, _manual) = explore(world)
    outsider = startup("Fremd GmbH")[1]
    with refused("not_allowed"):
        services.question_ask(actor=outsider, candidate=first, text="Und wir?")
    question = services.question_ask(actor=world.members[0], candidate=first, text="Gibt es Testdaten?")
    with refused("precondition"):
        services.question_share(actor=world.coordinator, question=question)
    services.question_answer(actor=world.coordinator, question=question, answer="Ja, anonymisiert.")
    page = world.client(world.coordinator).get(reverse("exploration:workspace", args=[world.need.pk])).content.decode()
    assert "Ungleiche Information" in page
    # A startup without members is told at its contact address, in a message of its own.
    scouted = StartupProfile.objects.create(
        organisation=OrganisationFactory.create(name="Ohne Konto GmbH", kind=OrganisationKind.STARTUP),
        contact_email="info@ohnekonto.example",
    )
    services.candidate_add(actor=world.coordinator, exploration=_exploration, startup=scouted, note="Recherche")
    with django_capture_on_commit_callbacks(execute=True):
        services.question_share(actor=world.coordinator, question=question)
    # Confidential long list: one recipient per message, nobody sees another startup's address; the excluded
    # candidate is not written to any more.
    assert mail.outbox and all(len(m.to) == 1 and not m.cc and not m.bcc for m in mail.outbox)
    told = {m.to[0] for m in mail.outbox}
    assert "info@ohnekonto.example" in told
    assert {world.members[0].email, world.members[1].email} <= told
    assert not told & {p.email for p in people_of(organisation_ids=[_manual.startup.organisation_id])}
    assert _manual.startup.contact_email not in told
    assert services.shared_question_notify(question_id=question.pk) == 0  # a second run sends nothing
    page = world.client(world.coordinator).get(reverse("exploration:workspace", args=[world.need.pk])).content.decode()
    assert "Ungleiche Information" not in page


def test_the_workspace_needs_the_same_number_of_queries_for_a_long_long_list():
    world = build_world()
    exploration, _candidates = explore(world)
    client = world.client(world.coordinator)
    url = reverse("exploration:workspace", args=[world.need.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for index in range(8):
        profile, _member, _solution = startup(f"Weitere {index} GmbH")
        services.candidate_add(actor=world.coordinator, exploration=exploration, startup=profile)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert "Weitere 7 GmbH" in response.content.decode()
    assert len(many) == len(few)


def test_exclusion_needs_a_reason_and_the_same_startup_is_listed_once():
    world = build_world()
    exploration, (first, _second, _manual) = explore(world)
    with refused("required", field="exclusion_reason"):
        services.candidate_update(
            actor=world.coordinator, candidate=first, version=first.version, status="excluded", exclusion_reason="  "
        )
    with refused("duplicate", field="startup"):
        services.candidate_add(actor=world.coordinator, exploration=exploration, startup=world.startups[0])


def test_the_report_writes_an_open_budget_in_words_not_as_dashes():
    """Seen when the report was opened in LibreOffice: a need without a budget read "– – –"."""
    from decimal import Decimal

    from django.utils import translation

    from lotsenhaus.exploration.report import _budget

    with translation.override("de"):
        assert _budget(Decimal(30000), Decimal(50000)) == "30.000 € – 50.000 €"
        assert _budget(None, Decimal(50000)).endswith(" 50.000 €") and "–" not in _budget(None, Decimal(50000))
        assert "–" not in _budget(Decimal(30000), None) and "30.000 €" in _budget(Decimal(30000), None)
        assert "–" not in _budget(None, None) and _budget(None, None)


def test_a_startup_on_the_long_list_finds_the_questions_from_the_need_page():
    from lotsenhaus.exploration import services as ex

    world = build_world()
    exploration = ex.exploration_start(actor=world.coordinator, need=world.need, method="Plattformsuche")
    ask = reverse("exploration:ask", args=[world.need.pk])
    page = reverse("needs:detail", args=[world.need.pk])
    outsider = world.client(world.members[2])
    assert ask not in outsider.get(page).content.decode()
    ex.candidate_add(actor=world.coordinator, exploration=exploration, startup=world.startups[2], note="Empfehlung")
    assert ask in outsider.get(page).content.decode()
    assert ask not in world.client(world.other_owner).get(page).content.decode()
