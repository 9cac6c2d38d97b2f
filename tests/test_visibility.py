"""Who may see what is declared once per model (``core.visibility``): the object rule and the lists derive from
the same condition. These tests hold every declaration against every object of the demo world and every person
in it (anonymous included), and check that the lists, feeds and the search show nothing beyond it.
"""

import datetime
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from lotsenhaus.accounts.models import User
from lotsenhaus.core.visibility import Visibility, declared
from lotsenhaus.events import selectors as events
from lotsenhaus.events import services as event_services
from lotsenhaus.events.models import Event
from lotsenhaus.events.rules import VISIBLE_EVENTS
from lotsenhaus.knowledge.rules import READABLE_ARTICLES
from lotsenhaus.matching.selectors import search_hits
from lotsenhaus.needs import selectors as needs
from lotsenhaus.needs import services as need_services
from lotsenhaus.needs.models import Call, Need, Status
from lotsenhaus.needs.rules import VISIBLE_NEEDS
from lotsenhaus.startups.models import Solution
from lotsenhaus.startups.rules import VISIBLE_PROFILES

pytestmark = pytest.mark.django_db


def people() -> list[Any]:
    """Everyone of the demo world, fresh from the database (no role cache), and an anonymous visitor."""
    return [AnonymousUser(), *User.objects.filter(is_active=True).order_by("pk")]


def name(person: Any) -> str:
    return getattr(person, "email", "") or "anonymous"


@pytest.fixture(scope="module")
def world(demo_world: None, django_db_blocker: Any) -> None:
    """The demo world and what it lacks: calls (one published, one a draft) and an event still in planning."""
    with django_db_blocker.unblock():
        _build()


def _build() -> None:
    # The demo world has no call for proposals yet: one published, one still a draft.
    coordinator = User.objects.get(email="koordination@vce.hamburg.example")
    deadline = datetime.date.today() + datetime.timedelta(days=30)
    need_services.call_create(actor=coordinator, title="Entwurf einer Runde", theme="KI", deadline=deadline)
    published = need_services.call_create(actor=coordinator, title="Offene Runde", theme="KI", deadline=deadline)
    # Nor an event still in planning.
    starts = timezone.now() + datetime.timedelta(days=20)
    event_services.event_create(
        actor=coordinator, kind="workshop", title="Werkstatt in Planung", description="Noch offen.", starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2), place="Campus",
    )  # fmt: skip
    in_review = Need.objects.filter(status=Status.IN_REVIEW)[0]
    need_services.call_add_need(actor=coordinator, call=published, need=in_review)
    need_services.call_publish(actor=coordinator, call=published)


def test_every_object_rule_agrees_with_its_list_for_every_person(world: None) -> None:
    disagreements = []
    for visibility in declared():
        objects = list(visibility.model._default_manager.all())
        assert objects, f"the demo world has no {visibility.model.__name__} to check {visibility.permission} on"
        seen_by: dict[str, set[int]] = {}
        for person in people():
            by_rule = {obj.pk for obj in objects if person.has_perm(visibility.permission, obj)}
            by_list = set(
                visibility.restrict(visibility.model._default_manager.all(), person).values_list("pk", flat=True)
            )
            if by_rule != by_list:
                disagreements.append((visibility.permission, name(person), sorted(by_rule ^ by_list)))
            seen_by[name(person)] = by_list
        # The world tells the people apart (else nothing was tested): not everyone sees the same rows.
        assert len({frozenset(rows) for rows in seen_by.values()}) > 1, visibility.permission
    assert disagreements == []


