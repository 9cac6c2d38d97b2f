import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from lotsenhaus.airegister.services import assessment_create, use_case_create
from lotsenhaus.core.exceptions import ApplicationError
from lotsenhaus.needs.models import Status
from lotsenhaus.pilots import selectors, services
from lotsenhaus.pilots.models import Measurement, PilotStatus
from tests.factories import OrganisationFactory
from tests.pipeline import build_world, evaluate, explore, run_pilot
from tests.refusals import refused

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]
TODAY = timezone.localdate()


@pytest.fixture
def running():
    world = build_world()
    _exploration, candidates = explore(world)
    evaluate(world, candidates)
    return world, run_pilot(world, candidates[0])


def test_a_csv_import_with_one_bad_line_saves_nothing_and_says_which_lines(running):
    world, pilot = running
    content = (
        "Kennzahl;Datum;Wert\n"
        f"Bearbeitungszeit;{TODAY.isoformat()};12,5\n"
        "Bearbeitungszeit;31.02.2026;11\n"
        "Unbekannt;2026-01-05;3\n"
        f"Bearbeitungszeit;{(TODAY + datetime.timedelta(days=3)).isoformat()};9\n"
    ).encode()
    with pytest.raises(ApplicationError) as raised:
        services.measurements_import(actor=world.owner, pilot=pilot, content=content)
    assert "Zeile 3" in raised.value.message and "Zeile 4" in raised.value.message and "Zeile 5" in raised.value.message
    assert not Measurement.objects.exists()
    day = (TODAY - datetime.timedelta(days=7)).strftime("%d.%m.%Y")
    assert services.measurements_import(
        actor=world.owner, pilot=pilot, content=f"Bearbeitungszeit;{day};1.234,5\n".encode()
    ) == (1, 0)
    assert services.measurements_import(
        actor=world.owner, pilot=pilot, content=f"Bearbeitungszeit;{day};20\n".encode()
    ) == (0, 1)
    assert Measurement.objects.get().value == Decimal(20)
    with refused("invalid_file", field="file"):
        services.measurements_import(
            actor=world.owner, pilot=pilot, content="Bearbeitungszeit;1.1.2026;ä".encode("latin-1")
        )


def test_extend_keeps_the_pilot_running_and_scale_names_the_authorities(running):
    world, pilot = running
    with refused("invalid_date", field="new_end_date"):
        services.pilot_decide(
            actor=world.coordinator, pilot=pilot, decision="extend", reasons="Mehr Daten", new_end_date=pilot.end_date
        )
    services.pilot_decide(
        actor=world.coordinator,
        pilot=pilot,
        decision="extend",
        reasons="Mehr Daten",
        new_end_date=pilot.end_date + datetime.timedelta(days=30),
    )
    pilot.refresh_from_db()
    world.need.refresh_from_db()
    assert pilot.status == PilotStatus.RUNNING and world.need.status == Status.PILOT
    with refused("required", field="scale_to"):
        services.pilot_decide(actor=world.coordinator, pilot=pilot, decision="scale", reasons="Gut")
    other = OrganisationFactory.create(name="Bezirksamt Wandsbek", kind="bezirksamt")
    services.pilot_decide(actor=world.coordinator, pilot=pilot, decision="scale", reasons="Gut", scale_to=[other])
    world.need.refresh_from_db()
    assert (world.need.status, world.need.outcome) == (Status.CLOSED, "adopted")
    assert [d.decision for d in selectors.decisions(pilot=pilot)] == ["extend", "scale"]
    with pytest.raises(PermissionDenied):  # a decided pilot takes no further decision
        services.pilot_decide(actor=world.coordinator, pilot=pilot, decision="end", reasons="x")


def test_an_ai_pilot_starts_only_with_an_assessed_register_entry():
    world = build_world()
    _exploration, candidates = explore(world)
    evaluate(world, candidates)
    pilot = services.pilot_create(actor=world.coordinator, need=world.need, candidate=candidates[0])
    pilot = services.pilot_update(actor=world.coordinator, pilot=pilot, version=pilot.version, uses_ai=True)
    assert "Eintrag im KI-Register mit Einstufung nach KI-Verordnung" in services.missing_before_start(pilot)
    use_case = use_case_create(
        actor=world.coordinator, organisation=world.authority, name="Antragsprüfung", short_description="Prüft Anträge"
    )
    pilot = services.pilot_update(actor=world.coordinator, pilot=pilot, version=pilot.version, ai_use_case=use_case)
    assert "eine Einstufung nach KI-Verordnung für den Eintrag im KI-Register" in services.missing_before_start(pilot)
    assessment_create(actor=world.coordinator, use_case=use_case, answers={}, justifications={})
    assert not any("KI" in item for item in services.missing_before_start(pilot))


def test_milestone_reminders_go_out_once_a_week_ahead(running, django_capture_on_commit_callbacks):
    world, pilot = running
    soon = services.milestone_add(
        actor=world.owner,
        pilot=pilot,
        title="Zwischenbericht",
        due_on=TODAY + datetime.timedelta(days=5),
        owner=world.owner,
    )
    services.milestone_add(
        actor=world.owner, pilot=pilot, title="Abschluss", due_on=TODAY + datetime.timedelta(days=60)
    )
    assert selectors.milestones_due() == [soon.pk]
    with django_capture_on_commit_callbacks(execute=True):
        assert services.milestone_remind(milestone_id=soon.pk) >= 2  # the owner and the unit
        assert services.milestone_remind(milestone_id=soon.pk) == 0
    assert selectors.milestones_due() == []
    reminders = [m for m in mail.outbox if world.owner.email in m.to]
    assert len(reminders) == 1 and "Zwischenbericht" in reminders[0].subject


def test_a_long_pilot_is_flagged_and_the_pilot_list_has_a_fixed_number_of_queries(
    running, django_assert_max_num_queries
):
    world, pilot = running
    assert not services.long_pilot(pilot)
    pilot = services.pilot_update(
        actor=world.coordinator,
        pilot=pilot,
        version=pilot.version,
        end_date=pilot.start_date + datetime.timedelta(days=200),
    )
    assert services.long_pilot(pilot)
    client = world.client(world.coordinator)
    client.get("/piloten/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get("/piloten/")
    for index in range(3):
        other = build_world(tag=f" {index}")
        _exploration, candidates = explore(other)
        evaluate(other, candidates)
        run_pilot(other, candidates[0])
    with CaptureQueriesContext(connection) as four:
        body = client.get("/piloten/").content.decode()
    assert body.count('href="/piloten/') >= 4
    assert len(four) == len(one)
    with CaptureQueriesContext(connection) as portfolio:
        client.get("/portfolio/")
    assert len(portfolio) <= len(one) + 6
