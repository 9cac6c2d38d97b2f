"""Assert a refusal by its code (and field), never by its translated message (issue 19)."""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from lotsenhaus.core.exceptions import ERROR_CODES, ApplicationError


@contextmanager
def refused(code: str, field: str | None = None) -> Iterator[None]:
    assert code in ERROR_CODES, f"unknown error code {code!r}"
    with pytest.raises(ApplicationError) as raised:
        yield
    assert raised.value.code == code, f"refused with {raised.value.code!r}: {raised.value.message}"
    if field is not None:
        assert raised.value.field == field, f"refused on {raised.value.field!r}: {raised.value.message}"
