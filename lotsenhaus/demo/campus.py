"""The campus in the demo, made with the real services: guides and lessons learned in the knowledge base,
expert profiles, events with a full workshop and its waiting list, and two startups in the advisory track
(one of them stuck)."""

import datetime
from pathlib import Path

from django.utils import timezone

from lotsenhaus.accounts.models import User
from lotsenhaus.advisory import services as advisory
from lotsenhaus.advisory.models import Enrolment
from lotsenhaus.events import services as events
from lotsenhaus.events.models import Event
from lotsenhaus.knowledge import services as knowledge
from lotsenhaus.knowledge.models import Article
from lotsenhaus.needs.models import Need, Status
from lotsenhaus.organisations.models import Organisation
from lotsenhaus.pilots.models import Pilot
from lotsenhaus.startups.models import StartupProfile, Verification

DATA = Path(__file__).parent / "data"


def _text(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def _publish(article: Article, author: User, reviewer: User) -> None:
    knowledge.article_submit(actor=author, article=article)
    knowledge.article_publish(actor=reviewer, article=article)


def build_knowledge(coordinator: User, admin: User, owner: User, expert: User) -> int:
    if Article.objects.exists():
        return 0
    guide = knowledge.article_create(
        actor=coordinator,
        kind="guide",
        title="Wie verkaufe ich an die Verwaltung?",
        summary="Vergabegrundlagen, Sicherheit und Datenschutz, Barrierefreiheit: was Startups wissen müssen.",
        body=_text("verwaltung-verkaufen.md"),
        tags=["Startups", "Vergabe", "Datenschutz", "Barrierefreiheit"],
        visibility="public",
    )
    _publish(guide, coordinator, admin)
    need_guide = knowledge.article_create(
        actor=coordinator,
        kind="guide",
        title="Wie schreibe ich einen guten Bedarf?",
        summary="Fünf Fragen, häufige Fehler und was nach dem Einreichen passiert.",
        body=_text("guter-bedarf.md"),
        tags=["Behörden", "Bedarf"],
        visibility="public",
    )
    _publish(need_guide, coordinator, admin)
    made = 2
    pilot = Pilot.objects.filter(decisions__decision="adopt").select_related("need", "startup").first()
    if pilot is not None:
        lessons = knowledge.article_create(
            actor=coordinator,
            kind="lessons_learned",
            title=f"Lessons Learned: {pilot.need.title}",
            summary=pilot.goal[:400],
            body=pilot.lessons_learned
            + "\n\nWas gut funktioniert hat: kurze Abstimmungswege, wöchentliche Termine mit dem Fachbereich.\n\n"
            "Was wir anders machen würden: Testdaten früher bereitstellen.",
            tags=["Pilot", "KI"],
            visibility="internal",
            pilot=pilot,
            needs=[pilot.need],
            startups=[pilot.startup],
        )
        _publish(lessons, coordinator, admin)
        made += 1
    review = knowledge.article_create(
        actor=expert,
        kind="best_practice",
        title="KI-Piloten prüfen: Eignung, Risiko, menschliche Aufsicht",
        summary="Drei Fragen, die das KI-Zentrum vor jedem KI-Pilot stellt.",
        body=_text("ki-pruefung.md"),
        tags=["KI", "KI-Verordnung"],
        visibility="public",
    )
    knowledge.article_submit(actor=expert, article=review)
    return made + 1


def build_experts(expert: User, owner: User) -> int:
    if hasattr(expert, "expert_profile"):
        return 0
    kiz = Organisation.objects.get(short_name="KIZ")
    knowledge.expert_profile_save(
        actor=expert,
        organisation=kiz,
        headline="Leiterin KI-Transfer, KI-Zentrum Hamburg",
        expertise=["Sprachmodelle", "KI-Verordnung", "Dokumentenverstehen", "Evaluation"],
        bio="Begleitet Behörden bei KI-Piloten von der Eignungsprüfung bis zur Bewertung.",
        languages=["Deutsch", "Englisch"],
        availability="limited",
        availability_note="bis zu zwei Jurys pro Quartal",
        is_public=True,
        public_fields=["organisation", "expertise", "languages", "availability"],
    )
    knowledge.expert_profile_save(
        actor=owner,
        organisation=owner.memberships.get().organisation,
        headline="Referent Digitalisierung Bauprüfung",
        expertise=["Bauantragsverfahren", "Fachverfahren", "E-Akte"],
        bio="Kennt die Bauprüfung aus der Praxis und hilft bei Bedarfen rund um Genehmigungsverfahren.",
        languages=["Deutsch"],
        availability="available",
        is_public=False,
    )
    return 2


def build_events(coordinator: User, people: list[User]) -> int:
    if Event.objects.exists():
        return 0
    now = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    published_needs = list(Need.objects.filter(status=Status.PUBLISHED).order_by("pk")[:3])
    pitch = events.event_create(
        actor=coordinator,
        kind="reverse_pitch",
        title="Reverse Pitch: Behörden stellen ihre Bedarfe vor",
        description="Drei Behörden stellen offene Bedarfe vor; danach Gespräche an Thementischen.",
        starts_at=(now + datetime.timedelta(days=12)).replace(hour=16),
        ends_at=(now + datetime.timedelta(days=12)).replace(hour=18),
        place="GovTech-Campus, Halle 2",
        online_url="",
        capacity=40,
        needs=published_needs,
    )
    workshop = events.event_create(
        actor=coordinator,
        kind="workshop",
        title="Workshop: Wie verkaufe ich an die Verwaltung?",
        description="Vergaberecht, Sicherheitsnachweise und Barrierefreiheit für Startups – mit Fragen aus der Praxis.",
        starts_at=(now + datetime.timedelta(days=20)).replace(hour=10),
        ends_at=(now + datetime.timedelta(days=20)).replace(hour=13),
        place="GovTech-Campus, Raum Elbe",
        online_url="https://video.example/workshop",
        capacity=2,
    )
    office = events.event_create(
        actor=coordinator,
        kind="office_hours",
        title="Sprechstunde der Venture-Client-Einheit",
        description="Offene Fragen zu Bedarfen, Antworten und Piloten – ohne Anmeldung zu einem Thema.",
        starts_at=(now + datetime.timedelta(days=1)).replace(hour=14),
        ends_at=(now + datetime.timedelta(days=1)).replace(hour=15),
        place="",
        online_url="https://video.example/sprechstunde",
        capacity=None,
    )
    for event in (pitch, workshop, office):
        events.event_publish(actor=coordinator, event=event)
    for person in people:
        events.registration_create(actor=person, event=workshop)
    events.registration_create(actor=people[0], event=pitch)
    return 3


def build_advisory(coordinator: User) -> int:
    if Enrolment.objects.exists():
        return 0
    today = timezone.localdate()
    aktenblick = StartupProfile.objects.get(organisation__name="Aktenblick GmbH")
    enrolment = advisory.enrolment_admit(
        actor=coordinator,
        startup=aktenblick,
        advisor=coordinator,
        admitted_on=today - datetime.timedelta(days=240),
        goals="Erste Piloten in der Bauprüfung, Zertifizierung nach BSI C5, Weg in den Regelbetrieb.",
    )
    first = enrolment.milestones.order_by("due_on")[0]
    advisory.milestone_complete(
        actor=coordinator, milestone=first, done_on=today - datetime.timedelta(days=170), note="Antwort auf Bauanträge"
    )
    advisory.session_add(
        actor=coordinator,
        enrolment=enrolment,
        held_on=today - datetime.timedelta(days=200),
        topic="Auftakt: Ziele und Meilensteinplan",
        notes="Ziele besprochen, Plan angepasst. Aktenblick bereitet Nachweise für das Hosting vor.",
        next_steps="Hosting-Konzept schicken; auf offene Bedarfe antworten.",
    )
    advisory.session_add(
        actor=coordinator,
        enrolment=enrolment,
        held_on=today - datetime.timedelta(days=30),
        topic="Vorbereitung Zertifizierung",
        notes="Gap-Analyse für BSI C5 besprochen; Kontakt zu einer Prüfstelle vermittelt.",
        next_steps="Angebot der Prüfstelle einholen.",
    )
    other = (
        StartupProfile.objects.filter(verification=Verification.VERIFIED)
        .exclude(pk=aktenblick.pk)
        .order_by("pk")
        .first()
    )
    made = 1
    if other is not None:
        advisory.enrolment_admit(
            actor=coordinator,
            startup=other,
            advisor=coordinator,
            admitted_on=today - datetime.timedelta(days=150),
            goals="Erste Antwort auf einen Bedarf, Referenz in einer Behörde.",
        )
        made += 1
    return made


def build(*, admin: User, coordinator: User, owner: User, expert: User, startup: User) -> int:
    made = build_knowledge(coordinator, admin, owner, expert)
    made += build_experts(expert, owner)
    made += build_events(coordinator, [startup, expert, owner])
    made += build_advisory(coordinator)
    return made
