"""axe-core in headless Chromium on every page of the shell, as every role: 0 WCAG 2.1 AA violations.

Forms are also checked with their errors shown, lists in their empty state, and the shell in English.
"""

from pathlib import Path
from typing import Any

import pytest

from lotsenhaus.core.roles import Role
from lotsenhaus.organisations.models import MembershipRole
from tests.factories import OrganisationFactory, make_person

from .conftest import AXE, browser_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PUBLIC = ["/", "/impressum/", "/datenschutz/", "/barrierefreiheit/", "/leichte-sprache/", "/gibt-es-nicht/"]
SIGNED_OUT = ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]
ACCOUNT = ["/start/", "/konto/", "/accounts/2fa/", "/accounts/email/", "/accounts/password/change/"]


def _audit(page: Any, url: str) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    return [
        f"{url}: {v['id']} ({v['impact']}) {v['help']} – {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]


def _visit(page: Any, base: str, path: str) -> list[str]:
    response = page.goto(base + path)
    if response is not None and response.status >= 500:
        return [f"{path}: HTTP {response.status}"]  # an error page can pass axe; it must not pass here
    return _audit(page, path)


def _submit_empty(page: Any, base: str, path: str, form: str = "main form[method=post]") -> list[str]:
    """Submit a form as it is, so its error messages are on the page when axe runs."""
    page.goto(base + path)
    forms = page.locator(form)
    forms.last.locator("button[type=submit]").first.click()
    page.wait_for_load_state()
    return _audit(page, f"{path} (with errors)")


def _report(violations: list[str]) -> None:
    assert violations == [], "\n".join(violations)


def test_public_pages_and_forms_with_errors(browser, live_server):
    page = browser_context(browser, live_server, None).new_page()
    violations = []
    for path in PUBLIC + SIGNED_OUT:
        violations += _visit(page, live_server.url, path)
    violations += _submit_empty(page, live_server.url, "/accounts/signup/")
    violations += _submit_empty(page, live_server.url, "/accounts/login/")
    violations += _submit_empty(page, live_server.url, "/barrierefreiheit/")
    _report(violations)


@pytest.mark.parametrize("role", [None, Role.STARTUP_MEMBER, Role.NEED_OWNER, Role.EXPERT])
def test_pages_of_members(browser, live_server, role):
    user = make_person(role, membership_role=MembershipRole.ADMIN)
    page = browser_context(browser, live_server, user).new_page()
    violations = []
    for path in ACCOUNT + PUBLIC:
        violations += _visit(page, live_server.url, path)
    if role is not None:
        organisation = user.memberships.get().organisation
        violations += _visit(page, live_server.url, "/organisationen/")
        violations += _visit(page, live_server.url, f"/organisationen/{organisation.pk}/")
        violations += _visit(page, live_server.url, f"/organisationen/{organisation.pk}/bearbeiten/")
        violations += _submit_empty(page, live_server.url, f"/organisationen/{organisation.pk}/", "form.narrow")
    violations += _visit(page, live_server.url, "/verwaltung/audit/")  # access denied page
    violations += _submit_empty(page, live_server.url, "/konto/", "main form.kern-stack")
    _report(violations)


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.PLATFORM_ADMIN])
def test_pages_of_unit_staff(browser, live_server, role):
    user = make_person(role)
    parent = OrganisationFactory.create(name="Behörde für Stadtentwicklung und Wohnen")
    child = OrganisationFactory.create(name="Amt für Bauordnung und Hochbau", parent=parent)
    make_person(Role.NEED_OWNER, organisation=child)
    page = browser_context(browser, live_server, user).new_page()
    violations = []
    for path in [
        *ACCOUNT,
        "/organisationen/",
        "/organisationen/?q=gibt-es-nicht",
        f"/organisationen/{parent.pk}/",
        f"/organisationen/{child.pk}/",
        "/organisationen/neu/",
        "/verwaltung/audit/",
        "/verwaltung/audit/?action=gibt-es-nicht",
    ]:
        violations += _visit(page, live_server.url, path)
    violations += _submit_empty(page, live_server.url, "/organisationen/neu/")
    _report(violations)


