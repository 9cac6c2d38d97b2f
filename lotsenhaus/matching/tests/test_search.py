"""Search in the product: index follows edits, permissions hold, bad input is harmless, explanations show."""

import json
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lotsenhaus.core.exceptions import ApplicationError
from lotsenhaus.core.roles import Role
from lotsenhaus.core.vocabulary import Technology
from lotsenhaus.matching import selectors, services
from lotsenhaus.matching.encoders import get_encoder
from lotsenhaus.matching.engine import Engine, Facets
from lotsenhaus.matching.models import DigestDelivery, SearchDocument
from lotsenhaus.matching.pipeline import document_terms, prepare_query
from lotsenhaus.needs import services as need_services
from lotsenhaus.needs.models import Need, Status
from lotsenhaus.organisations.models import OrganisationKind
from lotsenhaus.startups import services as startup_services
from lotsenhaus.startups.models import Solution, StartupProfile, Verification
from tests.factories import OrganisationFactory, make_person

pytestmark = pytest.mark.django_db

BAD_QUERIES = [
    "",
    "   ",
    "!!!",
    "?",
    '"',
    "*",
    "NEAR",
    "'",
    '"foo" NEAR/3 *bar*',
    "x" * 10_000,
    "日本語の検索",
    "ابحث",
    "🙂",
]


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def world():
    coordinator = make_person(Role.COORDINATOR)
    authority = OrganisationFactory.create(name="Hamburg Wasser", kind=OrganisationKind.LANDESBETRIEB)
    other_authority = OrganisationFactory.create(name="Bezirksamt Altona", kind=OrganisationKind.BEZIRKSAMT)
    owner = make_person(Role.NEED_OWNER, organisation=authority)
    other_owner = make_person(Role.NEED_OWNER, organisation=other_authority)
    startups = {}
    for name, verification in (("Leckwerk GmbH", Verification.VERIFIED), ("Geheim UG", Verification.UNVERIFIED)):
        org = OrganisationFactory.create(name=name, kind=OrganisationKind.STARTUP)
        member = make_person(Role.STARTUP_MEMBER, organisation=org)
        profile = StartupProfile.objects.create(organisation=org, verification=verification)
        startups[name] = (profile, member)
    verified, verified_member = startups["Leckwerk GmbH"]
    hidden, hidden_member = startups["Geheim UG"]
    leak = startup_services.solution_save(
        actor=coordinator,
        profile=verified,
        name="Leak detection",
        description="Acoustic sensors find leaks in the water network before pipes burst.",
        technologies=["iot"],
        maturity="in_use",
    )
    unrelated = startup_services.solution_save(
        actor=coordinator,
        profile=verified,
        name="School enrolment portal",
        description="Parents register their children for primary school online.",
        maturity="in_use",
    )
    secret = startup_services.solution_save(
        actor=coordinator,
        profile=hidden,
        name="Wasserleck-Radar",
        description="Unser Radar findet Lecks im Wassernetz.",
        maturity="prototype",
    )
    draft = need_services.need_create(
        actor=owner,
        organisation=authority,
        title="Lecks im Wassernetz früh erkennen",
        problem="Rohrbrüche im Wassernetz bemerken wir zu spät; Wasserverluste steigen.",
        technologies=["iot"],
    )
    public = Need.objects.create(
        organisation=other_authority,
        owner=other_owner,
        title="Wasserverluste im Leitungsnetz senken",
        problem="Im Leitungsnetz gehen jedes Jahr Millionen Liter Wasser durch Lecks verloren.",
        status=Status.PUBLISHED,
        published_at=timezone.now(),
    )
    services.search_documents_sync(keys=[("need", public.pk)])
    return {
        "coordinator": coordinator,
        "owner": owner,
        "other_owner": other_owner,
        "verified_member": verified_member,
        "hidden_member": hidden_member,
        "leak": leak,
        "secret": secret,
        "unrelated": unrelated,
        "draft": draft,
        "public": public,
        "verified": verified,
        "hidden": hidden,
    }


def _keys(user, query, **kwargs):
    return [f"{r.kind}:{r.obj.pk}" for r in selectors.search(user=user, query=query, **kwargs).results]


