"""One page of a list plus the query string that keeps the filters on the other pages' links.

Counting a long list costs as much as reading all of it (PostgreSQL counts 100,000 rows in 40-70 ms, more
than the whole rest of the page). Counts of 10,000 rows or more are therefore kept for
``LOTSENHAUS_COUNT_CACHE_SECONDS`` (default 60) per query – the same filters and the same visibility give the
same SQL – so "page 3 of 4,000" may lag a minute behind; the rows on the page are always current, and
shorter lists are always counted exactly.
"""

import hashlib
from functools import cached_property
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

LARGE = 10_000


def counted(items: Any) -> int:
    if not isinstance(items, QuerySet):
        return len(items)
    seconds = settings.LOTSENHAUS_COUNT_CACHE_SECONDS
    if not seconds:
        return items.count()
    try:
        sql, params = items.query.sql_with_params()
    except EmptyResultSet:  # an empty IN (): nothing to count in the database, nothing to cache
        return items.count()
    key = "count:" + hashlib.sha256(repr((items.db, sql, params)).encode()).hexdigest()
    known = cache.get(key)
    if known is not None:
        return int(known)
    count = items.count()
    if count >= LARGE:
        cache.set(key, count, seconds)
    return count


class CountCachingPaginator(Paginator):  # type: ignore[type-arg]
    @cached_property
    def count(self) -> int:
        return counted(self.object_list)


def page_of(request: HttpRequest, items: Any, per_page: int) -> tuple[Page[Any], str]:
    page = CountCachingPaginator(items, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()