def test_shell_in_english(browser, live_server):
    user = make_person(Role.COORDINATOR)
    page = browser_context(browser, live_server, user, language="en").new_page()
    violations = []
    for path in ["/start/", "/organisationen/", "/verwaltung/audit/", "/impressum/", "/barrierefreiheit/"]:
        violations += _visit(page, live_server.url, path)
    # English texts with the reader's formats: the browser (de-DE) is not American, so British English.
    assert page.locator("html").get_attribute("lang") == "en-gb"
    _report(violations)


def test_mfa_setup_page_for_a_coordinator_without_a_second_factor(browser, live_server):
    user = make_person(Role.COORDINATOR, totp=False)
    page = browser_context(browser, live_server, user).new_page()
    page.goto(live_server.url + "/start/")
    # Forced to the two-factor set-up (after confirming the password again).
    assert "/accounts/" in page.url
    _report(_audit(page, page.url))


def test_the_checker_finds_violations(browser):
    """Guards the harness itself: a page with known barriers must fail."""
    page = browser.new_context(bypass_csp=True).new_page()
    page.set_content('<html><body><img src="x.png"><input type="text"></body></html>')
    found = " ".join(_audit(page, "sample"))
    assert "image-alt" in found and "label" in found


def test_htmx_filters_swap_only_the_results(browser, live_server):
    """The organisation filter updates the table in place and keeps the address shareable."""
    user = make_person(Role.COORDINATOR)
    OrganisationFactory.create(name="Bezirksamt Wandsbek")
    OrganisationFactory.create(name="Aktenblick GmbH", kind="startup")
    page = browser_context(browser, live_server, user).new_page()
    page.goto(live_server.url + "/organisationen/")
    page.evaluate("window.__notReloaded = true")
    page.fill("#id_q", "wands")
    page.click("main form[role=search] button[type=submit]")
    page.wait_for_url("**/organisationen/?q=wands*")
    results = page.locator("#organisation-results")
    results.get_by_text("Bezirksamt Wandsbek").wait_for()
    assert "Aktenblick" not in results.inner_text()
    assert page.evaluate("window.__notReloaded") is True
    assert page.evaluate("document.activeElement.id") == "organisation-results"


def test_needs_pages_for_every_role(browser, live_server):
    """The board, a need in each view, the guided form with and without errors, the workspace."""
    import datetime

    from django.utils import timezone

    from lotsenhaus.needs import services as need_services
    from lotsenhaus.needs.models import Need

    authority = OrganisationFactory.create(name="Bezirksamt Altona", kind="bezirksamt")
    owner = make_person(Role.NEED_OWNER, organisation=authority)
    coordinator = make_person(Role.COORDINATOR)
    draft = need_services.need_create(actor=owner, organisation=authority, title="Entwurf eines Bedarfs")
    published = need_services.need_create(
        actor=owner,
        organisation=authority,
        title="Wartezeiten vorhersagen",
        problem="Lange Schlangen",
        desired_outcome="Planung",
        protection_class="internal",
        technologies=["ai_forecast"],
        policy_field="administration",
    )
    Need.objects.filter(pk=published.pk).update(
        status="in_review",
    )
    need_services.need_transition(
        actor=coordinator,
        need=published,
        action="publish",
        answer_deadline=timezone.localdate() + datetime.timedelta(days=20),
    )
    violations = []
    page = browser_context(browser, live_server, None).new_page()
    for path in ["/bedarfe/", "/bedarfe/?q=gibt-es-nicht", f"/bedarfe/{published.pk}/"]:
        violations += _visit(page, live_server.url, path)
    page = browser_context(browser, live_server, owner).new_page()
    for path in ["/bedarfe/arbeitsbereich/", "/bedarfe/neu/", f"/bedarfe/{draft.pk}/"]:
        violations += _visit(page, live_server.url, path)
    for step in ["problem", "goal", "constraints", "frame", "contact"]:
        violations += _visit(page, live_server.url, f"/bedarfe/{draft.pk}/schritt/{step}/")
    page.goto(f"{live_server.url}/bedarfe/{draft.pk}/schritt/frame/")
    page.fill("#id_budget_min", "90000")
    page.fill("#id_budget_max", "100")
    page.click("main form button[type=submit] >> nth=0")
    page.wait_for_load_state()
    assert "nicht unter dem unteren" in page.content()
    violations += _audit(page, "frame step (with errors)")
    violations += _submit_empty(page, live_server.url, "/bedarfe/neu/")
    page = browser_context(browser, live_server, coordinator).new_page()
    for path in ["/bedarfe/arbeitsbereich/?status=in_review", f"/bedarfe/{published.pk}/"]:
        violations += _visit(page, live_server.url, path)
    _report(violations)