def test_an_edit_is_found_at_once_in_the_same_transaction(world):
    coordinator, leak = world["coordinator"], world["leak"]
    assert f"solution:{leak.pk}" not in _keys(coordinator, "Hydrantenkataster", mode="lexical")
    startup_services.solution_save(
        actor=coordinator,
        profile=world["verified"],
        solution=leak,
        description="Ein Hydrantenkataster für Feuerwehren.",
    )
    assert _keys(coordinator, "Hydrantenkataster", mode="lexical")[0] == f"solution:{leak.pk}"
    document = SearchDocument.objects.get(key=f"solution:{leak.pk}")
    assert not document.embedded  # the new text waits for its embedding, but is found by its words


def test_deleted_objects_disappear_from_the_results(world):
    coordinator, secret = world["coordinator"], world["secret"]
    key = f"solution:{secret.pk}"
    assert key in _keys(coordinator, "Radar", mode="lexical")
    startup_services.solution_delete(actor=coordinator, solution=secret)
    assert key not in _keys(coordinator, "Radar", mode="lexical")
    assert SearchDocument.objects.get(key=key).deleted


@pytest.mark.parametrize(
    ("who", "sees_draft", "sees_hidden_startup"),
    [
        ("anonymous", False, False),
        ("verified_member", False, False),
        ("hidden_member", False, True),
        ("other_owner", False, False),
        ("owner", True, False),
        ("coordinator", True, True),
    ],
)
def test_search_shows_only_what_a_person_may_see(world, who, sees_draft, sees_hidden_startup):
    from django.contrib.auth.models import AnonymousUser

    user = AnonymousUser() if who == "anonymous" else world[who]
    keys = _keys(user, "Lecks im Wassernetz Radar Wasserverluste", mode="lexical")
    assert (f"need:{world['draft'].pk}" in keys) is sees_draft
    assert (f"solution:{world['secret'].pk}" in keys) is sees_hidden_startup
    assert f"need:{world['public'].pk}" in keys
    if who == "anonymous":
        assert all(k.startswith("need:") for k in keys)
    # The same through the web page and the API.
    client = Client() if who == "anonymous" else _client(user)
    page = client.get(reverse("matching:search"), {"q": "Lecks im Wassernetz Radar Wasserverluste"}).content.decode()
    assert (world["draft"].title in page) is sees_draft
    assert ("Wasserleck-Radar" in page) is sees_hidden_startup
    api = client.get("/api/v1/search", {"q": "Lecks im Wassernetz Radar Wasserverluste"}).json()
    api_keys = {f"{item['kind']}:{item['id']}" for item in api["results"]}
    assert (f"need:{world['draft'].pk}" in api_keys) is sees_draft
    assert (f"solution:{world['secret'].pk}" in api_keys) is sees_hidden_startup


@pytest.mark.parametrize("query", BAD_QUERIES)
def test_bad_queries_get_an_answer_never_an_error(world, query):
    client = _client(world["coordinator"])
    page = client.get(reverse("matching:search"), {"q": query})
    assert page.status_code in (200,)
    api = client.get("/api/v1/search", {"q": query})
    assert api.status_code == 200
    assert isinstance(api.json()["results"], list)


def test_results_explain_why_they_were_found(world):
    services.embeddings_compute(limit=100)
    outcome = selectors.solutions_for_need(user=world["coordinator"], need=world["draft"])
    first = next(r for r in outcome.results if r.obj == world["leak"])
    assert first.snippet and first.hit.found_by in {"lexical", "semantic", "both"}
    assert first.technologies == [str(Technology.IOT.label)]
    page = _client(world["coordinator"]).get(reverse("needs:matches", args=[world["draft"].pk])).content.decode()
    assert "Leak detection" in page and "Passende Technologien" in page
    assert "gefunden über" in page


