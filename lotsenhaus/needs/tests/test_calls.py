"""Bundled calls ("RFP bus"): several needs published together with one deadline."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lotsenhaus.needs import services
from lotsenhaus.needs.models import Status
from tests.pipeline import build_world
from tests.refusals import refused

pytestmark = pytest.mark.django_db
DEADLINE = timezone.localdate() + datetime.timedelta(days=40)


def test_a_call_publishes_its_needs_with_one_deadline_and_refuses_what_does_not_fit():
    world = build_world()
    c = world.coordinator
    with refused("invalid_date", field="deadline"):
        services.call_create(actor=c, title="KI im Bürgerservice", theme="Anträge", deadline=timezone.localdate())
    call = services.call_create(
        actor=c, title="KI im Bürgerservice", theme="Anträge schneller bearbeiten", deadline=DEADLINE
    )
    with refused("precondition"):
        services.call_publish(actor=c, call=call)
    draft = services.need_create(actor=world.owner, organisation=world.authority, title="Entwurf")
    with refused("wrong_state", field="need"):
        services.call_add_need(actor=c, call=call, need=draft)
    in_review = services.need_create(
        actor=world.owner,
        organisation=world.authority,
        title="Termine vorhersagen",
        problem="Warteschlangen",
        desired_outcome="Planbare Termine",
        protection_class="internal",
    )
    in_review = services.need_transition(actor=world.owner, need=in_review, action="submit")
    services.call_add_need(actor=c, call=call, need=in_review)
    services.call_add_need(actor=c, call=call, need=world.need)
    other = services.call_create(actor=c, title="Anderer Aufruf", theme="x", deadline=DEADLINE)
    with refused("wrong_state", field="need"):
        services.call_add_need(actor=c, call=other, need=world.need)
    public = Client()
    assert public.get(reverse("needs:call", args=[call.pk])).status_code == 403
    assert "KI im Bürgerservice" not in public.get(reverse("needs:calls")).content.decode()

    services.call_publish(actor=c, call=call)
    in_review.refresh_from_db()
    world.need.refresh_from_db()
    assert in_review.status == Status.PUBLISHED
    assert in_review.answer_deadline == world.need.answer_deadline == DEADLINE
    page = public.get(reverse("needs:call", args=[call.pk])).content.decode()
    assert "Termine vorhersagen" in page and world.need.title in page
    assert "Teil des Sammelaufrufs" in public.get(reverse("needs:detail", args=[in_review.pk])).content.decode()
    with refused("wrong_state"):
        services.call_remove_need(actor=c, call=call, need=in_review)


def test_the_unit_creates_and_fills_a_call_on_the_pages():
    world = build_world()
    client = world.client(world.coordinator)
    response = client.post(
        reverse("needs:calls"), {"form": "create", "create-title": "", "create-theme": "", "create-deadline": ""}
    )
    assert response.status_code == 422
    response = client.post(
        reverse("needs:calls"),
        {
            "form": "create",
            "create-title": "Sammelaufruf Mobilität",
            "create-theme": "Verkehr",
            "create-deadline": DEADLINE.isoformat(),
        },
    )
    assert response.status_code == 302
    detail = response["Location"]
    assert client.post(detail, {"form": "add", "add-need": world.need.pk}).status_code == 302
    assert client.post(detail.replace("/aufrufe/", "/aufrufe/").rstrip("/") + "/veroeffentlichen/").status_code == 302
    assert world.client(world.owner).post(reverse("needs:calls"), {"form": "create"}).status_code == 400
