"""Every edit of an existing row ends the same way (core.validation.Edit.save): validated, version bumped, saved,
one audit entry with what changed – and none when nothing changed."""

import pytest

from lotsenhaus.core.models import AuditEntry
from lotsenhaus.events import services as events
from lotsenhaus.needs import services as needs
from tests.pipeline import build_world, coming_event
from tests.refusals import refused

pytestmark = pytest.mark.django_db


def _entries(obj):
    return AuditEntry.objects.filter(object_id=str(obj.pk), action__endswith=".update")


def test_an_edit_audits_what_changed_once_and_an_unchanged_save_not_at_all():
    world = build_world()
    need = world.need
    version = need.version
    saved = needs.need_update(
        actor=world.coordinator, need=need, version=version, title="Wartezeiten im Amt vorhersagen"
    )
    assert saved.version == version + 1
    [entry] = _entries(need)
    assert set(entry.changes) == {"title"}
    needs.need_update(
        actor=world.coordinator, need=saved, version=saved.version, title="Wartezeiten im Amt vorhersagen"
    )
    assert _entries(need).count() == 1
    with refused("conflict"):
        needs.need_update(actor=world.coordinator, need=saved, version=version, title="Überholt")


def test_related_rows_changed_after_the_save_are_in_the_same_audit_entry():
    world = build_world()
    event = coming_event(world.coordinator)
    events.event_update(actor=world.coordinator, event=event, version=event.version, needs=[world.need])
    [entry] = _entries(event)
    assert entry.changes["needs"] == [[], [world.need.pk]]
