"""The permission matrix: every role × every kind of confidential object × every action, in the browser and
through the API alike, plus the places where objects leak most easily: lists, search, feeds, exports,
e-mails and notifications.

One world is built, then every case runs for every role and the outcome is compared with the expected set of
roles. All differences are reported at once, as a table, and the whole matrix is printed (``pytest -s``).
"""

import datetime
import json
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from lotsenhaus.airegister import services as register
from lotsenhaus.core.roles import Role
from lotsenhaus.knowledge import services as knowledge
from lotsenhaus.needs import services as needs
from lotsenhaus.needs.models import Answer
from lotsenhaus.notifications.models import Notification
from tests.factories import make_person
from tests.pipeline import build_world, evaluate, explore, run_pilot

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "startup A", "startup B", "need owner X", "member Y", "expert", "coordinator", "admin"]
EVERYONE = frozenset(ROLES)
SIGNED_IN = EVERYONE - {"anonymous"}

DRAFT = "Entwurf Schwimmbadplanung"
PUBLISHED = "Offener Bedarf Baumkataster"
ANSWER = "Antwort-A mit Geheimansatz"
USE_CASE = "KI-Fall Verkehrszaehlung intern"
ARTICLE = "Interne Notiz zur Vergabepraxis"
INVITED_CASE = "KI-Fall Bescheidprüfung zur Begutachtung"
PRIVATE_BIO = "Nebenprojekt Hafenlogistik"


def shown(response: Any, marker: str) -> bool:
    """The response was served and names the object (JSON compared after decoding its escapes)."""
    if response.status_code != 200:
        return False
    text = response.content.decode()
    if response["Content-Type"].startswith("application/json"):
        text = json.dumps(json.loads(text), ensure_ascii=False)
    return marker in text


def served(response: Any) -> bool:
    """A page or endpoint was served (200), not refused (403/404) or sent to the sign-in (302)."""
    assert response.status_code in (200, 302, 401, 403, 404), response.status_code
    return response.status_code == 200


def form_offered(response: Any) -> bool:
    """An empty POST to a form: allowed people get the form back with errors (200, 400, 422, or 409 for a stale
    version over the API), others are refused."""
    assert response.status_code in (200, 302, 400, 401, 403, 404, 409, 422), response.status_code
    return response.status_code in (200, 400, 409, 422)


@dataclass
class Case:
    obj: str
    action: str
    check: Callable[[Client], bool]
    allowed: AbstractSet[str]


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        w = build_world()
        expert = make_person(Role.EXPERT)
        draft = needs.need_create(
            actor=w.owner,
            organisation=w.authority,
            title=DRAFT,
            problem="Noch nicht abgestimmt.",
            desired_outcome="Abgestimmte Planung.",
        )
        published = needs.need_create(
            actor=w.owner,
            organisation=w.authority,
            title=PUBLISHED,
            problem="Das Baumkataster ist veraltet.",
            desired_outcome="Aktuelle Daten zu Straßenbäumen.",
            protection_class="public",
        )
        needs.need_transition(actor=w.owner, need=published, action="submit")
        published = needs.need_transition(
            actor=w.coordinator,
            need=published,
            action="publish",
            answer_deadline=datetime.date.today() + datetime.timedelta(days=30),
        )
        Answer.objects.filter(startup=w.startups[0]).update(approach=ANSWER)
        _, candidates = explore(w)
        evaluation = evaluate(w, candidates)
        pilot = run_pilot(w, candidates[0])
        use_case = register.use_case_create(
            actor=w.owner, organisation=w.authority, name=USE_CASE, short_description="Noch nicht veröffentlicht"
        )
        invited_case = register.use_case_create(
            actor=w.owner, organisation=w.authority, name=INVITED_CASE, short_description="Zur Prüfung"
        )
        register.use_case_invite_expert(actor=w.coordinator, use_case=invited_case, expert=expert)
        knowledge.expert_profile_save(
            actor=make_person(Role.EXPERT, name="Erika Expertin"),
            headline="KI",
            expertise=["NLP"],
            languages=["Deutsch"],
            bio=PRIVATE_BIO,
            is_public=True,
            public_fields=["expertise"],
        )
        reviewer = make_person(Role.COORDINATOR)
        article = knowledge.article_create(
            actor=w.coordinator, kind="guide", title=ARTICLE, body="Nur für die Verwaltung.", visibility="internal"
        )
        knowledge.article_submit(actor=w.coordinator, article=article)
        knowledge.article_publish(actor=reviewer, article=article)
    people = {
        "startup A": w.members[0],
        "startup B": w.members[2],
        "need owner X": w.owner,
        "member Y": w.other_owner,
        "expert": expert,
        "coordinator": w.coordinator,
        "admin": make_person(Role.PLATFORM_ADMIN),
    }
    return {
        "w": w,
        "draft": draft,
        "published": published,
        "evaluation": evaluation,
        "pilot": pilot,
        "use_case": use_case,
        "invited_case": invited_case,
        "article": article,
        "people": people,
    }