def test_matching_solutions_find_what_the_best_matches_words_lead_to(world):
    """A German need, English solutions: the need's own words reach one of them, the words of that one reach
    another, which "Passende Lösungen" lists below the first ranking's head and explains by the added words."""
    coordinator = world["coordinator"]
    near = startup_services.solution_save(
        actor=coordinator,
        profile=world["verified"],
        name="Hydrophone network",
        description="Lecks im Wassernetz: hydrophones listen along the mains.",
        maturity="in_use",
    )
    far = startup_services.solution_save(
        actor=coordinator,
        profile=world["verified"],
        name="Acoustic mains monitoring",
        description="Hydrophones listen along water mains for bursts.",
        maturity="in_use",
    )
    need = world["draft"]
    by_words = _keys(coordinator, f"{need.title}\n{need.problem}", kind="solution", mode="lexical", limit=100)
    assert f"solution:{near.pk}" in by_words and f"solution:{far.pk}" not in by_words

    outcome = selectors.solutions_for_need(user=coordinator, need=need, limit=50)
    results = {r.obj.pk: r for r in outcome.results}
    assert far.pk in results and results[near.pk].hit.score > results[far.pk].hit.score
    assert any(term.lower().startswith("hydrophone") for term in results[far.pk].key_terms)
    page = _client(coordinator).get(reverse("needs:matches", args=[need.pk]))
    assert page.status_code == 200 and "Acoustic mains monitoring" in page.content.decode()
    api = _client(coordinator).get(f"/api/v1/needs/{need.pk}/matching-solutions")
    assert far.pk in [row["id"] for row in api.json()["results"]]


def test_matching_solutions_list_loosely_related_ones_last_and_flagged(world):
    """Below the need's relevance floor (MATCH_MARGIN over the median of its candidates) a solution is listed
    after the fitting ones, collapsed on the page and flagged in the API."""
    coordinator = world["coordinator"]
    for name, description in [
        ("Parking permits", "Residents apply for parking permits online."),
        ("Library loans", "Books are borrowed and returned at self-service kiosks."),
        ("Dog tax", "Dog owners register their dogs and pay the tax."),
        ("Wedding dates", "Couples book a registry office appointment for their wedding."),
        ("Street lighting", "Lamp posts report failed bulbs automatically."),
    ]:
        startup_services.solution_save(
            actor=coordinator, profile=world["verified"], name=name, description=description, maturity="in_use"
        )
    services.embeddings_compute(limit=100)
    need = world["draft"]
    outcome = selectors.solutions_for_need(user=coordinator, need=need, limit=20)
    flags = [r.less_relevant for r in outcome.results]
    by_name = {r.obj.name: r.less_relevant for r in outcome.results}
    assert by_name["Leak detection"] is False and by_name["Wedding dates"] is True
    assert flags == sorted(flags)  # the fitting ones first
    assert len(outcome.weak) == flags.count(True)

    page = _client(coordinator).get(reverse("needs:matches", args=[need.pk])).content.decode()
    fitting, _sep, collapsed = page.partition('<details class="less-relevant">')
    assert "Leak detection" in fitting and "Wedding dates" in collapsed and "Wedding dates" not in fitting
    body = _client(coordinator).get(f"/api/v1/needs/{need.pk}/matching-solutions").json()
    api_flags = {row["id"]: row["less_relevant"] for row in body["results"]}
    ids = {r.obj.name: r.obj.pk for r in outcome.results}
    assert api_flags[ids["Leak detection"]] is False and api_flags[ids["Wedding dates"]] is True
    assert body["less_relevant"] == len(outcome.weak)


def test_semantic_side_finds_an_english_solution_for_a_german_need(world):
    services.embeddings_compute(limit=100)
    outcome = selectors.solutions_for_need(user=world["coordinator"], need=world["draft"])
    ranks: dict[int, Any] = {r.obj.pk: r.hit.semantic_rank for r in outcome.results}
    assert ranks[world["leak"].pk] < ranks[world["unrelated"].pk]
    hits = selectors.search(user=world["coordinator"], query="Rohrbruch frühzeitig bemerken", mode="semantic")
    assert hits.results and hits.results[0].hit.found_by == "semantic"


