"""The unit's pipeline overview (issue 17): every need with stage, owner, coordinator, days in stage and next
action, as a table and a board, with counts, filters for every state, saved views and bulk actions."""

import datetime
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lotsenhaus.core.models import AuditEntry
from lotsenhaus.core.roles import Role
from lotsenhaus.needs import services
from lotsenhaus.needs.models import Need, PipelineView, Status
from lotsenhaus.notifications.models import Notification
from tests.factories import make_person
from tests.pipeline import build_world

pytestmark = pytest.mark.django_db

URL = reverse("needs:pipeline")


def _draft(world, title, submit=False):
    need = services.need_create(
        actor=world.owner,
        organisation=world.authority,
        title=title,
        problem="Ein Problem",
        desired_outcome="Ein Ziel",
        protection_class="internal",
        contact_name="Bea",
        contact_email="bea@example.org",
    )
    if submit:
        need = services.need_transition(actor=world.owner, need=need, action="submit")
    return need


def test_only_the_unit_sees_the_pipeline():
    world = build_world()
    assert world.client(world.owner).get(URL).status_code == 403
    assert world.client(world.members[0]).get(URL).status_code == 403
    assert world.client(world.coordinator).get(URL).status_code == 200


def test_every_state_is_listed_and_counted_and_filterable():
    world = build_world()
    _draft(world, "Entwurf A")
    _draft(world, "Prüfung B", submit=True)
    client = world.client(world.coordinator)
    response = client.get(URL)
    stages = {s["value"]: s["count"] for s in response.context["stages"]}
    assert stages[Status.DRAFT] == 1 and stages[Status.IN_REVIEW] == 1 and stages[Status.PUBLISHED] == 1
    filtered = client.get(URL, {"status": "in_review"}).context
    assert [row["need"].title for row in filtered["rows"]] == ["Prüfung B"] and filtered["shown"] == 1
    both = client.get(URL, {"status": ["draft", "in_review"]}).context["rows"]
    assert {row["need"].title for row in both} == {"Entwurf A", "Prüfung B"}
    # The dashboard's card leads to the filtered overview without a form error (D5).
    assert client.get(URL + "?status=in_review").context["form"].is_valid()


def test_switching_between_table_and_board_keeps_every_filter():
    """The switch dropped all but the last value of a filter chosen twice and did not encode its values."""
    world = build_world()
    _draft(world, "Entwurf A")
    _draft(world, "Prüfung B", submit=True)
    client = world.client(world.coordinator)

    def switch(response):  # the page head's button, as the browser follows it
        link = re.search(
            r'<div class="page-head">.*?<a class="kern-btn[^"]*" href="([^"]+)"', response.content.decode(), re.S
        )
        assert link is not None
        return client.get(URL + html.unescape(link.group(1)))

    board = switch(client.get(URL, {"status": ["draft", "in_review"], "q": "A & B"}))
    assert board.context["board_view"] and board.context["form"].cleaned_data["q"] == "A & B"
    assert set(board.context["form"].cleaned_data["status"]) == {"draft", "in_review"}
    back = switch(board)
    assert not back.context["board_view"]
    assert set(back.context["form"].cleaned_data["status"]) == {"draft", "in_review"}


def test_next_action_and_days_in_stage():
    world = build_world()
    rows = world.client(world.coordinator).get(URL).context["rows"]
    row = next(r for r in rows if r["need"].pk == world.need.pk)
    assert row["days"] == 0 and row["action"]
    world.need.answer_deadline = timezone.localdate() - datetime.timedelta(days=1)
    world.need.save()
    overdue = world.client(world.coordinator).get(URL, {"overdue": "on"}).context["rows"]
    assert [r["need"].pk for r in overdue] == [world.need.pk]


def test_the_table_has_a_fixed_number_of_queries():
    world = build_world()
    client = world.client(world.coordinator)
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for n in range(8):
        _draft(world, f"Weitere {n}", submit=n % 2 == 0)
    with CaptureQueriesContext(connection) as many:
        client.get(URL)
    assert len(many) == len(few)
    with CaptureQueriesContext(connection) as board_few:
        client.get(URL, {"view": "board"})
    _draft(world, "Noch einer", submit=True)
    with CaptureQueriesContext(connection) as board_many:
        client.get(URL, {"view": "board"})
    assert len(board_many) == len(board_few)


