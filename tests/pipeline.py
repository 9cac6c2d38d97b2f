"""A small world for the venture-client pipeline: one published need, its authority, the unit, an expert and
three verified startups with a solution each, two of which answered."""

import datetime
from dataclasses import dataclass, fields
from typing import Any

from django.test import Client
from django.utils import timezone

from lotsenhaus.core.roles import Role
from lotsenhaus.needs import services as needs
from lotsenhaus.needs.models import Need
from lotsenhaus.organisations.models import OrganisationKind
from lotsenhaus.startups.models import Solution, StartupProfile, Verification
from tests.factories import OrganisationFactory, make_person


@dataclass
class World:
    authority: Any
    owner: Any
    other_owner: Any
    coordinator: Any
    expert: Any
    need: Need
    startups: list[Any]
    members: list[Any]
    solutions: list[Any]

    def fresh(self) -> "World":
        """The same world read again from the database: what a test changed in memory is gone, what the
        database holds now (after the previous test's savepoint was rolled back) is what it sees."""

        def again(obj: Any) -> Any:
            return type(obj).objects.get(pk=obj.pk)

        values: dict[str, Any] = {}
        for field in fields(self):
            value = getattr(self, field.name)
            values[field.name] = [again(o) for o in value] if isinstance(value, list) else again(value)
        return World(**values)

    def client(self, user: Any) -> Client:
        client = Client()
        client.force_login(user)
        return client


def startup(name: str) -> tuple[StartupProfile, Any, Solution]:
    member = make_person(
        Role.STARTUP_MEMBER, organisation=OrganisationFactory.create(name=name, kind=OrganisationKind.STARTUP)
    )
    profile = StartupProfile.objects.create(
        organisation=member.memberships.get().organisation,
        verification=Verification.VERIFIED,
        contact_email=f"kontakt@{name.split()[0].lower()}.example",
    )
    solution = Solution.objects.create(
        profile=profile, name=f"{name.split()[0]} Assist", description="Texterkennung für Anträge"
    )
    return profile, member, solution


def build_world(tag: str = "") -> World:
    """``tag`` tells the organisations of a second world apart from the first."""
    authority = OrganisationFactory.create(name=f"Bezirksamt Altona{tag}", kind=OrganisationKind.BEZIRKSAMT)
    owner = make_person(Role.NEED_OWNER, organisation=authority)
    other_owner = make_person(Role.NEED_OWNER)
    coordinator = make_person(Role.COORDINATOR)
    expert = make_person(Role.EXPERT)
    need = needs.need_create(
        actor=owner,
        organisation=authority,
        title="Anträge automatisch vorprüfen",
        problem="Unvollständige Anträge binden viel Zeit in der Sachbearbeitung.",
        desired_outcome="Fehlende Unterlagen werden beim Eingang erkannt.",
        protection_class="internal",
        budget_max=90000,
    )
    needs.need_transition(actor=owner, need=need, action="submit")
    deadline = timezone.localdate() + datetime.timedelta(days=20)
    need = needs.need_transition(actor=coordinator, need=need, action="publish", answer_deadline=deadline)
    startups, members, solutions = [], [], []
    for name in ("Aktenblick GmbH", "Formfix UG", "Datenlotse GmbH"):
        profile, member, solution = startup(name + tag)
        startups.append(profile)
        members.append(member)
        solutions.append(solution)
    for member, solution in zip(members[:2], solutions[:2], strict=True):
        needs.answer_save(
            actor=member, need=need, solution=solution, approach="Wir prüfen Anträge mit KI.", cost_estimate=40000
        )
    return World(authority, owner, other_owner, coordinator, expert, need, startups, members, solutions)


def explore(world: World) -> tuple[Any, list[Any]]:
    """Exploration started; two answering startups on the short list, the third excluded with a reason."""
    from lotsenhaus.exploration import services as ex

    c = world.coordinator
    exploration = ex.exploration_start(actor=c, need=world.need, method="Plattformsuche und Netzwerk")
    first, second = exploration.candidates.order_by("pk")
    manual = ex.candidate_add(actor=c, exploration=exploration, startup=world.startups[2], note="Empfehlung")
    first = ex.candidate_update(actor=c, candidate=first, version=first.version, status="shortlist")
    second = ex.candidate_update(actor=c, candidate=second, version=second.version, status="shortlist")
    manual = ex.candidate_update(
        actor=c, candidate=manual, version=manual.version, status="excluded", exclusion_reason="Kein Hosting in der EU"
    )
    world.need.refresh_from_db()
    return exploration, [first, second, manual]


