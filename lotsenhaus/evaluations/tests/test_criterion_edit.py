"""Issue 17, D40: a criterion is changed in place, its levels prefilled, until scoring opens."""

from decimal import Decimal

import pytest
from django.urls import reverse

from lotsenhaus.core.models import AuditEntry
from lotsenhaus.evaluations import services
from tests.pipeline import build_world, explore

pytestmark = pytest.mark.django_db


def test_a_criterion_is_edited_with_its_levels_prefilled_until_scoring_opens():
    world = build_world()
    explore(world)
    evaluation = services.evaluation_start(actor=world.coordinator, need=world.need)
    levels = [f"Stufe {n}" for n in range(evaluation.scale_max + 1)]
    criterion = services.criterion_add(
        actor=world.coordinator,
        evaluation=evaluation,
        kind="weighted",
        name="Qualität",
        weight=Decimal(60),
        levels=levels,
    )
    client = world.client(world.coordinator)
    url = reverse("evaluations:criterion_edit", args=[criterion.pk])
    form = client.get(url).context["form"]
    assert form.initial["levels"].splitlines() == levels and form.initial["name"] == "Qualität"
    changed = [*levels[:-1], "Übertrifft alle Erwartungen"]
    data = {"kind": "weighted", "name": "Fachliche Qualität", "weight": "70", "levels": "\n".join(changed)}
    # Too few levels: refused with everything typed kept.
    short = client.post(url, {**data, "levels": "nur eine Zeile"})
    assert short.status_code == 422 and short.context["form"].data["name"] == "Fachliche Qualität"
    assert client.post(url, data).status_code == 302
    criterion.refresh_from_db()
    assert (criterion.name, criterion.weight, criterion.levels) == ("Fachliche Qualität", Decimal(70), changed)
    assert AuditEntry.objects.filter(action="evaluation.criterion_update").count() == 1
    # Others may not, and nobody may once scoring is open.
    assert world.client(world.members[0]).get(url).status_code == 403
    services.evaluator_invite(actor=world.coordinator, evaluation=evaluation, user=world.expert)
    services.criterion_add(
        actor=world.coordinator,
        evaluation=evaluation,
        kind="weighted",
        name="Preis",
        weight=Decimal(30),
        levels=levels,
    )
    services.evaluation_open(actor=world.coordinator, evaluation=evaluation)
    assert client.get(url).status_code == 403
