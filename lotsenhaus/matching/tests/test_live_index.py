"""A worker's copy of the search index follows the database – including rows whose transaction committed after a
newer row was already seen – without reading the whole late-commit window on every search (issue 22)."""

from datetime import datetime, timedelta

import numpy as np
import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lotsenhaus.core.roles import Role
from lotsenhaus.matching import services
from lotsenhaus.matching.index import RECENT, SWEEP_SECONDS, WINDOW, LiveIndex
from lotsenhaus.matching.models import SearchDocument
from lotsenhaus.organisations.models import OrganisationKind
from lotsenhaus.startups import services as startup_services
from lotsenhaus.startups.models import StartupProfile, Verification
from tests.factories import OrganisationFactory, make_person

pytestmark = pytest.mark.django_db


def _write(number: int, word: str, stamp: datetime) -> SearchDocument:
    """A row as a transaction leaves it when it commits (stamped when it was written)."""
    return SearchDocument.objects.create(
        key=f"need:{number}",
        kind="need",
        object_id=number,
        title=word,
        text=word,
        language="de",
        terms={word: 1},
        facets={"public": True},
        content_hash=word,
        updated_at=stamp,
        revision=1,
    )


def _sweep_due(index: LiveIndex) -> None:
    index.next_sweep -= 2 * SWEEP_SECONDS


def _late_commit(age: timedelta) -> LiveIndex:
    """An index that has seen "alpha"; then "bravo", stamped ``age`` before it, commits late, and "charlie", newer."""
    now = timezone.now()
    _write(1, "alpha", now)
    index = LiveIndex()
    index.refresh()
    _write(2, "bravo", now - age)
    _write(3, "charlie", now + timedelta(seconds=1))
    return index


def test_a_late_commit_of_a_request_is_found_by_the_next_search():
    # A request's transaction stamped its row 3 s ago and commits only now, after a newer row was seen.
    index = _late_commit(timedelta(seconds=3))
    index.refresh()
    assert index.engine.document_frequency("bravo") == 1
    assert index.engine.document_frequency("charlie") == 1
    assert 3 * timedelta(seconds=1) < RECENT


def test_a_long_transaction_committing_late_is_found_by_the_sweep_not_by_every_search():
    # An import's slice stamped its row a minute ago and commits now.
    index = _late_commit(timedelta(minutes=1))
    index.refresh()
    assert index.engine.document_frequency("charlie") == 1
    assert index.engine.document_frequency("bravo") == 0  # not looked for on every search …
    _sweep_due(index)
    index.refresh()
    assert index.engine.document_frequency("bravo") == 1  # … but at the next sweep


def test_a_row_changed_again_within_the_window_by_a_late_commit_is_found_by_its_revision():
    now = timezone.now()
    _write(1, "alpha", now - timedelta(minutes=2))
    _write(2, "bravo", now)
    index = LiveIndex()
    index.refresh()
    # The same row again, stamped inside the window and committed late: the window's count stays the same.
    SearchDocument.objects.filter(key="need:1").update(
        terms={"delta": 1}, updated_at=now - timedelta(minutes=1), revision=F("revision") + 1
    )
    _sweep_due(index)
    index.refresh()
    assert index.engine.document_frequency("delta") == 1
    assert timedelta(minutes=2) < WINDOW


def test_a_sweep_that_finds_nothing_late_reads_no_rows():
    now = timezone.now()
    for number in range(50):
        _write(number, f"word{number}", now - timedelta(seconds=number))
    SearchDocument.objects.filter(key="need:7").update(deleted=True, revision=2)  # a tombstone is known too
    index = LiveIndex()
    index.refresh()
    _sweep_due(index)
    with CaptureQueriesContext(connection) as queries:
        index.refresh()
    # The newest stamp (before and in the snapshot), the keys of the last seconds, one aggregate over the window –
    # not the window's 50 rows.
    assert len(queries) == 4
    assert index.engine.document_frequency("word7") == 0
    assert index.engine.document_frequency("word8") == 1


def test_saving_an_object_without_a_change_to_its_document_writes_nothing():
    coordinator = make_person(Role.COORDINATOR)
    startup = OrganisationFactory.create(kind=OrganisationKind.STARTUP)
    profile = StartupProfile.objects.create(organisation=startup, verification=Verification.VERIFIED)
    solution = startup_services.solution_save(
        actor=coordinator, profile=profile, name="Leckortung", description="Findet Lecks in Rohren."
    )
    key = f"solution:{solution.pk}"
    before = SearchDocument.objects.values_list("updated_at", "revision").get(key=key)
    services.search_reindex(embed=False)  # a reindex of an unchanged world
    assert SearchDocument.objects.values_list("updated_at", "revision").get(key=key) == before
    startup_services.solution_save(
        actor=coordinator, profile=profile, solution=solution, description="Findet Lecks in Wasserrohren."
    )
    updated_at, revision = SearchDocument.objects.values_list("updated_at", "revision").get(key=key)
    assert revision == before[1] + 1 and updated_at > before[0]


@pytest.mark.django_db(transaction=True)
def test_a_worker_outside_any_transaction_reads_each_refresh_from_one_snapshot():
    """As in a web worker (no transaction around the request): the refresh opens its own (REPEATABLE READ on
    PostgreSQL) and still finds a late commit at the sweep and a newer row at once."""
    index = _late_commit(timedelta(minutes=1))
    _sweep_due(index)
    index.refresh()
    assert index.engine.document_frequency("bravo") == 1
    assert index.engine.document_frequency("charlie") == 1
    assert not connection.in_atomic_block


def test_the_index_has_room_for_an_import_without_copying_its_arrays():
    """Growing the arrays copies them in every worker at once (a second's stall at 270,000 documents): a full load
    leaves room for a quarter more documents, so an import of 1,100 new, embedded ones fits."""
    now = timezone.now() - timedelta(minutes=10)
    dim = LiveIndex().engine.dim
    vector = np.ones(dim, dtype=np.float32).tobytes()

    def rows(numbers: range) -> list[SearchDocument]:
        return [
            SearchDocument(
                key=f"need:{n}", kind="need", object_id=n, title="t", text="t", language="de", terms={"wort": 1},
                facets={"public": True}, content_hash="h", embedding=vector, embedding_hash="h", updated_at=now,
            )
            for n in numbers
        ]  # fmt: skip

    SearchDocument.objects.bulk_create(rows(range(4800)), batch_size=1000)
    index = LiveIndex()
    index.refresh()
    arrays = (index.engine.vectors, index.engine.alive.data)
    now = timezone.now()
    SearchDocument.objects.bulk_create(rows(range(4800, 5900)), batch_size=1000)
    index.refresh()
    assert len(index.engine) == 5900 and index.engine.vector_count() == 5900
    assert index.engine.vectors is arrays[0] and index.engine.alive.data is arrays[1]  # not grown, not copied
