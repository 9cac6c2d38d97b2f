"""Every page of the platform, as every role, through axe-core in headless Chromium.

The URL patterns are read from Django's resolver, so a new page joins this sweep by itself: a pattern with
parameters must be given real arguments in ``ARGS`` below or be named in ``NOT_PAGES`` (POST-only actions and
downloads), or the sweep fails. Each role first fetches every page with Django's test client; every page it is
served (200, and the 400/403/404 pages people see) goes through axe unless both its shell (header,
navigation, footer) and its main part were already audited in the same structure (text and ids aside).
Forms with errors, empty states and htmx fragments are in test_accessibility.py.
"""

import hashlib
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from lotsenhaus.core.roles import Role
from tests.factories import make_person

from .conftest import browser_context
from .test_accessibility import _audit, _campus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SKIP_PREFIXES = (
    "admin:",
    "api-v1:",
    "socialaccount",
    "openid_connect",
    "account_confirm",
    "account_reset_password_from",
)

# POST-only actions (a GET is refused with 405) and downloads (not HTML): covered by their apps' tests.
NOT_PAGES = {
    "organisations:member_remove", "organisations:member_role",
    "needs:call_publish", "needs:transition", "needs:answers_export", "needs:answer_withdraw",
    "needs:attachment", "needs:attachment_remove", "needs:feed",
    "startups:solutions_export", "startups:verify", "startups:solution_delete", "startups:image_remove",
    "startups:image", "startups:item_remove",
    "airegister:export_json", "airegister:export_csv", "airegister:export_algoritmeregister", "airegister:dcat",
    "airegister:export_atrs",
    "airegister:transition",
    "airegister:sign_off",
    "matching:reindex", "exploration:start", "exploration:report_download", "exploration:question_share",
    "evaluations:start", "evaluations:open", "evaluations:close", "evaluations:criterion_remove",
    "pilots:start", "pilots:milestone_done", "pilots:risk_resolve",
    "notifications:read_all", "notifications:read",
    "knowledge:action", "events:feed", "events:ics", "events:action", "events:cancel_registration",
    "accounts:api_token_revoke", "accounts:personal_data_export",
    "account_logout", "healthz", "livez", "metrics", "core:audit_log_export", "set_language",
    "airegister:duty_check", "airegister:reader_answer", "exploration:question_answer", "exploration:report",
    "matching:digest", "organisations:member_add", "startups:claim", "startups:image_add", "startups:item_add",
    "procurement:change_decide",
}  # fmt: skip

# Pages that only a step of signing in shows; audited in test_accessibility.py and the sign-in flow tests.
ONLY_WHILE_SIGNING_IN = {
    "account_set_password", "mfa_activate_totp", "mfa_authenticate", "mfa_deactivate_totp",
    "mfa_download_recovery_codes", "mfa_generate_recovery_codes", "mfa_view_recovery_codes",
}  # fmt: skip

# Attribute values and text differ between roles and objects; axe's checks depend on the structure, the
# classes (colours) and on whether a name is there at all. Pages equal in that are audited once.
_VALUES = re.compile(
    r'\s(href|action|value|id|for|name|src|datetime|title|content|placeholder|aria-[a-z]+|data-[\w-]+|hx-[\w-]+)="[^"]+"'
)


def _patterns(patterns: Any = None, namespace: str = "") -> list[tuple[str, list[str]]]:
    found = []
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            inner = f"{namespace}{p.namespace}:" if p.namespace else namespace
            found += _patterns(p.url_patterns, inner)
        elif isinstance(p, URLPattern) and p.name:
            found.append((namespace + p.name, list(p.pattern.converters)))
    return found


