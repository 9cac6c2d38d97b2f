"""Issue 17, D13 and D15: words that read wrong in German on screen."""

import pytest
from django.urls import reverse
from django.utils import translation

from lotsenhaus.evaluations.forms import score_form
from lotsenhaus.evaluations.models import Criterion
from lotsenhaus.notifications.models import Notification
from tests.pipeline import build_world, explore

pytestmark = pytest.mark.django_db


def test_the_button_of_a_notification_says_oeffnen_not_offen():
    world = build_world()
    Notification.objects.create(user=world.owner, topic="need_status", title="T", url="/", key="k", email="none")
    html = world.client(world.owner).get(reverse("notifications:list")).content.decode()
    assert "Öffnen<span" in html and ">Offen<" not in html


def test_an_exclusion_criterion_is_named_in_german_on_the_sheet():
    from lotsenhaus.evaluations import services

    world = build_world()
    explore(world)
    from lotsenhaus.needs.models import Need

    evaluation = services.evaluation_start(actor=world.coordinator, need=Need.objects.get(pk=world.need.pk))
    criterion = services.criterion_add(
        actor=world.coordinator, evaluation=evaluation, kind="exclusion", name="EU-Hosting"
    )
    with translation.override("de"):
        form = score_form(evaluation, list(Criterion.objects.filter(pk=criterion.pk)), {})
        assert str(form.fields[f"c{criterion.pk}"].label) == "EU-Hosting (Ausschlusskriterium)"
