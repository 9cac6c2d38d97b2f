"""The steps of the venture-client pipeline a need takes through other apps (issue 19, item 8): the market
exploration starts it, the evaluation follows, the pilot starts and closes it. Each app checks its own
preconditions first and then calls ``need_stage_advance`` naming itself; a step another app manages is
refused. Only those three apps may import this module (an import-linter contract in ``pyproject.toml``), so no
view, API or other service can take a pipeline step without the checks of the app that owns it."""

from typing import Literal

from django.db import transaction

from lotsenhaus.accounts.models import User
from lotsenhaus.core.exceptions import ApplicationError

from .models import Need
from .services import LIFE_CYCLE, transition_apply

Manager = Literal["exploration", "evaluation", "pilot"]


@transaction.atomic
def need_stage_advance(*, actor: User, need: Need, action: str, manager: Manager, outcome: str = "") -> Need:
    step = LIFE_CYCLE.get(action)
    if step is None or step.managed_by != manager:
        raise ApplicationError(f"{action!r} is not a step of the {manager}", code="unknown_action")
    return transition_apply(actor=actor, need=need, action=action, outcome=outcome)