def test_lists_and_feeds_show_only_what_the_rule_allows(world: None) -> None:
    public_needs = set(VISIBLE_NEEDS.public(Need.objects.all()).values_list("pk", flat=True))
    assert {c.pk for c in needs.need_board()} == public_needs
    assert {c.pk for c in needs.need_feed_items(limit=1000)} <= public_needs
    assert {e.pk for e in events.calendar_events()} <= {e.pk for e in VISIBLE_EVENTS.public(Event.objects.all())}
    for person in people():
        allowed = {c.pk for c in Need.objects.all() if person.has_perm("needs.view_need", c)}
        internal = {c.pk for c in Need.objects.all() if person.has_perm("needs.view_internal", c)}
        assert {c.pk for c in needs.needs_visible(user=person)} == allowed, name(person)
        if person.is_authenticated:
            assert {c.pk for c in needs.need_workspace(user=person)} == internal, name(person)
        assert internal <= allowed, name(person)
        calls = {c.pk for c in Call.objects.all() if person.has_perm("needs.view_call", c)}
        assert {c.pk for c in needs.call_list(user=person)} == calls, name(person)
        shown = {e.pk for e in events.event_list(user=person)} | {
            e.pk for e in events.event_list(user=person, filters={"when": "past"})
        }
        assert shown == {e.pk for e in Event.objects.all() if person.has_perm("events.view_event", e)}


def test_the_search_index_finds_only_what_the_rules_allow(world: None) -> None:
    """The search filters inside its index (facets), before the rows are read: what it finds and counts must stay
    within the declared visibility, or counts and titles would leak."""
    from lotsenhaus.matching.services import search_reindex

    search_reindex()
    by_kind: dict[str, Visibility[Any]] = {
        "need": VISIBLE_NEEDS,
        "startup": VISIBLE_PROFILES,
        "article": READABLE_ARTICLES,
    }
    leaks = []
    for person in people():
        outcome = search_hits(user=person, query="Daten KI Verwaltung Antrag Bürger", mode="hybrid")
        found: dict[str, set[int]] = {}
        for hit in outcome.hits + outcome.weak:
            kind, _sep, pk = hit.key.partition(":")
            found.setdefault(kind, set()).add(int(pk))
        for kind, ids in found.items():
            if kind == "solution":  # a solution is seen with its startup
                profiles = set(Solution.objects.filter(pk__in=ids).values_list("profile_id", flat=True))
                kind, ids = "startup", profiles
            visible = set(
                by_kind[kind]
                .restrict(by_kind[kind].model.objects.filter(pk__in=ids), person)
                .values_list("pk", flat=True)
            )
            if ids - visible:
                leaks.append((name(person), kind, sorted(ids - visible)))
        assert found, f"the search found nothing for {name(person)}: the test would prove nothing"
    assert leaks == []


def test_the_api_list_names_a_hidden_authority_only_to_whom_the_rule_allows_in_a_fixed_number_of_queries(
    world: None,
) -> None:
    """The list carries the rule's answer per row (Visibility.annotate), instead of one rule check per row."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    owner = User.objects.get(email="bedarf@bsw.hamburg.de")
    client = Client()
    client.force_login(owner)

    def listed() -> tuple[dict[int, str | None], int]:
        with CaptureQueriesContext(connection) as queries:
            rows = client.get("/api/v1/needs", {"page_size": "100"}).json()["results"]
        return {row["id"]: row["organisation"] for row in rows}, len(queries)

    _shown, few = listed()
    Need.objects.update(hide_organisation=True)
    shown, many = listed()
    assert many == few
    needs = {c.pk: c for c in Need.objects.select_related("organisation")}
    own = [pk for pk, name in shown.items() if name is not None]
    assert own and len(own) < len(shown)  # the world tells own needs from others'
    for pk, name in shown.items():
        expected = needs[pk].organisation.name if owner.has_perm("needs.view_internal", needs[pk]) else None
        assert name == expected, pk


def test_a_page_asks_each_rule_of_each_object_once(world: None) -> None:
    """A need's page asked the database whether its reader may see the need's internals three times and looked up
    the reader's startup twice (15 queries); now no query on it repeats another."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    owner = User.objects.get(email="bedarf@bsw.hamburg.de")
    need = Need.objects.filter(organisation__memberships__user=owner).first()
    assert need is not None
    client = Client()
    client.force_login(owner)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("needs:detail", args=[need.pk]))
    assert page.status_code == 200 and page.context["internal"]
    statements = [query["sql"] for query in queries.captured_queries]
    assert len(statements) == len(set(statements)), statements
    other = Need.objects.filter(status__in=[Status.DRAFT, Status.IN_REVIEW]).exclude(
        organisation__memberships__user=owner
    )[0]
    assert client.get(reverse("needs:detail", args=[other.pk])).status_code == 403
    assert client.get(reverse("needs:detail", args=[10**6])).status_code == 404