def _args(world: Any, campus: dict[str, Any], objects: dict[str, Any]) -> dict[str, list[list[Any]]]:
    need, startup, solution = world.need.pk, world.startups[0].pk, world.solutions[0].pk
    use_case = objects["use_case"]
    return {
        "organisations:detail": [[world.authority.pk]],
        "organisations:edit": [[world.authority.pk]],
        "organisations:member_add": [[world.authority.pk]],
        "needs:call": [[objects["call"].pk]],
        "needs:detail": [[need], [objects["draft"].pk]],
        "needs:step": [[objects["draft"].pk, step] for step in objects["steps"]],
        "needs:answer": [[objects["open_need"].pk]],
        "startups:import_preview": [[objects["import"].pk]],
        "startups:detail": [[startup]],
        "startups:edit": [[startup]],
        "startups:claim": [[objects["scouted"].pk]],
        "startups:solution_create": [[startup]],
        "startups:solution_edit": [[startup, solution]],
        "startups:image_add": [[startup, solution]],
        "startups:item_add": [[startup, kind] for kind in ("certification", "reference", "contact")],
        "airegister:detail": [[use_case.pk]],
        "airegister:edit": [[use_case.pk]],
        "airegister:assess": [[use_case.pk]],
        "airegister:duty_check": [[objects["published_use_case"].pk, "ai_literacy"]],
        "airegister:reader_answer": [[objects["published_use_case"].pk, objects["message"].pk]],
        "airegister:public_detail": [[objects["published_use_case"].public_id]],
        "airegister:public_version": [[objects["published_use_case"].public_id, 1]],
        "needs:matches": [[need]],
        "startups:matches": [[startup]],
        "matching:unsubscribe": [[objects["digest_token"]], ["ungueltig"]],
        "exploration:workspace": [[need]],
        "exploration:ask": [[need]],
        "exploration:report": [[need]],
        "exploration:candidate": [[objects["candidate"].pk]],
        "exploration:question_answer": [[objects["question"].pk]],
        "evaluations:overview": [[need]],
        "evaluations:sheet": [[need]],
        "evaluations:matrix": [[need]],
        "evaluations:criterion_edit": [[objects["criterion"].pk]],
        "pilots:for_need": [[need], [objects["pilot_design"].pk]],
        "pilots:detail": [[objects["pilot"].pk]],
        "procurement:limit_edit": [[objects["limit"].pk]],
        "notifications:unsubscribe": [[objects["unsubscribe_token"]], ["ungueltig"]],
        "knowledge:detail": [[a.pk] for a in campus["articles"]] + [[campus["review"].pk]],
        "knowledge:edit": [[campus["review"].pk]],
        "knowledge:expert": [[campus["profile"].pk]],
        "events:detail": [[campus["event"].pk]],
        "events:edit": [[campus["event"].pk]],
        "advisory:detail": [[campus["enrolment"].pk]],
    }


def _world() -> tuple[Any, dict[str, Any], dict[str, Any]]:
    import datetime
    from decimal import Decimal

    from django.utils import timezone

    from lotsenhaus.airegister import services as register
    from lotsenhaus.exploration.services import question_ask
    from lotsenhaus.matching.models import DigestSubscription
    from lotsenhaus.needs import services as needs
    from lotsenhaus.needs.forms import STEPS
    from lotsenhaus.notifications.services import unsubscribe_token
    from lotsenhaus.procurement.models import ValueLimit
    from lotsenhaus.startups import services as startup_services
    from lotsenhaus.startups.models import StartupProfile
    from tests.pipeline import build_world, evaluate, explore, published_use_case, run_pilot

    world = build_world()
    _, candidates = explore(world)
    question = question_ask(actor=world.members[0], candidate=candidates[0], text="Gibt es Testdaten?")
    evaluate(world, candidates)
    pilot = run_pilot(world, candidates[0])
    campus = _campus(world)
    draft = needs.need_create(
        actor=world.owner, organisation=world.authority, title="Entwurf", problem="P", desired_outcome="D"
    )
    open_need = build_world(" II").need
    call = needs.call_create(
        actor=world.coordinator, title="KI", theme="Anträge", deadline=timezone.localdate() + datetime.timedelta(days=9)
    )
    use_case = register.use_case_create(
        actor=world.owner, organisation=world.authority, name="Chatbot", short_description="Antwortet"
    )
    published = published_use_case(world.authority, world.coordinator, "Übersetzer")
    message = register.reader_message_send(use_case=published, kind="question", message="Wie geht das?")
    design = build_world(" III")
    _, design_candidates = explore(design)
    evaluate(design, design_candidates)
    setup = build_world(" IV")  # an evaluation still being set up: its criteria can be edited
    explore(setup)
    from lotsenhaus.evaluations import services as evaluations

    setup_evaluation = evaluations.evaluation_start(
        actor=setup.coordinator, need=type(setup.need).objects.get(pk=setup.need.pk)
    )
    criterion = evaluations.criterion_add(
        actor=setup.coordinator, evaluation=setup_evaluation, kind="exclusion", name="EU-Hosting"
    )
    subscription = DigestSubscription.objects.create(user=world.members[0], token="t" * 40)
    objects = {
        "pilot_design": design.need,
        "digest_token": subscription.token,
        "unsubscribe_token": unsubscribe_token(world.members[0].pk, "answer"),
        "draft": draft,
        "steps": [name for name, _label, _form in STEPS],
        "open_need": open_need,
        "call": call,
        "import": startup_services.import_preview(
            actor=world.coordinator,
            file_name="liste.csv",
            content=b"Name;Website\nHafenblick GmbH;hafenblick.example\n",
        ),
        "scouted": StartupProfile.objects.filter(scouted=True).first() or world.startups[2],
        "use_case": use_case,
        "published_use_case": published,
        "message": message,
        "candidate": candidates[0],
        "question": question,
        "pilot": pilot,
        "criterion": criterion,
        # Migrations seed the limits, but a transactional test before this one may have emptied the table.
        "limit": ValueLimit.objects.first()
        or ValueLimit.objects.create(
            key="direct_award",
            jurisdiction="DE-HH",
            amount=Decimal(3000),
            valid_from=datetime.date(2026, 1, 1),
            source="Test",
        ),
    }
    return world, campus, objects


