"""One filter definition per list (``core.filters``): the API offers exactly the filters of the page's FilterSet,
with the same choices, and the page and the API filter the same list alike."""

from typing import Any

import django_filters
import pytest
from django.test import Client

from lotsenhaus.accounts.models import User
from lotsenhaus.advisory.filters import EnrolmentFilterSet
from lotsenhaus.airegister.filters import RegisterFilterSet
from lotsenhaus.api import api
from lotsenhaus.core import filters
from lotsenhaus.core.audit_filters import AuditFilterSet
from lotsenhaus.core.filters import ListFilterSet
from lotsenhaus.events.filters import EventFilterSet
from lotsenhaus.exploration.filters import CandidateFilterSet
from lotsenhaus.knowledge.filters import ArticleFilterSet, ExpertFilterSet
from lotsenhaus.needs.filters import NeedFilterSet, PipelineFilterSet
from lotsenhaus.organisations.filters import OrganisationFilterSet
from lotsenhaus.startups.filters import DirectoryFilterSet

pytestmark = pytest.mark.django_db

LISTS: dict[str, type[ListFilterSet]] = {
    "/api/v1/needs": NeedFilterSet,
    "/api/v1/startups": DirectoryFilterSet,
    "/api/v1/solutions": DirectoryFilterSet,
    "/api/v1/articles": ArticleFilterSet,
    "/api/v1/experts": ExpertFilterSet,
    "/api/v1/ai-register": RegisterFilterSet,
    "/api/v1/organisations": OrganisationFilterSet,
    "/api/v1/events": EventFilterSet,
    "/api/v1/advisory/enrolments": EnrolmentFilterSet,
    "/api/v1/pipeline": PipelineFilterSet,
    "/api/v1/audit": AuditFilterSet,
    "/api/v1/needs/{need_id}/exploration/candidates": CandidateFilterSet,
}
PAGING = {"page", "page_size"}
OWN_PARAMETERS = {
    "/api/v1/needs": {"scope"},  # public board or workspace: one list, two scopes
    "/api/v1/needs/{need_id}/exploration/candidates": {"need_id"},  # the path names the need
}


def _enum(parameter: dict[str, Any]) -> list[str] | None:
    schema = parameter["schema"]
    for option in [schema, *schema.get("anyOf", [])]:
        if "enum" in option:
            return list(option["enum"])
    return None


def test_every_filterset_is_offered_by_an_api_list_with_the_same_names_and_choices() -> None:
    assert {cls.__name__ for cls in ListFilterSet.__subclasses__()} == {cls.__name__ for cls in LISTS.values()}
    paths = api.get_openapi_schema()["paths"]
    for path, filterset in LISTS.items():
        parameters = {p["name"]: p for p in paths[path]["get"]["parameters"]}
        assert set(parameters) - PAGING - OWN_PARAMETERS.get(path, set()) == set(filterset.base_filters), path
        for name, flt in filterset.base_filters.items():
            if isinstance(flt, django_filters.ChoiceFilter) and not isinstance(flt, django_filters.ModelChoiceFilter):
                assert _enum(parameters[name]) == [str(v) for v, _label in flt.extra["choices"]], (path, name)


def _page_ids(client: Client, url: str, query: dict[str, str]) -> list[int]:
    response = client.get(url, query)
    assert response.status_code == 200, (url, query)
    return [obj.pk for obj in response.context["page"].object_list]


def _api_ids(client: Client, path: str, query: dict[str, str], page_size: int = 25) -> list[Any]:
    """The ids of the API list's first page, as long as the page's (25 unless the page shows more)."""
    response = client.get(path, {**query, "page_size": str(page_size)})
    assert response.status_code == 200, (path, query, response.content)
    return [row["id"] for row in response.json()["results"]]


BOARD_FILTERS = [
    {},
    {"organisation_kind": "bezirksamt"},
    {"organisation_kind": "fachbehoerde"},
    {"policy_field": "administration"},
    {"technology": "ai_text"},
    {"status": "published"},
    {"open_only": "on"},
    {"sort": "title"},
    {"sort": "deadline", "organisation_kind": "fachbehoerde"},
]