def test_a_rule_answer_is_remembered_while_reading_and_asked_again_after_a_write(world: None) -> None:
    """Within a GET the answer is remembered; a POST, which may change it, asks each time."""
    from django.http import HttpRequest, HttpResponse
    from django.test import RequestFactory

    from lotsenhaus.core.middleware import RememberRuleAnswersMiddleware

    owner = User.objects.get(email="bedarf@bsw.hamburg.de")
    own = Need.objects.filter(organisation__memberships__user=owner).first()
    need = Need.objects.exclude(organisation__memberships__user=owner).first()
    assert own is not None and need is not None

    def view(request: HttpRequest) -> HttpResponse:
        before = request.user.has_perm("needs.view_internal", need)
        Need.objects.filter(pk=need.pk).update(organisation=own.organisation)  # the request's own write
        after = request.user.has_perm("needs.view_internal", need)
        Need.objects.filter(pk=need.pk).update(organisation=need.organisation)
        return HttpResponse(f"{before} {after}")

    answers = {}
    for method in ("get", "post"):
        request = getattr(RequestFactory(), method)("/")
        request.user = User.objects.get(pk=owner.pk)
        answers[method] = RememberRuleAnswersMiddleware(view)(request).content.decode()
    assert answers == {"get": "False False", "post": "False True"}


def test_a_condition_taken_through_a_relation_selects_the_same_rows_as_the_rule(world: None) -> None:
    """``restrict_through`` (the condition on a joined table, for the database's indexes) against the plain
    question "is the related object visible?", for every relation to a declared model and every person."""
    from django.apps import apps

    checked, disagreements = 0, []
    for visibility in declared():
        for model in apps.get_models():
            for field in model._meta.get_fields():
                if not (field.many_to_one and field.concrete and field.related_model is visibility.model):
                    continue
                rows = model._default_manager.all()
                if not rows.exists():
                    continue
                checked += 1
                for person in people():
                    through = set(visibility.restrict_through(rows, person, field.name).values_list("pk", flat=True))
                    allowed = visibility.restrict(visibility.model._default_manager.all(), person)
                    plain = set(rows.filter(**{f"{field.name}__in": allowed}).values_list("pk", flat=True))
                    if through != plain:
                        disagreements.append((model.__name__, field.name, name(person), sorted(through ^ plain)))
    assert checked >= 5
    assert disagreements == []


def test_the_solution_list_shows_the_solutions_of_the_startups_the_directory_shows(world: None) -> None:
    from lotsenhaus.startups.selectors import solutions_of, startup_directory

    for person in [p for p in people() if p.is_authenticated]:
        for filters in [None, {}, {"q": "KI"}, {"verification": "verified"}]:
            profiles = set(startup_directory(user=person, filters=filters).values_list("pk", flat=True))
            expected = set(Solution.objects.filter(profile__in=profiles).values_list("pk", flat=True))
            assert {s.pk for s in solutions_of(user=person, filters=filters)} == expected, (name(person), filters)


def test_the_solution_list_without_filters_asks_without_a_subquery(world: None) -> None:
    """The API sends its filters' defaults (with_references=false): they filter nothing and must not add the
    subquery whose plan PostgreSQL got wrong after a bulk load (2.4 s per page at 10k startups)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lotsenhaus.startups.selectors import solutions_of

    person = User.objects.get(email="startup@aktenblick.example")
    for filters in [None, {}, {"with_references": False}]:
        with CaptureQueriesContext(connection) as queries:
            list(solutions_of(user=person, filters=filters)[:50])
        assert "IN (SELECT" not in queries.captured_queries[-1]["sql"].upper(), filters
    with CaptureQueriesContext(connection) as queries:
        list(solutions_of(user=person, filters={"q": "KI"})[:50])
    assert "IN (SELECT" in queries.captured_queries[-1]["sql"].upper()  # a real filter still applies