def test_embedding_is_idempotent_and_never_writes_a_stale_vector(world):
    pending = selectors.pending_embeddings().count()
    assert pending > 0
    assert services.embeddings_compute(limit=1000) == pending
    assert services.embeddings_compute(limit=1000) == 0
    document = SearchDocument.objects.get(key=f"solution:{world['leak'].pk}")
    assert document.embedding is not None
    vector = bytes(document.embedding)
    # A text that changes after the embedding started keeps its old hash out: the update is conditional.
    SearchDocument.objects.filter(pk=document.pk).update(content_hash="changed")
    assert (
        SearchDocument.objects.filter(pk=document.pk, content_hash=document.content_hash).update(embedding=b"stale")
        == 0
    )
    assert SearchDocument.objects.get(pk=document.pk).embedding == vector


def test_the_database_and_a_fresh_engine_rank_the_same_top_ten(world):
    """Both backends run this: the database-backed ranking must equal the pure pipeline's on the same texts."""
    services.embeddings_compute(limit=100)
    coordinator = world["coordinator"]
    for query in ("Lecks im Wassernetz", "leak detection sensors", "Wasser"):
        reference = Engine()
        encoder = get_encoder()
        for document in SearchDocument.objects.filter(deleted=False):
            language, counts = document_terms(document.title, document.text)
            reference.add(document.key, counts, Facets(language=language))
            reference.set_vector(document.key, encoder.passages([f"{document.title}\n{document.text}"])[0])
        terms, vector, language, translated = prepare_query(query, encoder)
        # Both sides leave out what lies below the relevance floor (found only loosely by meaning).
        ranked = reference.search(terms, vector, k=selectors.DEPTH, language=language, translated=translated)
        floors = selectors.semantic_floors(ranked)
        expected = [h.key for h in ranked if selectors.relevant(h, floors[h.key.partition(":")[0]])]
        assert _keys(coordinator, query)[:10] == expected[:10]


def test_search_queries_do_not_grow_with_the_number_of_results(world):
    coordinator = world["coordinator"]
    client = _client(coordinator)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("matching:search"), {"q": "Wasser Leck Lecks leak"}).status_code == 200
        return len(ctx)

    few = count()
    for i in range(15):
        startup_services.solution_save(
            actor=coordinator, profile=world["verified"], name=f"Leak finder {i}", description="Leak in water pipes."
        )
    assert count() == few


def test_matching_pages_are_for_the_right_people(world):
    draft, verified = world["draft"], world["verified"]
    need_url = reverse("needs:matches", args=[draft.pk])
    assert _client(world["coordinator"]).get(need_url).status_code == 200
    assert _client(world["owner"]).get(need_url).status_code == 200
    assert _client(world["other_owner"]).get(need_url).status_code == 403
    assert _client(world["verified_member"]).get(need_url).status_code == 403
    startup_url = reverse("startups:matches", args=[verified.pk])
    page = _client(world["verified_member"]).get(startup_url)
    assert page.status_code == 200 and world["public"].title in page.content.decode()
    assert world["draft"].title not in page.content.decode()
    assert _client(world["hidden_member"]).get(startup_url).status_code == 403
    assert _client(world["coordinator"]).get(reverse("matching:index_status")).status_code == 200
    assert _client(world["owner"]).get(reverse("matching:index_status")).status_code == 403


def test_similar_needs_while_writing_come_from_other_authorities(world):
    client = _client(world["owner"])
    fragment = client.post(
        reverse("needs:similar") + f"?exclude={world['draft'].pk}",
        {"title": "Wasserverluste durch Lecks", "problem": "Wir verlieren Wasser im Leitungsnetz durch Lecks."},
    ).content.decode()
    assert world["public"].title in fragment
    assert world["draft"].title not in fragment
    assert client.post(reverse("needs:similar"), {"title": "kurz"}).status_code == 200
    # Once embedded, only needs close in meaning are offered: nothing for an unrelated text.
    services.embeddings_compute(limit=100)
    related = selectors.similar_needs(
        user=world["owner"], text="Wasserverluste durch Lecks im Leitungsnetz senken", organisation_id=None
    )
    assert [r.obj for r in related.results][:1] == [world["public"]]
    unrelated = selectors.similar_needs(
        user=world["owner"], text="Eltern sollen das Schulessen online bestellen können", organisation_id=None
    )
    assert unrelated.results == []


