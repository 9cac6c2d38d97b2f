from typing import Any

from django.db.models import Q

from lotsenhaus.accounts.actors import Actor
from lotsenhaus.core import predicates as rules
from lotsenhaus.core.roles import is_unit_staff
from lotsenhaus.core.visibility import EVERYTHING, visibility

from .models import Event, EventStatus


@rules.predicate
def is_published(user: Actor, event: Any) -> bool:
    return event is not None and event.status == EventStatus.PUBLISHED


rules.add_perm("events.manage_events", is_unit_staff)
# Published and cancelled events for everyone; drafts only for the unit.
VISIBLE_EVENTS = visibility(
    "events.view_event", Event, lambda user: EVERYTHING if is_unit_staff(user) else ~Q(status=EventStatus.DRAFT)
)
rules.add_perm("events.register", rules.is_authenticated & is_published)
rules.add_perm("events.see_events_card", rules.is_authenticated)
