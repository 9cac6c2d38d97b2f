"""One search behaviour everywhere (issue 17, D28/D29): the board and the directories rank with the engine,
loosely related hits are collapsed, explanations show no numbers or fillers, suggestions are previewed."""

import pytest
from django.test import Client
from django.urls import reverse

from lotsenhaus.exploration import services as exploration_services
from lotsenhaus.exploration.models import Candidate
from lotsenhaus.matching import selectors, services
from lotsenhaus.matching.engine import Hit
from tests.pipeline import build_world

pytestmark = pytest.mark.django_db


def _need(world, title, problem):
    from lotsenhaus.needs import services as needs

    need = needs.need_create(
        actor=world.owner,
        organisation=world.authority,
        title=title,
        problem=problem,
        desired_outcome="Schneller und einfacher für alle",
        protection_class="internal",
        contact_name="Bea",
        contact_email="bea@example.org",
    )
    needs.need_transition(actor=world.owner, need=need, action="submit")
    import datetime

    from django.utils import timezone

    deadline = timezone.localdate() + datetime.timedelta(days=10)
    return needs.need_transition(actor=world.coordinator, need=need, action="publish", answer_deadline=deadline)


def test_the_board_ranks_with_the_engine_and_splits_compounds():
    world = build_world()
    wanted = _need(world, "Termine im Bürgeramt online buchen", "Die Wartezeiten in den Bürgerämtern sind lang.")
    _need(world, "Straßenbäume zählen", "Das Baumkataster ist veraltet.")
    # A compound that appears nowhere as written: the old substring filter found nothing.
    results = Client().get(reverse("needs:board"), {"q": "Terminvergabe"}).context["page"].object_list
    assert [c.pk for c in results] == [wanted.pk]
    # The same words in the header search give the same need first.
    outcome = selectors.search_hits(user=world.owner, query="Terminvergabe", kind="need")
    assert outcome.hits[0].key == f"need:{wanted.pk}"


def test_the_startup_directory_ranks_with_the_engine():
    world = build_world()
    response = world.client(world.coordinator).get(reverse("startups:directory"), {"q": "Texterkennungen"})
    names = [p.organisation.name for p in response.context["page"].object_list]
    assert names and set(names) <= {s.organisation.name for s in world.startups}


def test_loosely_related_hits_are_collapsed_not_listed():
    def hit(key, score, lexical=None):
        return Hit(key, score, lexical_rank=lexical, semantic_rank=1, semantic_score=score)

    background = [hit(f"need:{n}", 0.76 + n / 1000) for n in range(10)]
    close, loose, worded = hit("need:100", 0.81), hit("need:101", 0.78), hit("need:102", 0.70, lexical=1)
    floor = selectors.semantic_floor([*background, close, loose, worded])
    assert selectors.relevant(close, floor) and not selectors.relevant(loose, floor)
    assert selectors.relevant(worded, floor)  # shared words are never cut
    assert selectors.semantic_floor([close]) == selectors.SEMANTIC_CLEAR


def test_the_header_search_shows_less_relevant_results_only_on_request():
    world = build_world()
    services.embeddings_compute(limit=200)
    client = world.client(world.coordinator)
    response = client.get(reverse("matching:search"), {"q": "Sperrmüllabfuhr im Quartier"})
    outcome = response.context["outcome"]
    listed = {r.hit.key for r in outcome.results}
    assert not listed & {h.key for h in outcome.weak}
    if outcome.weak:
        everything = client.get(reverse("matching:search"), {"q": "Sperrmüllabfuhr im Quartier", "weak": "1"})
        assert len(everything.context["page"].object_list) == len(outcome.hits) + len(outcome.weak)


def test_explanations_show_no_numbers_or_fillers():
    world = build_world()
    need = _need(world, "Anträge per Post digitalisieren", "Jährlich kommen 18.000 Anträge per Post an.")
    outcome = selectors.search(user=world.coordinator, query="18.000 Anträge per Post", kind="need")
    result = next(r for r in outcome.results if r.obj.pk == need.pk)
    assert result.key_terms  # the need is explained by its words ...
    assert not {"18", "000", "per"} & {t.lower() for t in result.key_terms}  # ... but not by these
    assert "<mark>18</mark>" not in result.snippet and "<mark>per</mark>" not in result.snippet


def test_suggestions_are_previewed_and_only_the_ticked_ones_join():
    world = build_world()
    exploration = exploration_services.exploration_start(actor=world.coordinator, need=world.need)
    before = set(Candidate.objects.filter(exploration=exploration).values_list("startup_id", flat=True))
    url = reverse("exploration:workspace", args=[world.need.pk])
    client = world.client(world.coordinator)
    preview = client.get(url, {"limit": 10})
    suggestions = preview.context["suggestions"]
    assert suggestions and preview.context["previewing"]
    assert set(Candidate.objects.filter(exploration=exploration).values_list("startup_id", flat=True)) == before
    new = [r.obj for r in suggestions if r.obj.profile_id not in before]
    assert new, "the third startup did not answer and should be suggested"
    # Nothing ticked: refused, nothing added.
    assert client.post(url, {"form": "suggestions", "suggestions-limit": 10}).status_code == 422
    client.post(url, {"form": "suggestions", "suggestions-limit": 10, "suggestions-chosen": [new[0].pk]})
    after = set(Candidate.objects.filter(exploration=exploration).values_list("startup_id", flat=True))
    assert after == before | {new[0].profile_id}
    run = exploration.searches.get()
    assert run.added == 1 and run.filters["chosen"] == 1