def test_weekly_digest_is_opt_in_sent_once_and_can_be_stopped(world, django_capture_on_commit_callbacks):
    member = world["verified_member"]
    with pytest.raises(ApplicationError):
        services.digest_subscribe(actor=world["hidden_member"])
    subscription = services.digest_subscribe(actor=member)
    services.embeddings_compute(limit=100)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.digest_send(subscription_id=subscription.pk) >= 1
    with django_capture_on_commit_callbacks(execute=True):
        assert services.digest_send(subscription_id=subscription.pk) == 0  # the task ran twice: one e-mail
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert world["public"].title in body and world["draft"].title not in body
    link = next(line for line in body.splitlines() if "/suche/abbestellen/" in line).strip()
    path = link[link.index("/suche/") :]
    assert Client().get(path).status_code == 200
    Client().post(path)
    subscription.refresh_from_db()
    assert not subscription.active
    later = timezone.now() + timedelta(days=7)
    assert services.digest_send(subscription_id=subscription.pk, now=later) == 0
    assert DigestDelivery.objects.count() == 1


def test_a_new_need_is_mailed_about_when_it_stands_out_for_the_solution_not_for_a_bare_cosine(world):
    """The digest's bar is a margin over the solution's median cosine to all published needs (DIGEST_MARGIN):
    unrelated needs of the same language clear an absolute 0.8 across the board, but not the margin."""
    for title, problem in [
        ("Hundesteuer digital anmelden", "Hundehalterinnen sollen ihre Hunde online anmelden und die Steuer zahlen."),
        ("Parkausweise für Anwohnende", "Anwohnende beantragen Parkausweise noch auf Papier im Kundenzentrum."),
        ("Trauungstermine buchen", "Paare sollen Termine im Standesamt selbst online buchen können."),
        ("Sperrmüll abholen lassen", "Die Termine für die Sperrmüllabholung werden telefonisch vergeben."),
        ("Bücherei-Ausleihe am Automaten", "Die Bücherhallen wollen Ausleihe und Rückgabe an Automaten anbieten."),
    ]:
        need = Need.objects.create(
            organisation=world["public"].organisation,
            owner=world["other_owner"],
            title=title,
            problem=problem,
            status=Status.PUBLISHED,
            published_at=timezone.now(),
        )
        services.search_documents_sync(keys=[("need", need.pk)])
    german = startup_services.solution_save(
        actor=world["coordinator"],
        profile=world["verified"],
        name="Leckortung",
        description="Akustische Sensoren finden Lecks im Wassernetz, bevor Rohre platzen.",
        maturity="in_use",
    )
    services.embeddings_compute(limit=100)
    member, solutions = world["verified_member"], [german]
    published = Need.objects.filter(status=Status.PUBLISHED)
    outcome = selectors.needs_for_startup(user=member, solutions=solutions, limit=20, margins=True)
    # The premise: a German solution scores above the old absolute bar against every German need.
    assert len(outcome.results) == published.count()
    assert all(r.hit.semantic_score >= selectors.DIGEST_MIN_SIMILARITY for r in outcome.results)
    mailed = {n.title for n in published if selectors.matches_need(user=member, solutions=solutions, need_id=n.pk)}
    assert mailed == {world["public"].title}


def test_reindex_and_eval_search_commands(world, tmp_path, capsys):
    SearchDocument.objects.all().delete()
    call_command("reindex", "--no-embed")
    assert SearchDocument.objects.filter(kind="solution", deleted=False).count() == Solution.objects.count()
    corpus = tmp_path / "corpus.jsonl"
    queries = tmp_path / "queries.jsonl"
    corpus.write_text(
        "\n".join(
            json.dumps(d)
            for d in [
                {"doc_id": "d1", "title": "Leckortung", "text": "Akustische Sensoren finden Lecks im Wassernetz."},
                {"doc_id": "d2", "text": "Schulanmeldung online für Eltern."},
                {"doc_id": "d3", "text": "Akustische Sensoren hören Rohrbrüche."},
            ]
        )
    )
    queries.write_text(json.dumps({"query_id": "q1", "text": "Lecks finden"}))
    run = tmp_path / "run.tsv"
    call_command("eval-search", corpus=str(corpus), queries=str(queries), run=str(run), mode="lexical")
    lines = run.read_text().splitlines()
    assert lines[0].split() == ["q1", "Q0", "d1", "1", lines[0].split()[4], "lotsenhaus"]
    call_command("eval-search", corpus=str(corpus), queries=str(queries), run=str(run), cache=str(tmp_path / "c"))
    assert run.read_text().splitlines()[0].split()[2] == "d1"
    assert any((tmp_path / "c").rglob("*.f32"))
    call_command("eval-search", corpus=str(corpus), queries=str(queries), run=str(run), mode="lexical", expand=True)
    assert [line.split()[2] for line in run.read_text().splitlines()] == ["d1", "d3"]  # d3 by d1's words