@pytest.mark.parametrize("scope", ["public", "workspace"])
def test_the_board_and_the_workspace_filter_alike_on_the_page_and_over_the_api(demo_world: None, scope: str) -> None:
    client = Client()
    client.force_login(User.objects.get(email="koordination@vce.hamburg.example"))  # the workspace holds all
    url = "/bedarfe/" if scope == "public" else "/bedarfe/arbeitsbereich/"
    narrowed = 0
    for query in BOARD_FILTERS:
        page = _page_ids(client, url, query)
        over_api = _api_ids(client, "/api/v1/needs", {**_as_api(query), "scope": scope})
        assert page == over_api, (scope, query)
        narrowed += 0 < len(page) < len(_page_ids(client, url, {}))
    assert narrowed >= 3  # the filters did narrow the demo world's lists, so the comparison says something


@pytest.mark.parametrize(
    "query", [{}, {"hosting": "de"}, {"with_references": "on"}, {"verification": "unverified"}, {"hosting": "eu"}]
)
def test_the_startup_directory_filters_alike_on_the_page_and_over_the_api(
    demo_world: None, query: dict[str, str]
) -> None:
    client = Client()
    client.force_login(User.objects.get(email="koordination@vce.hamburg.example"))
    assert _page_ids(client, "/startups/", query) == _api_ids(client, "/api/v1/startups", _as_api(query))


def test_the_kind_of_authority_is_a_filter_of_the_api_too(demo_world: None) -> None:
    """It was on the page only (issue 19): the API ignored it and answered every need."""
    everything = _api_ids(Client(), "/api/v1/needs", {})
    districts = _api_ids(Client(), "/api/v1/needs", {"organisation_kind": "bezirksamt"})
    assert 0 < len(districts) < len(everything)
    answer = Client().get("/api/v1/needs", {"organisation_kind": "nowhere"})
    assert answer.status_code == 422 and answer.json()["code"] == "invalid_input"


def _as_api(query: dict[str, str]) -> dict[str, str]:
    """A checkbox sends "on" from the page; the API takes "true"."""
    return {k: ("true" if v == "on" else v) for k, v in query.items()}


@pytest.mark.parametrize(
    "query", [{}, {"status": "production"}, {"status": "pilot"}, {"ai_type": "text"}, {"q": "Bezirksamt"}]
)
def test_the_ai_register_filters_alike_on_its_page_and_in_the_open_data_api(demo_world: None, query: dict[str, str]):
    """The register's filters were written three times (template, view, selector) and the API had none."""
    response = Client().get("/ki-register/", query)
    assert response.status_code == 200
    page = [use_case.public_id for use_case in response.context["page"].object_list]
    assert page == _api_ids(Client(), "/api/v1/ai-register", query, page_size=50), query


def test_the_ai_register_filters_narrow_and_refuse_unknown_values(demo_world: None):
    everything = Client().get("/api/v1/ai-register").json()["count"]
    in_use = Client().get("/api/v1/ai-register", {"status": "production"}).json()["count"]
    assert 0 < in_use < everything
    answer = Client().get("/api/v1/ai-register", {"status": "nowhere"})
    assert answer.status_code == 422 and answer.json()["code"] == "invalid_input"


@pytest.mark.parametrize("query", [{}, {"kind": "bezirksamt"}, {"kind": "startup"}, {"q": "Behörde"}])
def test_the_organisation_list_filters_alike_on_its_page_and_over_the_api(demo_world: None, query: dict[str, str]):
    client = Client()
    client.force_login(User.objects.get(email="koordination@vce.hamburg.example"))
    page = _page_ids(client, "/organisationen/", query)
    assert page == _api_ids(client, "/api/v1/organisations", query, page_size=50), query  # the page shows 50
    everything = client.get("/api/v1/organisations").json()["count"]
    narrowed = client.get("/api/v1/organisations", query).json()["count"]
    assert query == {} or 0 < narrowed < everything  # the filter narrowed the list


EVENT_FILTERS = [
    {},
    {"when": "past"},
    {"when": "upcoming", "kind": "workshop"},
    {"kind": "reverse_pitch"},
    {"kind": "workshop", "when": "past"},
    {"q": "Sprechstunde"},
]