def cases(world: dict[str, Any]) -> list[Case]:
    w, draft, published, pilot = world["w"], world["draft"], world["published"], world["pilot"]
    need, use_case, article = w.need, world["use_case"], world["article"]
    invited = world["invited_case"]
    startup_a = w.startups[0]
    # Platform admins may do everything (they run the platform); they hold no role of their own.
    unit = frozenset({"coordinator", "admin"})
    owner_and_unit = unit | {"need owner X"}
    pilot_people = owner_and_unit | {"startup A"}
    administration = owner_and_unit | {"member Y", "expert"}
    startups = frozenset({"startup A", "startup B"})

    def page(name: str, *args: Any, query: dict[str, str] | None = None) -> Callable[[Client], Any]:
        return lambda c: c.get(reverse(name, args=args), query or {})

    def lists(fetch: Callable[[Client], Any], marker: str) -> Callable[[Client], bool]:
        return lambda c: shown(fetch(c), marker)

    def opens(fetch: Callable[[Client], Any]) -> Callable[[Client], bool]:
        return lambda c: served(fetch(c))

    def api(url: str, **query: str) -> Callable[[Client], Any]:
        return lambda c: c.get(url, query)

    def writes(method: str, url: str, body: dict[str, Any]) -> Callable[[Client], bool]:
        """A write that passes the permission check but is refused on its content (stale version, closed
        evaluation, empty form), so the matrix changes nothing."""
        if method == "post":
            return lambda c: form_offered(c.post(url, body))
        return lambda c: form_offered(getattr(c, method)(url, json.dumps(body), content_type="application/json"))

    search = "matching:search"
    return [
        # A draft need: its owner and the unit (which advises on drafts), nowhere public.
        Case("draft need", "list (workspace)", lists(page("needs:workspace"), DRAFT), owner_and_unit),
        Case("draft need", "list (board)", lists(page("needs:board"), DRAFT), set()),
        Case("draft need", "view", opens(page("needs:detail", draft.pk)), owner_and_unit),
        Case(
            "draft need",
            "change",
            writes("post", reverse("needs:step", args=[draft.pk, "problem"]), {}),
            owner_and_unit,
        ),
        Case("draft need", "API view", opens(api(f"/api/v1/needs/{draft.pk}")), owner_and_unit),
        Case("draft need", "API list (board)", lists(api("/api/v1/needs"), DRAFT), set()),
        Case(
            "draft need",
            "API list (workspace)",
            lists(api("/api/v1/needs", scope="workspace"), DRAFT),
            owner_and_unit,
        ),
        Case(
            "draft need",
            "API change",
            writes("patch", f"/api/v1/needs/{draft.pk}", {"version": 0, "title": DRAFT}),
            owner_and_unit,
        ),
        Case("draft need", "search", lists(page(search, query={"q": "Schwimmbadplanung"}), DRAFT), owner_and_unit),
        Case("draft need", "API search", lists(api("/api/v1/search", q="Schwimmbadplanung"), DRAFT), owner_and_unit),
        Case("draft need", "feed", lists(page("needs:feed"), DRAFT), set()),
        # A published need is public; once published only the unit changes it.
        Case("published need", "list", lists(page("needs:board"), PUBLISHED), EVERYONE),
        Case("published need", "view", opens(page("needs:detail", published.pk)), EVERYONE),
        Case("published need", "feed", lists(page("needs:feed"), PUBLISHED), EVERYONE),
        Case("published need", "API view", opens(api(f"/api/v1/needs/{published.pk}")), EVERYONE),
        Case("published need", "search", lists(page(search, query={"q": "Baumkataster"}), PUBLISHED), EVERYONE),
        Case(
            "published need",
            "change",
            writes("post", reverse("needs:step", args=[published.pk, "problem"]), {}),
            unit,
        ),
        Case(
            "published need",
            "API change",
            writes("patch", f"/api/v1/needs/{published.pk}", {"version": 0, "title": PUBLISHED}),
            unit,
        ),
        Case("published need", "create answer", opens(page("needs:answer", published.pk)), startups),
        # An answer: its startup, the need owner and the unit.
        Case(
            "answer",
            "view",
            lambda c: (
                shown(c.get(reverse("needs:detail", args=[need.pk])), ANSWER)
                or shown(c.get(reverse("needs:answer", args=[need.pk])), ANSWER)
            ),
            owner_and_unit | {"startup A"},
        ),
        Case("answer", "API list", lists(api(f"/api/v1/needs/{need.pk}/answers"), ANSWER), owner_and_unit),
        Case("answer", "export", opens(page("needs:answers_export", need.pk)), owner_and_unit),
        Case("answer", "search", lists(page(search, query={"q": "Geheimansatz"}), ANSWER), set()),
        # Scores and prices: the unit, and the jurors (here the need owner) once the evaluation is closed.
        Case("evaluation score", "view", opens(page("evaluations:matrix", need.pk)), owner_and_unit),
        Case("evaluation score", "API", opens(api(f"/api/v1/needs/{need.pk}/evaluation/matrix")), owner_and_unit),
        Case("price", "view", lists(page("evaluations:matrix", need.pk), "40.000"), owner_and_unit),
        Case(
            "price",
            "API change",
            writes("put", f"/api/v1/needs/{need.pk}/evaluation/prices/{pilot.candidate_id}", {"amount": "1"}),
            set(),  # the evaluation is closed: not even a platform admin changes a price now
        ),
        # The pilot: the need owner, the unit and the startup that runs it.
        Case("pilot", "list", lists(page("pilots:list"), need.title), pilot_people),
        Case("pilot", "view", opens(page("pilots:detail", pilot.pk)), pilot_people),
        Case("pilot", "API view", opens(api(f"/api/v1/pilots/{pilot.pk}")), pilot_people),
        Case("pilot", "API list", lists(api("/api/v1/pilots"), need.title), pilot_people),
        Case("pilot", "API change", writes("patch", f"/api/v1/pilots/{pilot.pk}", {"version": 0, "goal": "x"}), unit),
        # An unpublished AI use case: its authority, the unit and the AI experts who assess it; never in the
        # public register, its exports or its open data.
        Case("AI use case", "view", opens(page("airegister:detail", use_case.pk)), owner_and_unit),
        Case("AI use case", "API list", lists(api("/api/v1/use-cases"), USE_CASE), owner_and_unit),
        # … the expert reads the one the unit asked them to assess (design decision, docs/trust.md).
        Case("AI use case, invited", "view", opens(page("airegister:detail", invited.pk)), owner_and_unit | {"expert"}),
        Case(
            "AI use case, invited",
            "API list",
            lists(api("/api/v1/use-cases"), INVITED_CASE),
            owner_and_unit | {"expert"},
        ),
        Case("AI use case", "public list", lists(page("airegister:public_list"), USE_CASE), set()),
        Case("AI use case", "export JSON", lists(page("airegister:export_json"), USE_CASE), set()),
        Case("AI use case", "export CSV", lists(page("airegister:export_csv"), USE_CASE), set()),
        Case("AI use case", "open data (DCAT)", lists(page("airegister:dcat"), USE_CASE), set()),
        Case("AI use case", "public API", lists(api("/api/v1/ai-register"), USE_CASE), set()),
        # An internal article: the administration, the unit and experts; not startups, not the public.
        Case("internal article", "view", opens(page("knowledge:detail", article.pk)), administration),
        Case("internal article", "list", lists(page("knowledge:list"), ARTICLE), administration),
        Case("internal article", "API view", opens(api(f"/api/v1/articles/{article.pk}")), administration),
        Case("internal article", "API list", lists(api("/api/v1/articles"), ARTICLE), administration),
        Case("internal article", "change", writes("post", reverse("knowledge:edit", args=[article.pk]), {}), unit),
        Case("internal article", "search", lists(page(search, query={"q": "Vergabepraxis"}), ARTICLE), administration),
        # The audit log and exports.
        # A startup's contact details: the administration and the startup itself, never a competitor.
        Case(
            "startup contact",
            "view",
            lists(page("startups:detail", startup_a.pk), startup_a.contact_email),
            administration | {"startup A"},
        ),
        Case(
            "startup contact",
            "export",
            lists(page("startups:directory", query={"export": "csv"}), startup_a.contact_email),
            administration | unit,
        ),
        # Penetration test findings (tests/test_pentest.py has each in full).
        Case("admin site", "add an e-mail address", opens(lambda c: c.get("/admin/account/emailaddress/add/")), set()),
        Case("admin site", "change an authenticator", opens(lambda c: c.get("/admin/mfa/authenticator/")), {"admin"}),
        Case(
            "expert bio (private)",
            "public search",
            lists(api("/api/v1/experts", q=PRIVATE_BIO), "Expertin"),
            set(ROLES) - {"anonymous", "startup A", "startup B"},
        ),
        Case("audit log", "view", opens(page("core:audit_log")), unit),
        Case("export", "solutions (Excel)", opens(page("startups:solutions_export")), SIGNED_IN),
        Case(
            "export",
            "someone's personal data (API)",
            opens(api(f"/api/v1/people/{w.members[0].pk}/personal-data")),
            {"admin"},
        ),
    ]


