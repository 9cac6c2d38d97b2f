"""The knowledge base: sanitised Markdown, versions, review before publishing, visibility, search, pilots."""

import pytest
from django.core.exceptions import PermissionDenied

from lotsenhaus.core.exceptions import ApplicationError
from lotsenhaus.core.roles import Role
from lotsenhaus.knowledge import selectors, services
from lotsenhaus.knowledge.markdown import render_markdown
from lotsenhaus.knowledge.models import ArticleStatus
from lotsenhaus.notifications.models import Notification
from tests.factories import make_person

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        '<iframe src="https://evil.example"></iframe>',
        "[klick](javascript:alert(1))",
        "[klick](JaVaScRiPt:alert(1))",
        '<img src=x onerror="alert(1)">',
        "![bild](javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    ],
)
def test_markdown_neutralises_scripts_frames_and_javascript_links(source):
    """Parsed as a browser would: no script, frame or image element, no handler, no link but http(s) or mailto."""
    from html.parser import HTMLParser

    elements: list[tuple[str, dict[str, str | None]]] = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            elements.append((tag, dict(attrs)))

    Collect().feed(str(render_markdown(source)))
    assert not {tag for tag, _ in elements} & {"script", "iframe", "img", "object", "embed"}
    assert not any(name.startswith("on") for _, attrs in elements for name in attrs)
    hrefs = [attrs["href"] or "" for tag, attrs in elements if tag == "a" and "href" in attrs]
    assert all(href.startswith(("http://", "https://", "mailto:")) for href in hrefs)


def test_markdown_keeps_structure_and_shifts_headings():
    html = str(render_markdown("# Titel\n\n**fett** und [Link](https://hamburg.de)\n\n| a | b |\n|---|---|\n| 1 | 2 |"))
    assert "<h2>Titel</h2>" in html and "<strong>fett</strong>" in html and "<table>" in html
    assert 'href="https://hamburg.de"' in html and 'rel="noopener noreferrer nofollow"' in html


def _article(author, **fields):
    data = {"kind": "guide", "title": "Leitfaden Vergabe", "body": "Erste Fassung", "visibility": "public"}
    return services.article_create(actor=author, **{**data, **fields})


@pytest.fixture
def people():
    return {
        "owner": make_person(Role.NEED_OWNER),
        "expert": make_person(Role.EXPERT),
        "coordinator": make_person(Role.COORDINATOR),
        "other_coordinator": make_person(Role.COORDINATOR),
        "startup": make_person(Role.STARTUP_MEMBER),
        "anonymous": __import__("django.contrib.auth.models", fromlist=["AnonymousUser"]).AnonymousUser(),
    }


def test_review_before_publishing_and_four_eyes(people):
    article = _article(people["owner"])
    for who in ("startup", "expert", "anonymous"):
        assert not people[who].has_perm("knowledge.view_article", article)
    with pytest.raises(PermissionDenied):
        services.article_publish(actor=people["coordinator"], article=article)  # not submitted yet
    article = services.article_submit(actor=people["owner"], article=article)
    assert Notification.objects.filter(user=people["coordinator"], topic="knowledge").exists()
    article = services.article_publish(actor=people["coordinator"], article=article)
    assert article.status == ArticleStatus.PUBLISHED
    assert people["anonymous"].has_perm("knowledge.view_article", article)
    own = _article(people["coordinator"])
    own = services.article_submit(actor=people["coordinator"], article=own)
    with pytest.raises(PermissionDenied):
        services.article_publish(actor=people["coordinator"], article=own)
    services.article_publish(actor=people["other_coordinator"], article=own)


def test_internal_articles_stay_inside_the_administration(people):
    article = _article(people["owner"], visibility="internal")
    services.article_submit(actor=people["owner"], article=article)
    article = services.article_publish(actor=people["coordinator"], article=article)
    expected = {"owner": True, "expert": True, "coordinator": True, "startup": False, "anonymous": False}
    for who, allowed in expected.items():
        assert people[who].has_perm("knowledge.view_article", article) is allowed, who
        assert (article in selectors.articles_published(user=people[who])) is allowed, who


def test_editing_a_published_article_keeps_readers_on_the_reviewed_version(people, client):
    article = _article(people["owner"])
    services.article_submit(actor=people["owner"], article=article)
    article = services.article_publish(actor=people["coordinator"], article=article)
    article = services.article_update(
        actor=people["owner"], article=article, version=article.version, body="Zweite Fassung mit Fehlern"
    )
    assert article.status == ArticleStatus.DRAFT and article.versions.count() == 2
    page = client.get(f"/wissen/{article.pk}/").content.decode()
    assert "Erste Fassung" in page and "Zweite Fassung" not in page
    with pytest.raises(ApplicationError):
        services.article_update(actor=people["owner"], article=article, version=1, body="veraltet")
    services.article_submit(actor=people["owner"], article=article)
    services.article_publish(actor=people["coordinator"], article=article)
    assert "Zweite Fassung" in client.get(f"/wissen/{article.pk}/").content.decode()


def test_return_with_a_note_and_withdraw(people):
    article = _article(people["expert"])
    services.article_submit(actor=people["expert"], article=article)
    with pytest.raises(ApplicationError):
        services.article_return(actor=people["coordinator"], article=article, note=" ")
    article = services.article_return(actor=people["coordinator"], article=article, note="Bitte Quellen nennen")
    assert article.status == ArticleStatus.DRAFT and article.review_note == "Bitte Quellen nennen"
    assert Notification.objects.get(user=people["expert"]).body == "Bitte Quellen nennen"
    services.article_submit(actor=people["expert"], article=article)
    article = services.article_publish(actor=people["coordinator"], article=article)
    article = services.article_withdraw(actor=people["coordinator"], article=article)
    assert not people["anonymous"].has_perm("knowledge.view_article", article)