@pytest.mark.parametrize("query", EVENT_FILTERS)
def test_the_event_list_filters_alike_on_its_page_and_over_the_api(demo_world: None, query: dict[str, str]) -> None:
    """The page chose past events by a link the view parsed, the API by its own parameter, and neither had kinds."""
    import datetime

    from django.utils import timezone

    from lotsenhaus.events.models import Event
    from tests.pipeline import coming_event

    coordinator = User.objects.get(email="koordination@vce.hamburg.example")
    past = coming_event(coordinator, title="Rückblick Workshop")
    ago = timezone.now() - datetime.timedelta(days=30)
    Event.objects.filter(pk=past.pk).update(starts_at=ago, ends_at=ago + datetime.timedelta(hours=2))
    response = Client().get("/veranstaltungen/", query)
    assert response.status_code == 200
    page = [event.pk for event in response.context["events"]]
    over_api = _api_ids(Client(), "/api/v1/events", query)
    assert page == over_api, query
    assert (past.pk in page) == (query.get("when") == "past")
    everything = len(_api_ids(Client(), "/api/v1/events", {}))
    assert query == {} or len(page) != everything  # the filter changed the list


def test_the_event_list_refuses_an_unknown_time_over_the_api(demo_world: None) -> None:
    answer = Client().get("/api/v1/events", {"when": "someday"})
    assert answer.status_code == 422 and answer.json()["code"] == "invalid_input"


@pytest.mark.parametrize("query", [{}, {"stuck": "on"}, {"status": "active"}, {"status": "left"}, {"q": "Aktenblick"}])
def test_the_advisory_track_filters_alike_on_its_page_and_over_the_api(demo_world: None, query: dict[str, str]):
    """Who is stuck was chosen by a link the view parsed after reading every row; the API had no filter."""
    client = Client()
    client.force_login(User.objects.get(email="koordination@vce.hamburg.example"))
    response = client.get("/begleitprogramm/", query)
    assert response.status_code == 200
    page = sorted(enrolment.pk for enrolment, _progress, _facts in response.context["items"])
    assert page == sorted(_api_ids(client, "/api/v1/advisory/enrolments", _as_api(query))), query
    everything = len(_api_ids(client, "/api/v1/advisory/enrolments", {}))
    assert query in ({}, {"status": "active"}) or len(page) < everything  # one demo startup is stuck, one not


def _pipeline_filters() -> list[dict[str, Any]]:
    from lotsenhaus.organisations.models import Organisation

    district = Organisation.objects.filter(kind="bezirksamt").order_by("pk").first()
    assert district is not None
    return [
        {},
        {"status": ["published"]},
        {"status": ["published", "exploration"], "sort": "title"},
        {"organisation": str(district.pk)},
        {"coordinator": "me"},
        {"coordinator": "none", "sort": "deadline"},
        {"overdue": "on"},
        {"q": "Bezirksamt"},
        {"sort": "status"},
    ]


def test_the_pipeline_filters_alike_on_its_page_and_over_the_api(demo_world: None) -> None:
    """The pipeline's filters were a form of their own and a selector reading its cleaned data; the API had none."""
    client = Client()
    client.force_login(User.objects.get(email="koordination@vce.hamburg.example"))
    everything = _page_ids(client, "/bedarfe/pipeline/", {})
    narrowed = 0
    for query in _pipeline_filters():
        page = _page_ids(client, "/bedarfe/pipeline/", query)
        assert page == _api_ids(client, "/api/v1/pipeline", _as_api(query), page_size=50), query
        narrowed += 0 < len(page) < len(everything)
    assert narrowed >= 4  # the demo world's pipeline was narrowed, so the comparison says something
    assert client.get("/api/v1/pipeline", {"status": "nowhere"}).json()["code"] == "invalid_input"


def test_only_the_unit_reads_the_pipeline_over_the_api(demo_world: None) -> None:
    owner = Client()
    owner.force_login(User.objects.get(email="bedarf@bsw.hamburg.de"))
    assert owner.get("/api/v1/pipeline").status_code == 403
    assert Client().get("/api/v1/pipeline").status_code == 401