def test_startup_pages(browser, live_server):
    from lotsenhaus.startups import services as startup_services
    from lotsenhaus.startups.models import StartupProfile

    coordinator = make_person(Role.COORDINATOR)
    member = make_person(Role.STARTUP_MEMBER, membership_role=MembershipRole.ADMIN)
    profile = StartupProfile.objects.create(organisation=member.memberships.get().organisation, verification="verified")
    startup_services.solution_save(
        actor=member, profile=profile, name="Posteingang", description="Erkennt Unterlagen.", maturity="in_use"
    )
    scouted = startup_services.startup_scout(
        actor=coordinator, name="Gefunden GmbH", website="https://gefunden.example"
    )
    violations = []
    page = browser_context(browser, live_server, member).new_page()
    for path in [
        "/startups/",
        f"/startups/{profile.pk}/",
        f"/startups/{profile.pk}/bearbeiten/",
        f"/startups/{profile.pk}/loesungen/neu/",
    ]:
        violations += _visit(page, live_server.url, path)
    violations += _submit_empty(page, live_server.url, f"/startups/{profile.pk}/loesungen/neu/")
    page = browser_context(browser, live_server, coordinator).new_page()
    for path in [
        "/startups/?verification=unverified",
        f"/startups/{scouted.pk}/",
        "/startups/neu/",
        "/startups/?q=gibt-es-nicht",
    ]:
        violations += _visit(page, live_server.url, path)
    violations += _submit_empty(page, live_server.url, "/startups/neu/")
    page = browser_context(browser, live_server, make_person(None)).new_page()
    violations += _visit(page, live_server.url, f"/startups/{scouted.pk}/")  # access denied: unverified
    _report(violations)


