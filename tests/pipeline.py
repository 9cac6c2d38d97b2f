"""A small world for the venture-client pipeline: one published need, its authority, the unit, an expert and
three verified startups with a solution each, two of which answered."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.test import Client
from django.utils import timezone

from lotsenhaus.challenges import services as needs
from lotsenhaus.challenges.models import Challenge
from lotsenhaus.core.roles import Role
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
    need: Challenge
    startups: list[Any]
    members: list[Any]
    solutions: list[Any]

    def client(self, user: Any) -> Client:
        client = Client()
        client.force_login(user)
        return client


def startup(name: str) -> tuple[StartupProfile, Any, Solution]:
    member = make_person(
        Role.STARTUP_MEMBER, organisation=OrganisationFactory(name=name, kind=OrganisationKind.STARTUP)
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


def build_world() -> World:
    authority = OrganisationFactory(name="Bezirksamt Altona", kind=OrganisationKind.BEZIRKSAMT)
    owner = make_person(Role.NEED_OWNER, organisation=authority)
    other_owner = make_person(Role.NEED_OWNER)
    coordinator = make_person(Role.COORDINATOR)
    expert = make_person(Role.EXPERT)
    need = needs.challenge_create(
        actor=owner,
        organisation=authority,
        title="Anträge automatisch vorprüfen",
        problem="Unvollständige Anträge binden viel Zeit in der Sachbearbeitung.",
        desired_outcome="Fehlende Unterlagen werden beim Eingang erkannt.",
        protection_class="internal",
        budget_max=90000,
    )
    needs.challenge_transition(actor=owner, challenge=need, action="submit")
    deadline = timezone.localdate() + datetime.timedelta(days=20)
    need = needs.challenge_transition(actor=coordinator, challenge=need, action="publish", answer_deadline=deadline)
    startups, members, solutions = [], [], []
    for name in ("Aktenblick GmbH", "Formfix UG", "Datenlotse GmbH"):
        profile, member, solution = startup(name)
        startups.append(profile)
        members.append(member)
        solutions.append(solution)
    for member, solution in zip(members[:2], solutions[:2], strict=True):
        needs.answer_save(
            actor=member, challenge=need, solution=solution, approach="Wir prüfen Anträge mit KI.", cost_estimate=40000
        )
    return World(authority, owner, other_owner, coordinator, expert, need, startups, members, solutions)
