from typing import Any

import rules

from lotsenhaus.core.roles import is_unit_staff

from .models import EventStatus


@rules.predicate
def is_published(user: Any, event: Any) -> bool:
    return event is not None and event.status == EventStatus.PUBLISHED


@rules.predicate
def is_visible_status(user: Any, event: Any) -> bool:
    return event is not None and event.status != EventStatus.DRAFT


rules.add_perm("events.manage_events", is_unit_staff)
rules.add_perm("events.view_event", is_visible_status | is_unit_staff)
rules.add_perm("events.register", rules.is_authenticated & is_published)
rules.add_perm("events.see_events_card", rules.is_authenticated)
