"""One journey per role in a real browser (Chromium through Playwright), as the whole story was walked for
issue 17: each step is done the way the person would do it, and each defect found then has its check here
(named D1 … D43 as in the issue). Runs in `.ci/run` with the other browser suites (`make test-browser`).
"""

import datetime
import re
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from lotsenhaus.evaluations import services as evaluations
from lotsenhaus.exploration import services as exploration
from lotsenhaus.exploration.models import Candidate
from lotsenhaus.needs.models import Need
from lotsenhaus.notifications.models import Notification
from lotsenhaus.startups.models import Verification
from tests.pipeline import build_world, coming_event, evaluate, explore, startup

from .conftest import browser_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _open(page: Any, url: str) -> Any:
    """Go to a page and insist it opens: no dead end, no 403, no server error on the way."""
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{url} answered {response and response.status}"
    return response


def _submit(page: Any, form: str) -> None:
    page.locator(form).locator("button[type=submit]").first.click()
    page.wait_for_load_state()


def _nav_opens(page: Any, live_server: Any) -> None:
    """D10: every step of the cooperation shown to the person opens for them."""
    links = page.locator("nav.pipeline-nav a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert links
    for link in links:
        assert page.request.get(live_server.url + link).status == 200, link


def test_need_owner_writes_a_need_hears_back_and_follows_it(browser, live_server):
    world = build_world()
    page = browser_context(browser, live_server, world.owner).new_page()
    base = live_server.url
    # The dashboard leads to a new need; the guided steps keep what is typed.
    _open(page, f"{base}/start/")
    page.get_by_role("link", name=re.compile("Neuen Bedarf")).first.click()
    page.fill("input[name=title]", "Sperrmüllabholung online buchen")
    _submit(page, "main form")
    assert "/schritt/" in page.url
    page.fill("textarea[name=problem]", "Termine für die Sperrmüllabholung werden nur telefonisch vergeben.")
    # D6: a multi-choice group is drawn as checkboxes, not as round radio buttons.
    assert page.locator("input[name=affected_groups]").first.get_attribute("type") == "checkbox"
    page.locator("input[name=affected_groups][value=citizens]").check()
    _submit(page, "main form")
    page.fill("textarea[name=desired_outcome]", "Bürgerinnen und Bürger buchen selbst einen Termin.")
    _submit(page, "main form")
    page.locator("input[name=protection_class][value=internal]").check()
    _submit(page, "main form")
    _submit(page, "main form")
    page.fill("input[name=contact_name]", "Bea Bedarf")
    page.fill("input[name=contact_email]", "bea@altona.example")
    page.locator("button[name=save_exit]").click()
    page.wait_for_load_state()
    need = Need.objects.get(title="Sperrmüllabholung online buchen")
    _submit(page, "form:has(input[name=action][value=submit])")
    need.refresh_from_db()
    assert need.status == "in_review"
    # The unit sends it back with a comment; D7: the owner's notification carries the comment.
    from lotsenhaus.needs import services as needs

    needs.need_transition(actor=world.coordinator, need=need, action="return", comment="Bitte die Fallzahlen ergänzen.")
    _open(page, f"{base}/benachrichtigungen/")
    assert "Bitte die Fallzahlen ergänzen." in page.content()
    # D5: the workspace filters drafts (and every other state) without a form error.
    _open(page, f"{base}/bedarfe/arbeitsbereich/?status=draft")
    assert page.locator(".kern-form-input--error, .errorlist").count() == 0
    assert "Sperrmüllabholung online buchen" in page.content()
    # The owner sits on juries: "My evaluations" is in the menu.
    assert page.locator("nav a[href='/bewertung/']").count() == 1
    # D10: the published need's steps open for its authority.
    _open(page, f"{base}/bedarfe/{world.need.pk}/")
    _nav_opens(page, live_server)


def test_coordinator_runs_the_pipeline_from_the_overview(browser, live_server):
    world = build_world()
    from lotsenhaus.needs import services as needs

    waiting = needs.need_create(
        actor=world.owner,
        organisation=world.authority,
        title="Wartezeiten im Bürgeramt vorhersagen",
        problem="Lange Schlangen.",
        desired_outcome="Kürzere Wartezeiten.",
        protection_class="internal",
        contact_name="Bea",
        contact_email="bea@altona.example",
    )
    needs.need_transition(actor=world.owner, need=waiting, action="submit")
    page = browser_context(browser, live_server, world.coordinator).new_page()
    base = live_server.url
    # D5 and the dashboard counts: the card says how many wait and lands on the filtered overview.
    _open(page, f"{base}/start/")
    card = page.locator(".kern-card", has=page.locator("a[href='/bedarfe/pipeline/?status=in_review']"))
    assert card.locator(".kern-badge").inner_text().strip().startswith("1 ")
    card.locator("a").click()
    page.wait_for_load_state()
    assert page.locator("tbody tr").count() == 1
    # Bulk publish with a deadline.
    page.locator(f"input[name=ids][value='{waiting.pk}']").check()
    page.select_option("select[name=action]", "publish")
    deadline = timezone.localdate() + datetime.timedelta(days=21)
    page.fill("input[name=answer_deadline]", deadline.isoformat())
    _submit(page, "#pipeline-bulk")
    waiting.refresh_from_db()
    assert waiting.status == "published" and waiting.answer_deadline == deadline
    # The board view shows every stage.
    _open(page, f"{base}/bedarfe/pipeline/?view=board")
    assert page.locator(".pipeline-board__column").count() == 6
    # Market exploration: suggestions are previewed, only the ticked one joins the long list (D28/D29).
    run = exploration.exploration_start(actor=world.coordinator, need=world.need)
    listed = set(Candidate.objects.filter(exploration=run).values_list("startup_id", flat=True))
    _open(page, f"{base}/markterkundung/{world.need.pk}/?limit=10")
    boxes = page.locator("input[name=suggestions-chosen]")
    assert boxes.count() >= 1
    boxes.first.check()
    _submit(page, "#suggestions form")
    assert len(set(Candidate.objects.filter(exploration=run).values_list("startup_id", flat=True))) == len(listed) + 1
    # Bulk: two on the short list, then one message that reaches each startup on its own (D1).
    first, second = Candidate.objects.filter(exploration=run).order_by("pk")[:2]
    for entry in (first, second):
        page.locator(f"input[name=bulk-ids][value='{entry.pk}']").check()
    page.select_option("select[name=bulk-action]", "shortlist")
    _submit(page, "#long-list-bulk")
    assert set(Candidate.objects.filter(pk__in=[first.pk, second.pk]).values_list("status", flat=True)) == {"shortlist"}
    mail.outbox.clear()
    for entry in (first, second):
        page.locator(f"input[name=bulk-ids][value='{entry.pk}']").check()
    page.select_option("select[name=bulk-action]", "message")
    page.fill("input[name=bulk-subject]", "Termin für das Gespräch")
    page.fill("textarea[name=bulk-text]", "Bitte nennen Sie uns zwei Termine.")
    _submit(page, "#long-list-bulk")
    assert mail.outbox and all(len(m.to) == 1 and not m.cc and not m.bcc for m in mail.outbox)
    # D40: a criterion is edited in place.
    evaluation = evaluations.evaluation_start(actor=world.coordinator, need=Need.objects.get(pk=world.need.pk))
    from decimal import Decimal

    criterion = evaluations.criterion_add(
        actor=world.coordinator,
        evaluation=evaluation,
        kind="weighted",
        name="Qualität",
        weight=Decimal(100),
        levels=[str(n) for n in range(evaluation.scale_max + 1)],
    )
    _open(page, f"{base}/bewertung/kriterium/{criterion.pk}/bearbeiten/")
    page.fill("input[name=name]", "Fachliche Qualität")
    _submit(page, "main form")
    criterion.refresh_from_db()
    assert criterion.name == "Fachliche Qualität"
    # D31: the audit log reads in words.
    _open(page, f"{base}/verwaltung/audit/")
    assert "in_review → published" not in page.content()


def test_startup_waits_for_verification_then_answers_and_gets_a_receipt(browser, live_server):
    world = build_world()
    profile, member, _solution = startup("Neuling GmbH")
    profile.verification = Verification.UNVERIFIED
    profile.save()
    base = live_server.url
    # The sign-up page shows the privacy notice before anyone gives their data.
    anonymous = browser_context(browser, live_server, None).new_page()
    _open(anonymous, f"{base}/accounts/signup/")
    assert anonymous.locator("main a[href='/datenschutz/']").count() >= 1
    # D26: an unverified startup sees why it cannot answer yet.
    page = browser_context(browser, live_server, member).new_page()
    _open(page, f"{base}/bedarfe/{world.need.pk}/")
    answer_link = f"main a[href='/bedarfe/{world.need.pk}/antwort/']"
    assert page.locator(".kern-alert--info").count() >= 1 and page.locator(answer_link).count() == 0
    # Verified, it answers, and hears back (receipt).
    profile.verification = Verification.VERIFIED
    profile.save()
    _open(page, f"{base}/bedarfe/{world.need.pk}/")
    page.locator(answer_link).click()
    page.wait_for_load_state()
    page.fill("textarea[name=approach]", "Wir bauen eine Terminbuchung mit KI-Unterstützung.")
    page.fill("input[name=cost_estimate]", "30000")
    _submit(page, "main form:has(textarea[name=approach])")
    assert Notification.objects.filter(user=member, topic="answer").exists()
    # D9: once closed for answers, the page no longer invites answers.
    _open(page, f"{base}/bedarfe/{world.need.pk}/")
    assert "Antworten sind möglich bis" in page.content()
    Need.objects.filter(pk=world.need.pk).update(answer_deadline=timezone.localdate() - datetime.timedelta(days=1))
    _open(page, f"{base}/bedarfe/{world.need.pk}/")
    assert "Antworten sind möglich bis" not in page.content()


def test_external_juror_reads_what_she_scores_and_submits_with_confirmation(browser, live_server):
    world = build_world()
    _run, candidates = explore(world)
    evaluate(world, candidates, submit=False, close=False)
    from lotsenhaus.needs.models import AnswerAttachment

    answer = world.need.answers.get(startup=candidates[0].startup)
    from django.core.files.base import ContentFile

    attachment = AnswerAttachment(answer=answer, original_name="konzept.pdf", size=9, uploaded_by=world.members[0])
    attachment.file.save("konzept.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    page = browser_context(browser, live_server, world.expert).new_page()
    base = live_server.url
    # Jurors find their evaluations in the menu.
    _open(page, f"{base}/start/")
    page.locator("nav a[href='/bewertung/']").first.click()
    page.wait_for_load_state()
    page.locator(f"main a[href*='/bewertung/{world.need.pk}/']").first.click()
    page.wait_for_load_state()
    # D10: from the evaluation, every step shown opens.
    _nav_opens(page, live_server)
    _open(page, f"{base}/bewertung/{world.need.pk}/bogen/")
    # D3: the answer, the price and the attachment are on the sheet, and the attachment opens.
    content = page.content()
    assert "Wir prüfen Anträge mit KI." in content and "konzept.pdf" in content
    link = page.locator("a", has_text="konzept.pdf").first.get_attribute("href")
    assert page.request.get(base + link).status == 200
    # D36: scores are required, and the final submission asks first.
    assert page.locator("form[data-confirm]").count() == 1


def test_public_reader_in_english_searches_and_registers_for_an_event(browser, live_server):
    world = build_world()
    from lotsenhaus.needs import services as needs

    wanted = needs.need_create(
        actor=world.owner,
        organisation=world.authority,
        title="Termine im Bürgeramt online buchen",
        problem="Die Wartezeiten sind lang.",
        desired_outcome="Schneller zum Termin.",
        protection_class="internal",
        contact_name="Bea",
        contact_email="bea@altona.example",
    )
    needs.need_transition(actor=world.owner, need=wanted, action="submit")
    deadline = timezone.localdate() + datetime.timedelta(days=25)
    needs.need_transition(actor=world.coordinator, need=wanted, action="publish", answer_deadline=deadline)
    base = live_server.url
    page = browser_context(browser, live_server, None, language="en").new_page()
    # D28: the board's own search ranks with the engine (a compound that appears nowhere as written).
    _open(page, f"{base}/bedarfe/?q=Terminvergabe")
    titles = page.locator("main h2 a").all_inner_texts()
    assert titles and titles[0] == wanted.title
    # D16/D35: dates in the reader's format (day/month/year for a reader outside the US).
    assert deadline.strftime("%d/%m/%Y") in page.content()
    # D24: a favicon.
    assert page.request.get(f"{base}/favicon.ico").status == 200
    # Event registration is confirmed with the calendar entry.
    event = coming_event(world.coordinator)
    member = world.members[2]
    mail.outbox.clear()
    signed_in = browser_context(browser, live_server, member, language="en").new_page()
    _open(signed_in, f"{base}/veranstaltungen/{event.pk}/")
    _submit(signed_in, "main form[action$='/register/']")
    confirmations = [m for m in mail.outbox if m.to == [member.email]]
    assert confirmations and confirmations[0].attachments[0][2] == "text/calendar"