def test_the_audit_log_filters_alike_on_its_page_and_over_the_api(demo_world: None) -> None:
    """The audit log's filters were a form in the view and a selector reading its cleaned data; the API had none."""
    import datetime

    from django.utils import timezone

    from lotsenhaus.core.models import AuditEntry

    client = Client()
    client.force_login(User.objects.get(email="koordination@vce.hamburg.example"))
    today = timezone.localdate().isoformat()
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    queries = [
        {},
        {"action": "publish"},
        {"actor": "koordination"},
        {"object_type": "needs.need"},
        {"object_type": "needs.need", "action": "submit"},
        {"date_from": today, "date_to": today},
        {"date_from": tomorrow},
        {"q": "bedarf@"},
    ]
    everything = AuditEntry.objects.count()
    narrowed = 0
    for query in queries:
        page = _page_ids(client, "/verwaltung/audit/", query)
        assert page == _api_ids(client, "/api/v1/audit", query, page_size=50), query
        narrowed += client.get("/api/v1/audit", query).json()["count"] < everything
    assert narrowed == len(queries) - 2  # all but no filter and today's entries (the whole demo world)
    assert client.get("/api/v1/audit", {"date_from": "yesterday"}).json()["code"] == "invalid_input"
    owner = Client()
    owner.force_login(User.objects.get(email="bedarf@bsw.hamburg.de"))
    assert owner.get("/api/v1/audit").status_code == 403


def test_the_long_list_filters_alike_in_the_workspace_and_over_the_api(demo_world: None) -> None:
    """The workspace filtered its long list by a status the view parsed; the API had the list only inside the
    exploration, unfiltered."""
    from django.urls import reverse

    from lotsenhaus.exploration.models import Candidate

    exploration = Candidate.objects.order_by("pk").first().exploration  # the demo world explores one need
    client = Client()
    client.force_login(User.objects.get(email="koordination@vce.hamburg.example"))
    url = reverse("exploration:workspace", args=[exploration.need_id])
    path = f"/api/v1/needs/{exploration.need_id}/exploration/candidates"
    everything = _api_ids(client, path, {}, page_size=50)
    statuses = set(exploration.candidates.values_list("status", flat=True))
    name = exploration.candidates.order_by("pk").first().startup.organisation.name
    queries = [{}, *({"status": status} for status in statuses), {"status": "excluded"}, {"q": name.split()[0]}]
    for query in queries:
        response = client.get(url, query)
        assert response.status_code == 200
        page = [candidate.pk for candidate in response.context["candidates"]]
        assert page == _api_ids(client, path, query, page_size=50), query
        assert query == {} or len(page) < len(everything) or len(statuses) == 1, query
    assert client.get(path, {"status": "maybe"}).json()["code"] == "invalid_input"
    assert Client().get(path).status_code == 401


def test_a_search_crosses_to_many_relations_only_where_the_model_has_them() -> None:
    from lotsenhaus.needs.models import Need
    from lotsenhaus.startups.models import StartupProfile

    assert not filters._repeats_rows(Need, "organisation__name")  # no DISTINCT: PostgreSQL would refuse the order
    assert filters._repeats_rows(StartupProfile, "solutions__name")


def _fresh_render(form: Any) -> str:
    """The form rendered by Django itself, past the per-process cache."""
    return str(super(filters.RenderedOnce, form).render())


def test_a_filter_form_is_rendered_once_per_data_choices_and_language():
    from django.http import QueryDict
    from django.utils import translation

    filters._rendered.clear()
    board = NeedFilterSet(QueryDict("technology=iot&q=Wasser")).form
    with translation.override("de"):
        first = str(board)
        assert str(NeedFilterSet(QueryDict("technology=iot&q=Wasser")).form) == first == _fresh_render(board)
        assert len(filters._rendered) == 1  # the second form was served from the cache
        assert 'value="iot" selected' in first and 'value="Wasser"' in first
        other = str(NeedFilterSet(QueryDict("technology=rpa")).form)
        assert 'value="rpa" selected' in other and 'value="iot" selected' not in other
        workspace = str(NeedFilterSet(QueryDict("technology=iot&q=Wasser"), workspace=True).form)
        assert workspace != first and 'value="draft"' in workspace and 'value="draft"' not in first
    with translation.override("en"):
        english = str(NeedFilterSet(QueryDict("technology=iot&q=Wasser")).form)
        assert english != first and english == _fresh_render(NeedFilterSet(QueryDict("technology=iot&q=Wasser")).form)
    assert len(filters._rendered) == 4


def test_a_filter_form_with_choices_from_the_database_is_rendered_every_time():
    from django import forms as djforms

    class WithModelChoices(filters.RenderedOnce, djforms.Form):
        person = djforms.ModelChoiceField(queryset=User.objects.all())

    filters._rendered.clear()
    str(WithModelChoices({}))
    assert not filters._rendered
