"""Issue 17, D16/D35: in English, dates and numbers follow the reader (3 December was shown as 12/03/2026)."""

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import formats, translation

from lotsenhaus.core.middleware import english_variant

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("accept", "variant"),
    [("en-US,en;q=0.9", "en"), ("en-GB,en;q=0.9", "en-gb"), ("de-DE,de;q=0.9,en;q=0.8", "en-gb"), ("", "en-gb")],
)
def test_english_formats_follow_the_browser(accept, variant):
    assert english_variant(accept) == variant


def test_a_reader_outside_the_us_sees_day_month_year():
    day = datetime.date(2026, 12, 3)
    with translation.override("en-gb"):
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == "03/12/2026"
        assert translation.gettext("Needs") == "Needs"  # the same English texts
    with translation.override("en"):
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == "12/03/2026"


def test_the_english_page_uses_the_readers_formats_and_offers_german():
    client = Client(HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9,en;q=0.5")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("needs:board"))
    assert response["Content-Language"] == "en-gb"
    html = response.content.decode()
    assert '<html lang="en-gb">' in html and 'value="de"' in html and 'name="language" value="en"' not in html