def test_search_finds_published_articles_only_for_those_who_may_read_them(people):
    from lotsenhaus.matching.selectors import search

    public = _article(people["owner"], title="Barrierefreiheit prüfen", body="Screenreader Tastatur Kontrast")
    internal = _article(
        people["owner"], title="Barrierefreiheit intern", body="Screenreader intern", visibility="internal"
    )
    draft = _article(people["owner"], title="Barrierefreiheit Entwurf", body="Screenreader Entwurf")
    for article in (public, internal):
        services.article_submit(actor=people["owner"], article=article)
        services.article_publish(actor=people["coordinator"], article=article)

    def found(user):
        return {r.title for r in search(user=user, query="Screenreader").results if r.kind == "article"}

    assert found(people["anonymous"]) == {"Barrierefreiheit prüfen"}
    assert found(people["startup"]) == {"Barrierefreiheit prüfen"}
    assert found(people["expert"]) == {"Barrierefreiheit prüfen", "Barrierefreiheit intern"}
    assert draft.title not in found(people["coordinator"])


def test_a_public_article_does_not_reveal_a_draft_need(people, client):
    from lotsenhaus.needs.services import need_create

    need = need_create(
        actor=people["owner"], organisation=people["owner"].memberships.get().organisation, title="Geheimer Entwurf"
    )
    article = _article(people["owner"], needs=[need])
    services.article_submit(actor=people["owner"], article=article)
    services.article_publish(actor=people["coordinator"], article=article)
    assert "Geheimer Entwurf" not in client.get(f"/wissen/{article.pk}/").content.decode()
    with pytest.raises(ApplicationError):
        _article(people["startup"].__class__.objects.get(pk=people["expert"].pk), needs=[need])


def test_tags_are_cleaned_and_limited(people):
    article = _article(people["owner"], tags=[" KI ", "ki", "Datenschutz", ""])
    assert article.tags == ["KI", "Datenschutz"]
    with pytest.raises(ApplicationError):
        _article(people["owner"], tags=[f"t{i}" for i in range(13)])


def test_write_on_the_pages_submit_and_publish(people):
    from django.test import Client

    author = Client()
    author.force_login(people["owner"])
    response = author.post(
        "/wissen/neu/",
        {
            "form": "article",
            "article-kind": "best_practice",
            "article-title": "Gute Bedarfe",
            "article-body": "# Tipp\n\n<script>alert(1)</script> Problem statt Lösung",
            "article-tags": "Bedarf, Tipp",
            "article-visibility": "public",
        },
    )
    assert response.status_code == 302
    detail = response["Location"]
    page = author.get(detail).content.decode()
    assert "<h2>Tipp</h2>" in page and "<script>alert" not in page
    assert author.post(detail + "submit/").status_code == 302
    reviewer = Client()
    reviewer.force_login(people["coordinator"])
    assert reviewer.post(detail + "publish/").status_code == 302
    assert "Gute Bedarfe" in Client().get("/wissen/").content.decode()
    empty = author.post("/wissen/neu/", {"form": "article", "article-kind": "guide", "article-visibility": "public"})
    assert empty.status_code == 422


def test_list_has_a_fixed_number_of_queries(people, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def publish(index):
        article = _article(people["owner"], title=f"Artikel {index}", tags=[f"t{index}"])
        services.article_submit(actor=people["owner"], article=article)
        services.article_publish(actor=people["coordinator"], article=article)

    publish(0)
    with CaptureQueriesContext(connection) as few:
        client.get("/wissen/")
    for index in range(1, 15):
        publish(index)
    with CaptureQueriesContext(connection) as many:
        body = client.get("/wissen/").content.decode()
    assert "Artikel 14" in body and len(many) == len(few)
    tagged = client.get("/wissen/?tag=t7").content.decode()
    assert "Artikel 7<" in tagged and "Artikel 8<" not in tagged
    assert [a["title"] for a in client.get("/api/v1/articles?tag=t3").json()["results"]] == ["Artikel 3"]
    assert client.get("/api/v1/articles?tag=unbekannt").json()["results"] == []


def test_api_flow_and_visibility(people, client):
    from django.test import Client

    author = Client()
    author.force_login(people["expert"])
    created = author.post(
        "/api/v1/articles",
        {
            "kind": "market_overview",
            "title": "Markt OCR",
            "body": "Anbieter",
            "visibility": "internal",
            "tags": ["OCR"],
        },
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["working_copy"] is True
    article_id = created.json()["id"]
    assert client.get(f"/api/v1/articles/{article_id}").status_code in (401, 403)
    assert author.post(f"/api/v1/articles/{article_id}/submit").json()["status"] == "in_review"
    reviewer = Client()
    reviewer.force_login(people["coordinator"])
    assert reviewer.post(f"/api/v1/articles/{article_id}/publish").json()["status"] == "published"
    assert [a["title"] for a in reviewer.get("/api/v1/articles").json()["results"]] == ["Markt OCR"]
    assert client.get("/api/v1/articles").json()["results"] == []
    startup = Client()
    startup.force_login(people["startup"])
    assert startup.get(f"/api/v1/articles/{article_id}").status_code == 403
    assert (
        startup.post(
            "/api/v1/articles",
            {"kind": "guide", "title": "x", "body": "y", "visibility": "public"},
            content_type="application/json",
        ).status_code
        == 403
    )


def test_api_return_reaches_the_author(people):
    from django.test import Client

    article = _article(people["owner"])
    services.article_submit(actor=people["owner"], article=article)
    reviewer = Client()
    reviewer.force_login(people["coordinator"])
    response = reviewer.post(
        f"/api/v1/articles/{article.pk}/return", {"note": "Bitte kürzen"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["status"] == "draft"