def test_board_groups_needs_by_stage():
    world = build_world()
    _draft(world, "Prüfung B", submit=True)
    columns = world.client(world.coordinator).get(URL, {"view": "board"}).context["columns"]
    by_stage = {c["value"]: [row["need"].title for row in c["cards"]] for c in columns}
    assert by_stage["in_review"] == ["Prüfung B"] and by_stage["published"] == [world.need.title]


def test_bulk_publish_publishes_what_it_can_and_names_the_rest():
    world = build_world()
    first = _draft(world, "Prüfung 1", submit=True)
    second = _draft(world, "Prüfung 2", submit=True)
    draft = _draft(world, "Noch Entwurf")
    deadline = (timezone.localdate() + datetime.timedelta(days=14)).isoformat()
    response = world.client(world.coordinator).post(
        URL + "?status=in_review",
        {"form": "bulk", "ids": [first.pk, second.pk, draft.pk], "action": "publish", "answer_deadline": deadline},
        follow=True,
    )
    assert response.status_code == 200
    statuses = dict(Need.objects.filter(pk__in=[first.pk, second.pk, draft.pk]).values_list("pk", "status"))
    assert statuses == {first.pk: "published", second.pk: "published", draft.pk: "draft"}
    levels = [m.level_tag for m in response.context["messages"]]
    assert "success" in levels and "error" in levels


def test_bulk_assign_sets_the_coordinator_tells_them_and_is_audited():
    world = build_world()
    colleague = make_person(Role.COORDINATOR, organisation=world.coordinator.memberships.get().organisation)
    client = world.client(world.coordinator)
    client.post(URL, {"form": "bulk", "ids": [world.need.pk], "action": "assign", "coordinator": colleague.pk})
    world.need.refresh_from_db()
    assert world.need.coordinator == colleague
    assert Notification.objects.filter(user=colleague, topic="need_status").count() == 1
    assert AuditEntry.objects.filter(action="need.assign", object_id=str(world.need.pk)).exists()
    mine = world.client(colleague).get(URL, {"coordinator": "me"}).context["rows"]
    assert [r["need"].pk for r in mine] == [world.need.pk]
    # Only people of the unit can coordinate.
    client.post(URL, {"form": "bulk", "ids": [world.need.pk], "action": "assign", "coordinator": world.owner.pk})
    world.need.refresh_from_db()
    assert world.need.coordinator == colleague


def test_bulk_export_contains_only_the_chosen():
    world = build_world()
    other = _draft(world, "Nicht gewählt", submit=True)
    response = world.client(world.coordinator).post(URL, {"form": "bulk", "ids": [world.need.pk], "action": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert world.need.title in text and other.title not in text


def test_bulk_without_a_choice_changes_nothing():
    world = build_world()
    response = world.client(world.coordinator).post(URL, {"form": "bulk", "action": "publish"}, follow=True)
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_saved_views_belong_to_their_owner():
    world = build_world()
    client = world.client(world.coordinator)
    client.post(URL + "?status=exploration&coordinator=me", {"form": "save_view", "name": "Meine Markterkundungen"})
    view = PipelineView.objects.get(owner=world.coordinator)
    assert "status=exploration" in view.query and "coordinator=me" in view.query
    assert [v.name for v in client.get(URL).context["saved_views"]] == ["Meine Markterkundungen"]
    colleague = make_person(Role.COORDINATOR)
    assert list(world.client(colleague).get(URL).context["saved_views"]) == []
    world.client(colleague).post(URL, {"form": "delete_view", "view": view.pk})
    assert PipelineView.objects.filter(pk=view.pk).exists()
    client.post(URL, {"form": "delete_view", "view": view.pk})
    assert not PipelineView.objects.filter(pk=view.pk).exists()


def test_dashboard_cards_count_and_link_to_the_overview():
    world = build_world()
    _draft(world, "Prüfung B", submit=True)
    cards = world.client(world.coordinator).get(reverse("dashboard")).context["cards"]
    review = next(c for c in cards if c["url"] == URL + "?status=in_review")
    assert review["count"] == 1


def test_jurors_find_their_evaluations_in_the_menu():
    world = build_world()
    for person in (world.owner, world.expert, world.coordinator):
        nav = world.client(person).get(reverse("dashboard")).context["nav_items"]
        assert reverse("evaluations:mine") in [item["url"] for item in nav]
    nav = world.client(world.members[0]).get(reverse("dashboard")).context["nav_items"]
    assert reverse("evaluations:mine") not in [item["url"] for item in nav]