def _client(person: Any) -> Client:
    client = Client()
    if person is not None:
        client.force_login(person)
    return client


def test_permission_matrix(world):
    people = {"anonymous": None, **world["people"]}
    clients = {role: _client(people[role]) for role in ROLES}
    table = []
    wrong = []
    for case in cases(world):
        actual = frozenset(role for role in ROLES if case.check(clients[role]))
        table.append(f"{case.obj:18} {case.action:36} " + " ".join("✔" if r in actual else "·" for r in ROLES))
        if actual != frozenset(case.allowed):
            wrong.append(f"{case.obj} / {case.action}: allowed {sorted(actual)}, expected {sorted(case.allowed)}")
    print("\n" + " " * 56 + " | ".join(ROLES) + "\n" + "\n".join(table))
    assert not wrong, "\n".join(wrong)


def test_no_e_mail_or_notification_tells_anyone_what_they_may_not_see(world):
    """Every e-mail and notification sent while the world was built, checked against who may see what."""
    people = world["people"]
    may_see = {
        DRAFT: {people["need owner X"]},
        ANSWER: {people["startup A"], people["need owner X"], people["coordinator"]},
        USE_CASE: {people["need owner X"], people["coordinator"]},
    }
    assert mail.outbox, "building the world sends e-mails"
    for message in mail.outbox:
        text = f"{message.subject}{message.body}"
        for marker, allowed in may_see.items():
            if marker in text:
                assert set(message.to) <= {p.email for p in allowed}, (marker, message.to)
    for note in Notification.objects.select_related("user"):
        for marker, allowed in may_see.items():
            if marker in f"{note.title} {note.body}":
                assert note.user in allowed, (marker, note.user)
