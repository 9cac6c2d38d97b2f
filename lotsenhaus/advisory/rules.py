from typing import Any

from django.db.models import Q

from lotsenhaus.accounts.actors import Actor
from lotsenhaus.core import predicates as rules
from lotsenhaus.core.roles import is_unit_staff
from lotsenhaus.core.visibility import EVERYTHING, visibility
from lotsenhaus.organisations.selectors import is_member_of, of_own_organisations

from .models import Enrolment


@rules.predicate
def is_startup_of(user: Actor, enrolment: Any) -> bool:
    return enrolment is not None and is_member_of(user, enrolment.startup.organisation_id)


rules.add_perm("advisory.manage", is_unit_staff)


def _visible_enrolments(user: Actor) -> Q:
    """All enrolments for the unit; a startup's members see their own."""
    return EVERYTHING if is_unit_staff(user) else of_own_organisations(user, "startup__organisation_id")


VISIBLE_ENROLMENTS = visibility("advisory.view_enrolment", Enrolment, _visible_enrolments)
rules.add_perm("advisory.complete_milestone", is_unit_staff | is_startup_of)
