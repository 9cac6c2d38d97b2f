"""The Atom feed of needs against RFC 4287 (issue 18): valid against the official RELAX NG grammar, stable
tag: ids whatever host or scheme served it, <updated> and an author in every entry, links from the site's
configured address."""

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from lxml import etree

from tests.pipeline import build_world

pytestmark = pytest.mark.django_db

GRAMMAR = Path(__file__).resolve().parents[3] / "tests" / "standards" / "atom-rfc4287.rng"
ATOM = "{http://www.w3.org/2005/Atom}"


def _feed(**extra):
    response = Client().get(reverse("needs:feed"), **extra)
    assert response.status_code == 200
    return etree.fromstring(response.content)


def test_the_feed_is_valid_atom_with_stable_ids_authors_and_absolute_links(settings):
    settings.ALLOWED_HOSTS = ["testserver", "intern.example"]
    world = build_world()
    world.need.hide_organisation = True
    world.need.save()
    grammar = etree.RelaxNG(etree.parse(str(GRAMMAR)))
    feed = _feed()
    assert grammar.validate(feed), grammar.error_log
    entries = feed.findall(f"{ATOM}entry")
    assert entries
    for entry in entries:
        assert entry.findtext(f"{ATOM}id").startswith("tag:")
        assert entry.findtext(f"{ATOM}updated")
        assert entry.findtext(f"{ATOM}author/{ATOM}name").strip()
        assert entry.find(f"{ATOM}link").get("href").startswith(settings.LOTSENHAUS_BASE_URL)
    # Another host and scheme, the same ids.
    other = _feed(HTTP_HOST="intern.example", secure=True)
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert [e.findtext(f"{ATOM}id") for e in other.findall(f"{ATOM}entry")] == ids
    assert feed.findtext(f"{ATOM}id") == other.findtext(f"{ATOM}id")


def test_the_grammar_rejects_an_entry_without_updated():
    """The check can fail: the official grammar refuses what the feed used to send."""
    grammar = etree.RelaxNG(etree.parse(str(GRAMMAR)))
    broken = etree.fromstring(
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title><id>tag:a,2026:x</id>'
        b"<updated>2026-12-03T10:00:00Z</updated><author><name>a</name></author>"
        b'<entry><title>t</title><id>tag:a,2026:n/1</id><link href="http://a/"/></entry></feed>'
    )
    assert not grammar.validate(broken)
