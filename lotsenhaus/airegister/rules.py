from typing import Any

from django.db.models import Q

from lotsenhaus.accounts.actors import Actor
from lotsenhaus.core import predicates as rules
from lotsenhaus.core.roles import is_expert, is_need_owner, is_unit_staff
from lotsenhaus.core.visibility import EVERYTHING, NOTHING, visibility
from lotsenhaus.organisations.selectors import is_admin_of, is_member_of, memberships_of

from .models import Publication, UseCase


@rules.predicate
def is_of_own_organisation(user: Actor, use_case: Any) -> bool:
    return use_case is not None and is_member_of(user, use_case.organisation_id)


@rules.predicate
def is_approver(user: Actor, use_case: Any) -> bool:
    return use_case is not None and is_admin_of(user, use_case.organisation_id)


@rules.predicate
def is_submitter_or_editor(user: Actor, use_case: Any) -> bool:
    """Four eyes: the person who submitted the record or last changed it (or its assessment)."""
    return use_case is not None and user.pk in (use_case.submitted_by_id, use_case.last_edited_by_id)


@rules.predicate
def is_its_approver(user: Actor, use_case: Any) -> bool:
    """Four eyes: whoever approved a record does not publish it too."""
    return use_case is not None and use_case.approved_by_id == user.pk


@rules.predicate
def is_invited_expert(user: Actor, use_case: Any) -> bool:
    return use_case is not None and use_case.invited_experts.filter(pk=user.pk).exists()


@rules.predicate
def is_published(user: Actor, use_case: Any) -> bool:
    return use_case is not None and use_case.publication == Publication.PUBLISHED


rules.add_perm("airegister.use_workspace", is_need_owner | is_unit_staff | is_expert)
rules.add_perm("airegister.add_usecase", is_need_owner | is_unit_staff)


# Experts of any network (a university included) read only the use cases they were invited to assess:
# drafts of authorities are confidential (docs/trust.md, design decisions).
def _workspace(user: Actor) -> Q:
    if is_unit_staff(user):
        return EVERYTHING
    if not user.is_authenticated:
        return NOTHING
    mine = Q(organisation_id__in=list(memberships_of(user)))
    if is_expert(user):  # a subquery, not a join: one row per use case
        mine |= Q(pk__in=UseCase.invited_experts.through.objects.filter(user_id=user.pk).values("usecase_id"))
    return mine


VISIBLE_USE_CASES = visibility("airegister.view_usecase", UseCase, _workspace)
rules.add_perm("airegister.change_usecase", is_unit_staff | is_of_own_organisation)
rules.add_perm("airegister.approve_usecase", (is_unit_staff | is_approver) & ~is_submitter_or_editor)
rules.add_perm("airegister.publish_usecase", is_unit_staff & ~is_its_approver)
rules.add_perm("airegister.sign_off_assessment", is_expert & is_invited_expert)
rules.add_perm("airegister.be_invited", is_expert)