def evaluate(world: World, candidates: list[Any], *, submit: bool = True, close: bool = True) -> Any:
    """Evaluation with one weighted criterion, the need owner and the expert as jurors."""
    from decimal import Decimal

    from lotsenhaus.evaluations import services as ev

    c = world.coordinator
    evaluation = ev.evaluation_start(actor=c, need=world.need)
    criterion = ev.criterion_add(
        actor=c, evaluation=evaluation, kind="weighted", name="Qualität", weight=Decimal(100), levels=list("012345")
    )
    for person in (world.owner, world.expert):
        ev.evaluator_invite(actor=c, evaluation=evaluation, user=person)
    ev.evaluation_open(actor=c, evaluation=evaluation)
    first, second = candidates[:2]
    if submit:
        for person in (world.owner, world.expert):
            for candidate, points in ((first, 4), (second, 3)):
                ev.conflict_declare(actor=person, evaluation=evaluation, candidate=candidate, conflicted=False)
                ev.scores_save(
                    actor=person, evaluation=evaluation, candidate=candidate, values={criterion.pk: {"points": points}}
                )
            ev.evaluation_submit(actor=person, evaluation=evaluation)
        for candidate in (first, second):
            ev.price_set(actor=c, evaluation=evaluation, candidate=candidate, amount=Decimal(40000))
        if close:
            ev.evaluation_close(actor=c, evaluation=evaluation)
    world.need.refresh_from_db()
    return evaluation


def run_pilot(world: World, candidate: Any) -> Any:
    """A designed and started pilot with one KPI."""
    import datetime
    from decimal import Decimal

    from lotsenhaus.pilots import services as pi

    c = world.coordinator
    today = timezone.localdate()
    pilot = pi.pilot_create(actor=c, need=world.need, candidate=candidate)
    pilot = pi.pilot_update(
        actor=c,
        pilot=pilot,
        version=pilot.version,
        start_date=today,
        end_date=today + datetime.timedelta(days=90),
        budget=Decimal(40000),
        purchase_order="BA-1",
        exit_criteria="Quote unter 70 %",
        estimated_value=Decimal(40000),
        jurisdiction="hh",
        venture_client=True,
        subject_matter="digitalisation",
        procedure_start=datetime.date(2026, 12, 10),
        procedure_reason="Experimentierklausel",
        avv_done=True,
        dpia="no",
        hosting_checked=True,
        certifications_checked=True,
        accessibility_checked=True,
    )
    pi.kpi_add(actor=c, pilot=pilot, name="Bearbeitungszeit", unit="Tage", baseline=Decimal(30), target=Decimal(15))
    pilot = pi.pilot_start(actor=c, pilot=pilot)
    world.need.refresh_from_db()
    return pilot


def published_use_case(authority: Any, coordinator: Any, name: str) -> Any:
    """An AI use case of ``authority`` assessed by one admin, approved by another and published by the unit."""
    from lotsenhaus.airegister import services as register
    from lotsenhaus.organisations.models import MembershipRole

    editor = make_person(Role.NEED_OWNER, organisation=authority, membership_role=MembershipRole.ADMIN)
    use_case = register.use_case_create(
        actor=editor,
        organisation=authority,
        name=name,
        short_description="Erklärt",
        contact_email="ki@behoerde.example",
    )
    register.assessment_create(
        actor=editor,
        use_case=use_case,
        answers={"generated_content": True},
        justifications={"generated_content": "Texte"},
    )
    use_case = register.use_case_transition(actor=editor, use_case=use_case, action="submit")
    approver = make_person(Role.NEED_OWNER, organisation=authority, membership_role=MembershipRole.ADMIN)
    use_case = register.use_case_transition(actor=approver, use_case=use_case, action="approve")  # four eyes
    return register.use_case_transition(actor=coordinator, use_case=use_case, action="publish")


def coming_event(coordinator: Any, *, publish: bool = True, **fields: Any) -> Any:
    """An event in three days, published unless told otherwise."""
    from lotsenhaus.events import services as events

    start = timezone.now() + datetime.timedelta(days=3)
    data = {
        "kind": "workshop",
        "title": "Workshop Vergabe",
        "description": "Grundlagen",
        "starts_at": start,
        "ends_at": start + datetime.timedelta(hours=2),
        "place": "Campus",
        "online_url": "",
        "capacity": 2,
    }
    event = events.event_create(actor=coordinator, **{**data, **fields})
    return events.event_publish(actor=coordinator, event=event) if publish else event
