"""No page loses typed input (issue 17, D2), in Chromium: on a page with several forms, using one form keeps
what was typed in the others and says it still needs saving."""

import pytest

from tests.pipeline import build_world, evaluate, explore

from .conftest import browser_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_adding_a_reference_keeps_the_unsaved_profile_text(browser, live_server):
    world = build_world()
    profile, member = world.startups[0], world.members[0]
    page = browser_context(browser, live_server, member).new_page()
    page.goto(f"{live_server.url}/startups/{profile.pk}/bearbeiten/")
    page.fill("textarea[name=short_description]", "Texterkennung für Anträge – noch nicht gespeichert")
    page.fill("input[name=reference-public_body]", "Bezirksamt Altona")
    page.fill("input[name=reference-year]", "2025")
    page.fill("[name=reference-what]", "Pilot Posteingang")
    page.locator("form[action$='/reference/neu/'] button[type=submit]").click()
    page.wait_for_load_state()
    assert "Bezirksamt Altona" in page.content()  # the reference was added
    assert page.input_value("textarea[name=short_description]") == "Texterkennung für Anträge – noch nicht gespeichert"
    assert page.locator(".unsaved-notice").count() == 1
    # After saving, nothing is kept any more.
    page.locator("main form").first.locator("button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/startups/{profile.pk}/bearbeiten/")
    assert page.locator(".unsaved-notice").count() == 0
    assert page.input_value("textarea[name=short_description]") == "Texterkennung für Anträge – noch nicht gespeichert"


def test_adding_a_kpi_keeps_the_unsaved_canvas(browser, live_server):
    from lotsenhaus.pilots import services as pilots

    world = build_world()
    _exploration, candidates = explore(world)
    evaluate(world, candidates)
    pilot = pilots.pilot_create(actor=world.coordinator, need=world.need, candidate=candidates[0])
    page = browser_context(browser, live_server, world.coordinator).new_page()
    page.goto(f"{live_server.url}/piloten/{pilot.pk}/")
    page.fill("textarea[name=canvas-hypotheses]", "Die Bearbeitungszeit halbiert sich.")
    kpi = page.locator("form:has(input[name=form][value=kpi])")
    kpi.locator("input[name=kpi-name]").fill("Bearbeitungszeit")
    kpi.locator("input[name=kpi-baseline]").fill("30")
    kpi.locator("input[name=kpi-target]").fill("15")
    kpi.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "Bearbeitungszeit" in page.content()
    assert page.input_value("textarea[name=canvas-hypotheses]") == "Die Bearbeitungszeit halbiert sich."
