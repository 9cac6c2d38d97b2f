"""Counts of long lists are reused for a minute; short lists are always counted exactly."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lotsenhaus.core import pagination
from lotsenhaus.organisations.models import Organisation
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _count(queryset):
    with CaptureQueriesContext(connection) as queries:
        result = pagination.counted(queryset)
    return result, len(queries)


def test_long_lists_reuse_their_count_and_short_lists_are_exact(monkeypatch, settings):
    settings.LOTSENHAUS_COUNT_CACHE_SECONDS = 60
    cache.clear()
    for _ in range(3):
        OrganisationFactory.create()
    monkeypatch.setattr(pagination, "LARGE", 3)
    long_list = Organisation.objects.filter(kind="startup").order_by("name") | Organisation.objects.all()
    assert _count(long_list) == (3, 1)
    OrganisationFactory.create()
    assert _count(long_list) == (3, 0)  # reused, no query
    assert _count(Organisation.objects.filter(pk__gt=0)) == (4, 1)  # other filters: counted anew

    monkeypatch.setattr(pagination, "LARGE", 100)
    cache.clear()
    short = Organisation.objects.all()
    assert _count(short) == (4, 1)
    OrganisationFactory.create()
    assert _count(short) == (5, 1)  # below the threshold: always exact

    settings.LOTSENHAUS_COUNT_CACHE_SECONDS = 0
    monkeypatch.setattr(pagination, "LARGE", 1)
    assert _count(Organisation.objects.all()) == (5, 1)
    OrganisationFactory.create()
    assert _count(Organisation.objects.all()) == (6, 1)  # switched off


def test_an_empty_choice_counts_as_nothing_without_a_query(settings):
    """A filter on an empty list of ids (nobody's organisations) compiles to no SQL at all; it counts 0."""
    settings.LOTSENHAUS_COUNT_CACHE_SECONDS = 60
    OrganisationFactory.create()
    assert _count(Organisation.objects.filter(pk__in=[])) == (0, 0)