def test_answer_pages(browser, live_server, settings, tmp_path):
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from lotsenhaus.needs import services as need_services
    from lotsenhaus.needs.models import Need
    from lotsenhaus.startups.models import StartupProfile

    settings.MEDIA_ROOT = tmp_path
    authority = OrganisationFactory.create(name="Bezirksamt Altona", kind="bezirksamt")
    owner = make_person(Role.NEED_OWNER, organisation=authority)
    need = need_services.need_create(actor=owner, organisation=authority, title="Wartezeiten vorhersagen")
    Need.objects.filter(pk=need.pk).update(
        status="published",
        published_at=timezone.now(),
        answer_deadline=timezone.localdate() + datetime.timedelta(days=9),
    )
    need.refresh_from_db()
    member = make_person(Role.STARTUP_MEMBER)
    StartupProfile.objects.create(organisation=member.memberships.get().organisation, verification="verified")
    violations = []
    page = browser_context(browser, live_server, member).new_page()
    violations += _visit(page, live_server.url, f"/bedarfe/{need.pk}/")
    violations += _visit(page, live_server.url, f"/bedarfe/{need.pk}/antwort/")
    violations += _submit_empty(page, live_server.url, f"/bedarfe/{need.pk}/antwort/")
    pdf = SimpleUploadedFile("Konzept.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    need_services.answer_save(actor=member, need=need, approach="Prognose", attachment=pdf)
    violations += _visit(page, live_server.url, f"/bedarfe/{need.pk}/antwort/")
    page = browser_context(browser, live_server, owner).new_page()
    violations += _visit(page, live_server.url, f"/bedarfe/{need.pk}/")
    _report(violations)


def test_tokens_import_and_screenshot_pages(browser, live_server, settings, tmp_path):
    from lotsenhaus.startups import services as startup_services
    from lotsenhaus.startups.models import StartupProfile

    settings.MEDIA_ROOT = tmp_path
    coordinator = make_person(Role.COORDINATOR)
    member = make_person(Role.STARTUP_MEMBER)
    profile = StartupProfile.objects.create(organisation=member.memberships.get().organisation, verification="verified")
    solution = startup_services.solution_save(
        actor=member, profile=profile, name="Eingang", description="D", maturity="in_use"
    )
    upload = startup_services.import_preview(
        actor=coordinator,
        file_name="liste.csv",
        content=b"Name;Website\nHafenblick GmbH;hafenblick.example\n;kaputt\n",
    )
    violations = []
    page = browser_context(browser, live_server, coordinator).new_page()
    for path in ["/konto/api/", "/startups/import/", f"/startups/import/{upload.pk}/"]:
        violations += _visit(page, live_server.url, path)
    violations += _submit_empty(page, live_server.url, "/startups/import/")
    page.goto(live_server.url + "/konto/api/")
    page.fill("#id_name", "Bericht")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert "lh_" in page.content()
    violations += _audit(page, "/konto/api/ (new token shown)")
    page = browser_context(browser, live_server, member).new_page()
    violations += _visit(page, live_server.url, f"/startups/{profile.pk}/loesungen/{solution.pk}/")
    _report(violations)


def test_ai_register_pages(browser, live_server):
    from tests.pipeline import published_use_case

    authority = OrganisationFactory.create(name="Sozialbehörde", kind="fachbehoerde")
    coordinator = make_person(Role.COORDINATOR)
    use_case = published_use_case(authority, coordinator, "Bescheide erklären")
    editor = use_case.organisation.memberships.filter(role=MembershipRole.ADMIN).order_by("pk").first().user
    violations = []
    page = browser_context(browser, live_server, None).new_page()
    for path in ["/ki-register/", f"/ki-register/{use_case.public_id}/", "/ki-register/?q=gibt-es-nicht"]:
        violations += _visit(page, live_server.url, path)
    violations += _submit_empty(page, live_server.url, f"/ki-register/{use_case.public_id}/")
    page = browser_context(browser, live_server, editor).new_page()
    base = f"/ki-register/arbeitsbereich/{use_case.pk}/"
    for path in [
        "/ki-register/arbeitsbereich/",
        "/ki-register/arbeitsbereich/neu/",
        base,
        base + "bearbeiten/",
        base + "einschaetzung/",
    ]:
        violations += _visit(page, live_server.url, path)
    _report(violations)


def test_search_and_matching_pages(browser, live_server):
    """Search with results, facets and filters open, its empty states, matches of a need and of a startup,
    similar needs in the need form (loaded by htmx), and the index page."""
    from django.utils import timezone

    from lotsenhaus.needs import services as need_services
    from lotsenhaus.needs.models import Need
    from lotsenhaus.startups import services as startup_services
    from lotsenhaus.startups.models import StartupProfile

    authority = OrganisationFactory.create(name="Hamburg Wasser", kind="landesbetrieb")
    other = OrganisationFactory.create(name="Bezirksamt Altona", kind="bezirksamt")
    owner = make_person(Role.NEED_OWNER, organisation=authority)
    coordinator = make_person(Role.COORDINATOR)
    startup_org = OrganisationFactory.create(name="Leckwerk GmbH", kind="startup")
    member = make_person(Role.STARTUP_MEMBER, organisation=startup_org)
    profile = StartupProfile.objects.create(organisation=startup_org, verification="verified")
    startup_services.solution_save(
        actor=coordinator, profile=profile, name="Leak detection", description="Sensors find leaks in water pipes."
    )
    draft = need_services.need_create(
        actor=owner, organisation=authority, title="Lecks im Wassernetz", problem="Wasserverluste durch Lecks."
    )
    other_owner = make_person(Role.NEED_OWNER, organisation=other)
    public = need_services.need_create(actor=other_owner, organisation=other, title="Wasserverluste senken")
    Need.objects.filter(pk=public.pk).update(status="published", published_at=timezone.now())
    public.refresh_from_db()
    public.save()  # the index follows the change of state
    violations = []
    page = browser_context(browser, live_server, None).new_page()
    for path in ["/suche/", "/suche/?q=Wasser", "/suche/?q=gibt-es-nirgends-xyz"]:
        violations += _visit(page, live_server.url, path)
    page = browser_context(browser, live_server, coordinator).new_page()
    for path in [
        "/suche/?q=Lecks+Wasser&maturity=prototype&hosting=de",
        "/suche/?q=Lecks&kind=solution",
        f"/bedarfe/{draft.pk}/passende-loesungen/",
        f"/startups/{profile.pk}/passende-bedarfe/",
        "/suche/index/",
    ]:
        violations += _visit(page, live_server.url, path)
    page.goto(f"{live_server.url}/bedarfe/{draft.pk}/")
    page.wait_for_selector("#matches-heading + div ol, #matches-heading + div .empty-state")
    violations += _audit(page, "need with matching solutions")
    page = browser_context(browser, live_server, owner).new_page()
    page.goto(f"{live_server.url}/bedarfe/{draft.pk}/schritt/problem/")
    page.wait_for_selector("#similar-needs h2")
    assert "Wasserverluste senken" in page.inner_text("#similar-needs")
    violations += _audit(page, "need form with similar needs")
    page = browser_context(browser, live_server, member).new_page()
    violations += _visit(page, live_server.url, f"/startups/{profile.pk}/passende-bedarfe/")
    _report(violations)


def test_venture_client_pipeline_pages(browser, live_server, settings, tmp_path):
    """Exploration, evaluation, pilot, portfolio, advisor and calls, as the unit, a juror and the startup."""
    import datetime
    from decimal import Decimal

    from django.utils import timezone

    from lotsenhaus.exploration.services import question_answer, question_ask
    from lotsenhaus.needs.services import call_add_need, call_create
    from lotsenhaus.pilots.services import measurement_record
    from tests.pipeline import build_world, evaluate, explore, run_pilot

    settings.MEDIA_ROOT = tmp_path
    world = build_world()
    _exploration, candidates = explore(world)
    question = question_ask(actor=world.members[0], candidate=candidates[0], text="Gibt es Testdaten?")
    question_answer(actor=world.coordinator, question=question, answer="Ja.")
    evaluate(world, candidates)
    pilot = run_pilot(world, candidates[0])
    kpi = pilot.kpis.get()
    today = timezone.localdate()
    for days, value in ((14, 28), (7, 22), (0, 16)):
        measurement_record(
            actor=world.coordinator, kpi=kpi, measured_on=today - datetime.timedelta(days=days), value=Decimal(value)
        )
    call = call_create(
        actor=world.coordinator,
        title="KI im Bürgerservice",
        theme="Anträge",
        deadline=today + datetime.timedelta(days=30),
    )
    second = build_world(tag=" II")
    _exploration2, open_candidates = explore(second)
    third = build_world(tag=" III")
    call_add_need(actor=world.coordinator, call=call, need=third.need)
    need = world.need.pk
    violations: list[str] = []
    page = browser_context(browser, live_server, world.coordinator).new_page()
    for path in [
        f"/bedarfe/{need}/",
        f"/markterkundung/{need}/",
        f"/markterkundung/{need}/?status=excluded",
        f"/markterkundung/kandidat/{candidates[0].pk}/",
        f"/markterkundung/{second.need.pk}/",
        f"/markterkundung/{third.need.pk}/",
        f"/bewertung/{need}/",
        f"/bewertung/{need}/matrix/",
        f"/piloten/{pilot.pk}/",
        "/piloten/",
        "/portfolio/",
        "/vergabe/wegweiser/",
        "/vergabe/wegweiser/?value=216000&body=subcentral&nature=services&innovative=on&it_kind=saas",
        "/vergabe/wertgrenzen/",
        "/bedarfe/aufrufe/",
        f"/bedarfe/aufrufe/{call.pk}/",
    ]:
        violations += _visit(page, live_server.url, path)
    violations += _submit_empty(
        page, live_server.url, f"/markterkundung/kandidat/{open_candidates[0].pk}/", "main form.actions-panel"
    )
    violations += _submit_empty(page, live_server.url, f"/markterkundung/{second.need.pk}/", "main form.actions-panel")
    violations += _submit_empty(page, live_server.url, f"/piloten/{pilot.pk}/", "main form.actions-panel")
    violations += _submit_empty(page, live_server.url, "/bedarfe/aufrufe/", "main form.actions-panel")
    juror = browser_context(browser, live_server, world.expert).new_page()
    violations += _visit(juror, live_server.url, f"/bewertung/{need}/bogen/")
    violations += _visit(juror, live_server.url, "/bewertung/")
    startup_page = browser_context(browser, live_server, world.members[0]).new_page()
    violations += _visit(startup_page, live_server.url, f"/markterkundung/{need}/fragen/")
    violations += _visit(startup_page, live_server.url, f"/piloten/{pilot.pk}/")
    _report(violations)


def test_a_coordinator_explores_the_market_in_a_real_browser(browser, live_server, settings, tmp_path):
    """Clicks, htmx filters and a real download: start, short-list, report (PDF), on to the evaluation."""
    from tests.pipeline import build_world

    settings.MEDIA_ROOT = tmp_path
    world = build_world()
    page = browser_context(browser, live_server, world.coordinator).new_page()
    page.goto(f"{live_server.url}/markterkundung/{world.need.pk}/")
    page.get_by_role("button", name="Markterkundung beginnen").click()
    page.wait_for_load_state()
    assert "Die Markterkundung hat begonnen" in page.content()
    for name in ("Aktenblick GmbH", "Formfix UG"):
        page.get_by_role("link", name=name).click()
        page.get_by_label("Status").select_option("shortlist")
        page.get_by_role("button", name="Speichern").click()
        page.wait_for_load_state()
        assert "Der Eintrag wurde gespeichert" in page.content()
        page.get_by_role("link", name="Markterkundung", exact=True).first.click()
    page.get_by_role("link", name="Shortlist (2)").click()  # htmx swaps the list only
    page.wait_for_url("**?status=shortlist")
    assert page.locator("#long-list tbody tr").count() == 2
    page.get_by_role("button", name="Bericht erstellen (DOCX und PDF)").click()
    page.wait_for_load_state()
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF").first.click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    page.get_by_role("button", name="Bewertung der Shortlist beginnen").click()
    page.wait_for_load_state()
    assert "/bewertung/" in page.url and "Die Bewertung hat begonnen" in page.content()
    _report(_audit(page, page.url))


def _campus(world: Any) -> dict[str, Any]:
    """Articles (public, internal, one in review), expert profiles, a full event, an enrolment with a session."""
    import datetime

    from django.utils import timezone

    from lotsenhaus.advisory import services as advisory
    from lotsenhaus.events import services as events
    from lotsenhaus.knowledge import services as knowledge

    c = world.coordinator
    articles = []
    for visibility, title in (("public", "Leitfaden Vergabe"), ("internal", "Lessons Learned Bauprüfung")):
        article = knowledge.article_create(
            actor=world.owner,
            kind="guide",
            title=title,
            summary="Kurz gesagt",
            body="# Abschnitt\n\n- Punkt eins\n- Punkt zwei\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\n[Link](https://hamburg.de)",
            tags=["Vergabe", "KI"],
            visibility=visibility,
            needs=[world.need],
            startups=[world.startups[0]],
        )
        knowledge.article_submit(actor=world.owner, article=article)
        articles.append(knowledge.article_publish(actor=c, article=article))
    review = knowledge.article_create(
        actor=world.expert, kind="best_practice", title="Im Review", body="Text", visibility="public"
    )
    knowledge.article_submit(actor=world.expert, article=review)
    profile = knowledge.expert_profile_save(
        actor=world.expert,
        headline="KI-Transfer",
        expertise=["Sprachmodelle"],
        languages=["Deutsch"],
        is_public=True,
        public_fields=["expertise"],
    )
    start = timezone.now() + datetime.timedelta(days=5)
    event = events.event_create(
        actor=c,
        kind="reverse_pitch",
        title="Reverse Pitch",
        description="Bedarfe",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        place="Campus",
        online_url="https://video.example/x",
        capacity=1,
        needs=[world.need],
    )
    events.event_publish(actor=c, event=event)
    events.registration_create(actor=world.members[0], event=event)
    events.registration_create(actor=world.members[1], event=event)
    enrolment = advisory.enrolment_admit(
        actor=c, startup=world.startups[0], advisor=c, admitted_on=timezone.localdate() - datetime.timedelta(days=120)
    )
    advisory.session_add(actor=c, enrolment=enrolment, held_on=timezone.localdate(), topic="Auftakt", notes="Ziele")
    return {"articles": articles, "review": review, "profile": profile, "event": event, "enrolment": enrolment}


def test_campus_pages(browser, live_server):
    """Knowledge base, expert directory, events, advisory track and notifications, as every role."""
    from tests.pipeline import build_world

    world = build_world()
    campus = _campus(world)
    public, internal = campus["articles"]
    event, enrolment = campus["event"], campus["enrolment"]
    violations: list[str] = []
    unit = browser_context(browser, live_server, world.coordinator).new_page()
    for path in [
        "/wissen/",
        "/wissen/?kind=guide&tag=KI",
        "/wissen/?q=gibtesnicht",
        f"/wissen/{public.pk}/",
        f"/wissen/{internal.pk}/",
        f"/wissen/{campus['review'].pk}/",
        "/wissen/redaktion/",
        "/wissen/expertise/",
        f"/wissen/expertise/{campus['profile'].pk}/",
        "/veranstaltungen/",
        "/veranstaltungen/?when=past",
        f"/veranstaltungen/{event.pk}/",
        f"/veranstaltungen/{event.pk}/bearbeiten/",
        "/begleitprogramm/",
        f"/begleitprogramm/{enrolment.pk}/",
        "/benachrichtigungen/",
        "/benachrichtigungen/einstellungen/",
    ]:
        violations += _visit(unit, live_server.url, path)
    violations += _submit_empty(unit, live_server.url, "/wissen/neu/")
    violations += _submit_empty(unit, live_server.url, "/veranstaltungen/neu/")
    violations += _submit_empty(unit, live_server.url, "/begleitprogramm/", "main form.actions-panel")
    violations += _submit_empty(unit, live_server.url, f"/wissen/{campus['review'].pk}/", "main form.kern-stack")
    expert = browser_context(browser, live_server, world.expert).new_page()
    violations += _submit_empty(expert, live_server.url, "/wissen/expertise/mein-profil/")
    startup = browser_context(browser, live_server, world.members[1]).new_page()
    for path in [f"/veranstaltungen/{event.pk}/", "/begleitprogramm/", "/benachrichtigungen/", "/wissen/"]:
        violations += _visit(startup, live_server.url, path)
    member = browser_context(browser, live_server, world.members[0]).new_page()
    violations += _visit(member, live_server.url, f"/begleitprogramm/{enrolment.pk}/")
    anonymous = browser_context(browser, live_server, None).new_page()
    for path in [
        "/wissen/",
        f"/wissen/{public.pk}/",
        "/wissen/expertise/",
        "/veranstaltungen/",
        f"/veranstaltungen/{event.pk}/",
    ]:
        violations += _visit(anonymous, live_server.url, path)
    newcomer = browser_context(browser, live_server, make_person(Role.NEED_OWNER)).new_page()
    violations += _visit(newcomer, live_server.url, "/benachrichtigungen/")
    _report(violations)


def test_an_article_goes_from_author_to_reader_in_a_real_browser(browser, live_server):
    """Write (with a script that must not run), submit, publish with a second person, read it signed out."""
    author = make_person(Role.NEED_OWNER)
    reviewer = make_person(Role.COORDINATOR)
    page = browser_context(browser, live_server, author).new_page()
    dialogs: list[str] = []

    def refuse(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", refuse)
    page.goto(live_server.url + "/wissen/neu/")
    page.select_option("#id_article-kind", "best_practice")
    page.fill("#id_article-title", "Anträge vorprüfen")
    page.fill(
        "#id_article-body", "# So geht es\n\nErst prüfen.<script>alert('x')</script>\n\n[böse](javascript:alert(1))"
    )
    page.fill("#id_article-tags", "Anträge, KI")
    page.select_option("#id_article-visibility", "public")
    page.get_by_role("button", name="Speichern").click()
    page.get_by_role("button", name="Zur Prüfung einreichen").click()
    assert "zur Prüfung eingereicht" in page.content()
    url = page.url
    unit = browser_context(browser, live_server, reviewer).new_page()
    unit.goto(url)
    unit.get_by_role("button", name="Veröffentlichen").click()
    reader = browser_context(browser, live_server, None).new_page()
    reader.on("dialog", refuse)
    reader.goto(live_server.url + "/wissen/")
    reader.get_by_role("link", name="Anträge vorprüfen").click()
    assert reader.locator("main h2", has_text="So geht es").count() == 1
    assert reader.locator("main a[href^='javascript']").count() == 0
    assert dialogs == []  # the script never ran
    _report(_audit(reader, "article read signed out"))


_FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const outlined = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const shadowed = style.boxShadow && style.boxShadow !== 'none';
  const inMain = !!el.closest('main');
  return {tag: el.tagName.toLowerCase(), id: el.id || '', name: el.getAttribute('name') || '',
          text: (el.innerText || el.value || '').trim().slice(0, 40), visible: outlined || shadowed, inMain};
}"""


def _tab_walk(page: Any, steps: int = 150) -> list[dict[str, Any]]:
    """Press Tab from the top of the page and record where the focus goes, until it leaves the page again."""
    page.locator("body").focus()
    seen: list[dict[str, Any]] = []
    for _ in range(steps):
        page.keyboard.press("Tab")
        focused = page.evaluate(_FOCUS)
        if focused is None or (seen and focused == seen[0]):
            break  # back at the browser's chrome or the start: no trap
        seen.append(focused)
    return seen


def _check_walk(page: Any, form: str) -> list[str]:
    walk = _tab_walk(page)
    problems = [f"no visible focus on {f}" for f in walk if not f["visible"]]
    if not walk or walk[0]["text"] != "Zum Inhalt springen":
        problems.append(f"the first stop is not the skip link: {walk[:1]}")
    fields = page.evaluate(
        "(sel) => [...document.querySelectorAll(sel + ' :is(input, select, textarea, button)')]"
        ".filter(e => e.type !== 'hidden' && !e.disabled && e.offsetParent !== null)"
        ".map(e => e.name || e.innerText.trim())",
        form,
    )
    # A radio group is one tab stop (arrow keys move inside it).
    expected = [name for i, name in enumerate(fields) if i == 0 or name != fields[i - 1]]
    reached = [f["name"] or f["text"] for f in walk if f["inMain"] and (f["name"] or f["tag"] == "button")]
    order = [name for name in reached if name in expected]
    if [n for n in expected if n in order] != order or not set(expected) <= set(reached):
        problems.append(f"form order {order} differs from {expected}")
    if walk and walk[-1]["inMain"]:
        problems.append("the focus stays inside the main content (trap)")
    return problems


def test_keyboard_walk_through_the_need_form_and_the_evaluation(browser, live_server):
    """Tab only: skip link first, every field of the form in reading order, focus always visible, no trap."""
    from tests.pipeline import build_world, explore

    world = build_world()
    explore(world)
    from lotsenhaus.evaluations import services as ev

    evaluation = ev.evaluation_start(actor=world.coordinator, need=world.need)
    from decimal import Decimal

    ev.criterion_add(
        actor=world.coordinator, evaluation=evaluation, kind="weighted", name="Qualität", weight=Decimal(100),
        levels=list("012345"),
    )  # fmt: skip
    ev.evaluator_invite(actor=world.coordinator, evaluation=evaluation, user=world.expert)
    ev.evaluation_open(actor=world.coordinator, evaluation=evaluation)
    problems: list[str] = []
    owner = browser_context(browser, live_server, world.owner).new_page()
    owner.goto(live_server.url + "/bedarfe/neu/")
    problems += [f"need form: {p}" for p in _check_walk(owner, "main form[method=post]")]
    juror = browser_context(browser, live_server, world.expert).new_page()
    juror.goto(live_server.url + f"/bewertung/{world.need.pk}/bogen/")
    problems += [f"evaluation: {p}" for p in _check_walk(juror, "main form[method=post]")]
    assert problems == [], "\n".join(problems)
    # The check itself can fail: without focus styles it reports every stop.
    owner.add_style_tag(content="*:focus, *:focus-visible { outline: none !important; box-shadow: none !important; }")
    assert any("no visible focus" in p for p in _check_walk(owner, "main form[method=post]"))
