from typing import Any

from django.db.models import Q

from lotsenhaus.accounts.actors import Actor
from lotsenhaus.core import predicates as rules
from lotsenhaus.core.roles import is_need_owner, is_startup_member, is_unit_staff
from lotsenhaus.core.visibility import EVERYTHING, visibility
from lotsenhaus.needs.models import Status
from lotsenhaus.organisations.selectors import is_member_of, of_own_organisations

from .models import Pilot, PilotStatus


@rules.predicate
def is_of_need_organisation(user: Actor, pilot: Any) -> bool:
    return pilot is not None and is_member_of(user, pilot.need.organisation_id)


@rules.predicate
def is_of_pilot_startup(user: Actor, pilot: Any) -> bool:
    return pilot is not None and is_member_of(user, pilot.startup.organisation_id)


@rules.predicate
def in_design(user: Actor, pilot: Any) -> bool:
    return pilot is not None and pilot.status == PilotStatus.DESIGN


@rules.predicate
def is_running(user: Actor, pilot: Any) -> bool:
    return pilot is not None and pilot.status == PilotStatus.RUNNING


@rules.predicate
def is_decided(user: Actor, pilot: Any) -> bool:
    return pilot is not None and pilot.status == PilotStatus.DECIDED


@rules.predicate
def need_in_evaluation(user: Actor, need: Any) -> bool:
    return need is not None and need.status == Status.EVALUATION


def _visible_pilots(user: Actor) -> Q:
    """The unit sees every pilot; the authority and the startup their own."""
    if is_unit_staff(user):
        return EVERYTHING
    return of_own_organisations(user, "need__organisation_id", "startup__organisation_id")


VISIBLE_PILOTS = visibility("pilots.view_pilot", Pilot, _visible_pilots)
rules.add_perm("pilots.design_pilot", is_unit_staff & need_in_evaluation)
rules.add_perm("pilots.change_pilot", is_unit_staff & (in_design | is_running))
rules.add_perm("pilots.start_pilot", is_unit_staff & in_design)
rules.add_perm("pilots.track_pilot", (is_unit_staff | is_of_need_organisation) & (in_design | is_running))
rules.add_perm("pilots.report_status", (is_unit_staff | is_of_need_organisation | is_of_pilot_startup) & is_running)
rules.add_perm("pilots.decide_pilot", is_unit_staff & is_running)
rules.add_perm("pilots.write_lessons", (is_unit_staff | is_of_need_organisation) & is_decided)
rules.add_perm("pilots.view_portfolio", is_unit_staff)
rules.add_perm("pilots.list_pilots", is_unit_staff | is_need_owner | is_startup_member)