def _structure(html: str) -> str:
    html = _VALUES.sub(r' \1="x"', html)
    html = re.sub(r"\s([\w-]+)='[^']*'", r" \1='x'", html)  # hx-headers carries the CSRF token
    html = re.sub(r">[^<]*\S[^<]*<", ">x<", html)  # any text becomes one letter: present, but not compared
    return hashlib.sha256(html.encode()).hexdigest()


def _keys(response: Any) -> set[str]:
    """The page's shell (header, navigation, footer – the same on every page of a role) and its main part.

    A page is audited when either is new, so every shell and every kind of main content is seen by axe once.
    """
    html = response.content.decode()
    head, _, rest = html.partition("<main")
    main, _, tail = rest.partition("</main>")
    shell = re.sub(r'\s(?:aria-current|class)="[^"]*"', "", head + tail)  # which navigation item is current
    return {"shell" + _structure(shell), f"main{response.status_code}" + _structure(main)}


def test_every_page_as_every_role_passes_axe(browser, live_server):
    world, campus, objects = _world()
    args = _args(world, campus, objects)
    patterns = [(name, params) for name, params in _patterns() if not name.startswith(SKIP_PREFIXES)]
    unknown = [n for n, params in patterns if params and n not in args and n not in NOT_PAGES]
    assert not unknown, f"give these pages arguments in ARGS or name them in NOT_PAGES: {unknown}"
    urls = {}
    for name, params in patterns:
        if name in NOT_PAGES:
            continue
        for values in args.get(name, [[]]) if params else [[]]:
            urls[reverse(name, args=values)] = name
    people = {
        "anonymous": None,
        "startup A": world.members[0],
        "startup B": world.members[2],
        "need owner X": world.owner,
        "member Y": world.other_owner,
        "expert": world.expert,
        "coordinator": world.coordinator,
        "admin": make_person(Role.PLATFORM_ADMIN),
    }
    served: dict[str, set[str]] = {}
    seen: set[str] = set()
    audited = 0
    violations: list[str] = []
    for role, person in people.items():
        client = Client()
        if person is not None:
            client.force_login(person)
        page = None
        for url, name in urls.items():
            response = client.get(url)
            assert response.status_code < 500, f"{role} {url}: HTTP {response.status_code}"
            if response.status_code not in (200, 400, 403, 404) or "text/html" not in response["Content-Type"]:
                continue  # redirects (to the sign-in) and refusals of a method
            if response.status_code == 200:
                served.setdefault(name, set()).add(role)
            keys = _keys(response)
            if keys <= seen:
                continue
            seen |= keys
            audited += 1
            page = page or browser_context(browser, live_server, person).new_page()
            page.goto(live_server.url + url)
            violations += [f"[{role}] {v}" for v in _audit(page, url)]
    never = sorted(set(urls.values()) - set(served) - ONLY_WHILE_SIGNING_IN)
    print(f"\n{len(urls)} pages × {len(people)} roles: {audited} distinct pages audited by axe")
    assert not never, f"pages no role was shown (give them working arguments): {never}"
    assert violations == [], "\n".join(violations)
