from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from lotsenhaus.core.roles import Role
from tests.factories import make_person


@pytest.fixture(autouse=True)
def _clean_cache() -> None:
    """Rate-limit counters live in the cache; each test starts with none."""
    cache.clear()


@pytest.fixture(autouse=True, scope="session")
def _small_dictionary(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The same few German–English entries in every run, installed dictionary or not (tests/dictionary.py)."""
    import os

    from lotsenhaus.matching import translation
    from tests.dictionary import write_dictionary

    before = os.environ.get("LOTSENHAUS_DICTIONARY")
    os.environ["LOTSENHAUS_DICTIONARY"] = str(write_dictionary(tmp_path_factory.mktemp("dictd") / "test-deu-eng"))
    translation.forget()
    yield
    if before is None:
        del os.environ["LOTSENHAUS_DICTIONARY"]
    else:
        os.environ["LOTSENHAUS_DICTIONARY"] = before
    translation.forget()


@pytest.fixture(autouse=True)
def _fresh_search_index() -> None:
    """Each process keeps a copy of the search index; a test's rolled-back rows must not leak into the next."""
    from lotsenhaus.matching.index import forget

    forget()


@pytest.fixture
def person(db: None) -> Callable[..., object]:
    return make_person


@pytest.fixture
def client_for(db: None) -> Callable[..., Client]:
    """A signed-in client for a new person with ``role`` (None: signed in, no organisation)."""

    def make(role: Role | None, **kwargs: Any) -> Client:
        user = make_person(role, **kwargs)
        client = Client()
        client.force_login(user)
        client.user = user  # type: ignore[attr-defined]
        return client

    return make


@pytest.fixture
def media_root(settings: object, tmp_path: object) -> Iterator[object]:
    """Uploads and generated documents of a test go to a folder of its own, removed afterwards."""
    import shutil
    from pathlib import Path

    root = Path(str(tmp_path)) / "media"
    settings.MEDIA_ROOT = root  # type: ignore[attr-defined]
    yield root
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def object_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """A real S3-compatible server (SeaweedFS) for this test process, started once (tests/objectstore.py)."""
    from tests.objectstore import SeaweedFS

    store = SeaweedFS(tmp_path_factory.mktemp("seaweedfs")).start()
    yield store
    store.stop()


@pytest.fixture(scope="module")
def module_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[Any]:
    """The pipeline world of ``tests/pipeline.py`` (an authority with a published need, the unit, an expert, three
    startups, two answers), built once per module inside a transaction rolled back after the module's last test,
    as ``demo_world`` is. A module-scoped fixture may take it further (explore, evaluate, run a pilot) once for
    all its tests. Tests read it through ``pipeline_world``."""
    from django.db import transaction

    from tests.pipeline import build_world

    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture
def pipeline_world(module_world: Any, db: None) -> Any:
    """The module's pipeline world for one test, read again from the database (each test runs in a savepoint, so
    it may change the world freely; the next one gets it back as the module left it)."""
    return module_world.fresh()


@pytest.fixture(scope="module")
def demo_world(django_db_setup: None, django_db_blocker: object) -> Iterator[None]:
    """The demo world (`lotsenhaus demo`), built once per module inside a transaction that is rolled back after
    the module's last test; each test runs in its own savepoint within it (so it may change the world freely).
    Tests that use it read the people by their demo addresses."""
    import os

    from django.core.management import call_command
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():  # type: ignore[attr-defined]
        call_command("demo", no_serve=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
        yield
        transaction.set_rollback(True)