def test_matching_needs_page_queries_do_not_grow_with_the_number_of_needs(world):
    client = _client(world["verified_member"])
    url = reverse("startups:matches", args=[world["verified"].pk])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    few = count()
    for i in range(8):
        need = Need.objects.create(
            organisation=world["public"].organisation,
            owner=world["other_owner"],
            title=f"Lecks im Wassernetz finden {i}",
            problem="Wasser geht durch Lecks verloren.",
            status=Status.PUBLISHED,
            published_at=timezone.now(),
        )
        services.search_documents_sync(keys=[("need", need.pk)])
    assert count() == few


def test_public_endpoints_still_honour_a_bearer_token(world):
    """Search is open to the public, but a token holder gets what they may see, not the public's answer."""
    from lotsenhaus.accounts.services import api_token_create

    _token, secret = api_token_create(actor=world["owner"], name="Fachverfahren", days=1)
    headers: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    anonymous = Client().get("/api/v1/search", {"q": "Lecks im Wassernetz"}).json()
    with_token = Client().get("/api/v1/search", {"q": "Lecks im Wassernetz"}, **headers).json()
    draft = {"kind": "need", "id": world["draft"].pk}
    assert draft not in [{"kind": i["kind"], "id": i["id"]} for i in anonymous["results"]]
    assert draft in [{"kind": i["kind"], "id": i["id"]} for i in with_token["results"]]
    workspace = Client().get("/api/v1/needs", {"scope": "workspace"}, **headers)
    assert workspace.status_code == 200
    assert world["draft"].pk in [item["id"] for item in workspace.json()["results"]]
    assert Client().get("/api/v1/search", {"q": "x"}, HTTP_AUTHORIZATION="Bearer lh_falsch").status_code == 401


def test_shipped_embeddings_are_taken_only_for_the_text_they_were_computed_from(world):
    """The demo ships its texts' embeddings; a document whose text differs waits for the worker instead."""
    services.embeddings_compute(limit=1000)
    shipped = services.embeddings_export()
    assert shipped and not selectors.pending_embeddings().exists()
    SearchDocument.objects.update(embedding=None, embedding_hash="")
    leak = SearchDocument.objects.get(key=f"solution:{world['leak'].pk}")
    SearchDocument.objects.filter(pk=leak.pk).update(content_hash="a changed text")
    taken = services.embeddings_import(vectors=shipped)
    assert taken == SearchDocument.objects.count() - 1
    assert list(selectors.pending_embeddings().values_list("pk", flat=True)) == [leak.pk]


def test_matching_solutions_say_when_the_need_was_also_searched_in_english(world):
    """A German need meets the English school portal by the English of its words (tests/dictionary.py has
    "Schule"); the page and the API say why English shared terms stand beside a German need."""
    need = need_services.need_create(
        actor=world["owner"],
        organisation=world["owner"].memberships.get().organisation,
        title="Anmeldung an Schulen ohne Papier",
        problem="Eltern melden ihre Kinder an den Schulen mit Formularen an.",
    )
    services.embeddings_compute(limit=100)
    client = _client(world["coordinator"])
    page = client.get(reverse("needs:matches", args=[need.pk]))
    assert page.status_code == 200 and page.context["outcome"].translated
    body = client.get(f"/api/v1/needs/{need.pk}/matching-solutions").json()
    assert body["translated"] is True
    portal = next(row for row in body["results"] if row["id"] == world["unrelated"].pk)
    assert "school" in {term.lower() for term in portal["key_terms"]}
    assert portal["less_relevant"] is False  # first by words: it fits, whatever its cosine
