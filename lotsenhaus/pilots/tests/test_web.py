"""The coordinator takes a need from publication to the adoption decision entirely through the web pages.

One test per stage (issue 19, item 6): each starts from a world brought to its stage through the services
(``tests/pipeline.py``), so a failure names the stage and does not hide the stages after it."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from lotsenhaus.evaluations.models import Criterion, Evaluation
from lotsenhaus.exploration.models import Candidate, Question
from lotsenhaus.needs.models import Need, Status
from lotsenhaus.pilots.models import Pilot
from tests.pipeline import build_world, evaluate, explore

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]
TODAY = timezone.localdate()


def _ok(response, status=302):
    assert response.status_code == status, response.content.decode()[:3000]
    return response


def test_the_market_exploration_through_the_pages():
    world = build_world()
    coordinator = world.client(world.coordinator)
    need = world.need
    workspace = reverse("exploration:workspace", args=[need.pk])

    assert "Markterkundung beginnen" in coordinator.get(workspace).content.decode()
    _ok(coordinator.post(reverse("exploration:start", args=[need.pk])))
    page = coordinator.get(workspace).content.decode()
    assert "Aktenblick GmbH" in page and "Formfix UG" in page  # both answers are on the long list

    _ok(coordinator.post(workspace, {"form": "add", "add-startup": "Datenlotse", "add-note": "Vom Pitch-Day"}))
    response = coordinator.post(workspace, {"form": "add", "add-startup": "Gibt es nicht"})
    assert response.status_code == 422 and "Kein Startup mit diesem Namen" in response.content.decode()

    first, second, third = Candidate.objects.order_by("pk")
    entry = reverse("exploration:candidate", args=[first.pk])
    _ok(
        coordinator.post(
            entry,
            {
                "form": "contact",
                "contact-happened_on": TODAY.isoformat(),
                "contact-channel": "video",
                "contact-participants": "KO, Fachbereich",
                "contact-summary": "Demo der Lösung",
            },
        )
    )
    first.refresh_from_db()
    assert first.status == "contacted"
    response = coordinator.post(
        reverse("exploration:candidate", args=[third.pk]),
        {
            "form": "candidate",
            "candidate-version": third.version,
            "candidate-status": "excluded",
            "candidate-exclusion_reason": "",
        },
    )
    assert response.status_code == 422 and "Grund" in response.content.decode()
    _ok(
        coordinator.post(
            reverse("exploration:candidate", args=[third.pk]),
            {
                "form": "candidate",
                "candidate-version": third.version,
                "candidate-status": "excluded",
                "candidate-exclusion_reason": "Kein Betrieb in der EU",
            },
        )
    )
    for candidate in (first, second):
        candidate.refresh_from_db()
        _ok(
            coordinator.post(
                reverse("exploration:candidate", args=[candidate.pk]),
                {
                    "form": "candidate",
                    "candidate-version": candidate.version,
                    "candidate-status": "shortlist",
                    "candidate-note": "",
                },
            )
        )

    # A startup on the long list asks; the answer goes to one, the page warns, sharing gives it to all.
    asker = world.client(world.members[1])
    _ok(asker.post(reverse("exploration:ask", args=[need.pk]), {"form": "ask", "ask-text": "Gibt es Testdaten?"}))
    question = Question.objects.get()
    _ok(coordinator.post(reverse("exploration:question_answer", args=[question.pk]), {"answer": "Ja, anonymisiert."}))
    assert "noch nicht mit den anderen" in coordinator.get(workspace).content.decode()
    other = world.client(world.members[0])
    assert "Ja, anonymisiert." not in other.get(reverse("exploration:ask", args=[need.pk])).content.decode()
    _ok(coordinator.post(reverse("exploration:question_share", args=[question.pk])))
    assert "Ja, anonymisiert." in other.get(reverse("exploration:ask", args=[need.pk])).content.decode()

    # The report, read back from both files.
    _ok(coordinator.post(reverse("exploration:report", args=[need.pk])))
    page = coordinator.get(workspace).content.decode()
    assert "Version 1" in page
    from lotsenhaus.core.models import StoredDocument

    document = StoredDocument.objects.get()
    pdf = coordinator.get(reverse("exploration:report_download", args=[document.pk, "pdf"])).getvalue()
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Kein Betrieb in der EU" in text and "Markterkundungsbericht" in text
    docx = coordinator.get(reverse("exploration:report_download", args=[document.pk, "docx"])).getvalue()
    assert "Kein Betrieb in der EU" in "\n".join(
        cell.text for table in Document(io.BytesIO(docx)).tables for row in table.rows for cell in row.cells
    )


def test_the_evaluation_through_the_pages():
    world = build_world()
    _exploration, candidates = explore(world)
    first, second = candidates[:2]  # the two answering startups, on the short list
    coordinator = world.client(world.coordinator)
    need = world.need
    _ok(coordinator.post(reverse("evaluations:start", args=[need.pk])))
    overview = reverse("evaluations:overview", args=[need.pk])
    levels = "\n".join(f"Stufe {i}" for i in range(6))
    _ok(
        coordinator.post(
            overview, {"form": "criterion", "criterion-kind": "exclusion", "criterion-name": "Hosting in der EU"}
        )
    )
    _ok(
        coordinator.post(
            overview,
            {
                "form": "criterion",
                "criterion-kind": "weighted",
                "criterion-name": "Qualität",
                "criterion-weight": "70",
                "criterion-levels": levels,
            },
        )
    )
    response = coordinator.post(
        overview,
        {
            "form": "criterion",
            "criterion-kind": "weighted",
            "criterion-name": "Preis-Leistung",
            "criterion-weight": "30",
            "criterion-levels": "nur eine Zeile",
        },
    )
    assert response.status_code == 422 and "6 Stufen" in response.content.decode()
    _ok(
        coordinator.post(
            overview,
            {
                "form": "criterion",
                "criterion-kind": "weighted",
                "criterion-name": "Umsetzbarkeit",
                "criterion-weight": "30",
                "criterion-levels": levels,
            },
        )
    )
    for person in (world.owner, world.expert):
        _ok(coordinator.post(overview, {"form": "invite", "invite-user": person.pk}))
    _ok(coordinator.post(reverse("evaluations:open", args=[need.pk])))
    evaluation = Evaluation.objects.get()
    criteria = list(Criterion.objects.filter(evaluation=evaluation))
    for person, points in ((world.owner, 4), (world.expert, 3)):
        client = world.client(person)
        sheet = reverse("evaluations:sheet", args=[need.pk])
        assert client.get(reverse("evaluations:matrix", args=[need.pk])).status_code == 403
        for candidate in (first, second):
            _ok(client.post(sheet, {"form": f"declare-{candidate.pk}", f"k{candidate.pk}d-conflicted": "no"}))
            data = {"form": f"score-{candidate.pk}"}
            for criterion in criteria:
                data[f"k{candidate.pk}s-c{criterion.pk}"] = (
                    "pass" if criterion.kind == "exclusion" else str(points if candidate == first else points - 2)
                )
            _ok(client.post(sheet, data))
        _ok(client.post(sheet, {"form": "submit"}))
        assert client.get(reverse("evaluations:matrix", args=[need.pk])).status_code == 200
    for candidate, price in ((first, "40000"), (second, "20000")):
        _ok(coordinator.post(overview, {"form": "price", "price-candidate": candidate.pk, "price-amount": price}))
    _ok(coordinator.post(reverse("evaluations:close", args=[need.pk])))
    matrix = reverse("evaluations:matrix", args=[need.pk])
    workbook = load_workbook(io.BytesIO(coordinator.get(matrix + "?export=xlsx").content))
    cells = [str(c.value) for row in workbook.active.iter_rows() for c in row if c.value is not None]
    assert "Aktenblick GmbH" in cells and "Formfix UG" in cells
    pdf = coordinator.get(matrix + "?export=pdf").content
    assert "Aktenblick GmbH" in "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


def test_the_pilot_from_design_to_decision_through_the_pages():
    world = build_world()
    _exploration, candidates = explore(world)
    evaluate(world, candidates)
    first = candidates[0]
    coordinator = world.client(world.coordinator)
    need = world.need
    _ok(coordinator.post(reverse("pilots:for_need", args=[need.pk]), {"candidate": first.pk}))
    pilot = Pilot.objects.get()
    detail = reverse("pilots:detail", args=[pilot.pk])
    _ok(
        coordinator.post(
            detail,
            {
                "form": "canvas",
                "canvas-version": pilot.version,
                "canvas-goal": "Schneller prüfen",
                "canvas-start_date": TODAY.isoformat(),
                "canvas-end_date": (TODAY + datetime.timedelta(days=100)).isoformat(),
                "canvas-budget": "40000",
                "canvas-purchase_order": "BA-1",
                "canvas-exit_criteria": "Quote unter 70 %",
            },
        )
    )
    pilot.refresh_from_db()
    _ok(
        coordinator.post(
            detail,
            {
                "form": "procurement",
                "procurement-version": pilot.version,
                "procurement-estimated_value": "40000",
                "procurement-jurisdiction": "hh",
                "procurement-work_nature": "services",
                "procurement-subject_matter": "new_technology",
                "procurement-procedure_start": "2026-12-10",
                "procurement-venture_client": "on",
                "procurement-it_kind": "saas",
                "procurement-procedure_reason": "Experimentierklausel",
            },
        )
    )
    pilot.refresh_from_db()
    assert pilot.advice["procedure"] == "experimentation_clause"
    assert "EVB-IT Cloud" in coordinator.get(detail).content.decode()
    _ok(
        coordinator.post(
            detail,
            {
                "form": "checklist",
                "checklist-version": pilot.version,
                "checklist-avv_done": "on",
                "checklist-dpia": "no",
                "checklist-hosting_checked": "on",
                "checklist-certifications_checked": "on",
                "checklist-accessibility_checked": "on",
            },
        )
    )
    _ok(
        coordinator.post(
            detail,
            {
                "form": "kpi",
                "kpi-name": "Bearbeitungszeit",
                "kpi-unit": "Tage",
                "kpi-baseline": "30",
                "kpi-target": "15",
            },
        )
    )
    _ok(coordinator.post(reverse("pilots:start", args=[pilot.pk])))
    need.refresh_from_db()
    assert need.status == Status.PILOT
    csv_file = SimpleUploadedFile(
        "werte.csv", f"KPI;Datum;Wert\nBearbeitungszeit;{TODAY.isoformat()};12\n".encode(), content_type="text/csv"
    )
    _ok(world.client(world.owner).post(detail, {"form": "import", "import-file": csv_file}))
    _ok(world.client(world.members[0]).post(detail, {"form": "report", "report-text": "Läuft gut."}))
    _ok(
        coordinator.post(
            detail, {"form": "decision", "decision-decision": "adopt", "decision-reasons": "Ziel erreicht."}
        )
    )
    need.refresh_from_db()
    assert (need.status, need.outcome) == (Status.CLOSED, "adopted")
    page = coordinator.get(detail).content.decode()
    assert "Lessons Learned" in page and "Was die Kennzahlen zeigten" in page  # pre-filled from the decision
    portfolio = coordinator.get(reverse("pilots:portfolio")).content.decode()
    assert "Bezirksamt Altona" in portfolio
    assert Need.objects.get(pk=need.pk).transitions.count() == 6
