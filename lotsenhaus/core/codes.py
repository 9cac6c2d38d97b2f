"""Lists of enum codes (technologies, affected groups, hosting, deployment) in one text column.

The column holds ``,a,b,`` so that "has code x" is one ``LIKE '%,x,%'`` on SQLite and PostgreSQL alike (SQLite
has no JSON ``contains``). ``CodeListField`` hides that form: the model attribute is a ``list[str]``, forms, the
API and the search index read and write lists, and a query asks ``technologies__has="ai_text"`` (issue 19).
"""

from collections.abc import Iterable
from typing import Any

from django.core import exceptions
from django.db import models
from django.db.models.lookups import Contains, Lookup
from django.db.models.query_utils import DeferredAttribute
from django.utils.translation import gettext_lazy as _


def encode_codes(codes: Iterable[str]) -> str:
    codes = [str(code) for code in codes]
    return f",{','.join(codes)}," if codes else ""


def decode_codes(value: str) -> list[str]:
    return [code for code in value.split(",") if code]


class _CodeListAttribute(DeferredAttribute):
    """Whatever is assigned (a list, a tuple, an encoded string) the attribute holds a list."""

    def __set__(self, instance: models.Model, value: Any) -> None:
        instance.__dict__[self.field.attname] = self.field.to_python(value)


class CodeListField(models.CharField):  # type: ignore[type-arg]
    """A ``list[str]`` of codes stored as ``,a,b,`` (see the module). Migrations see a plain ``CharField``: the
    column is the same, and migrations import no application code (tests/test_project.py)."""

    description = _("List of codes")
    descriptor_class = _CodeListAttribute
    # What django-stubs' plugin gives the model attribute: lists in, a list out.
    _pyi_private_set_type: Iterable[str] | str  # type: ignore[assignment]
    _pyi_private_get_type: list[str]  # type: ignore[assignment]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs

    def get_default(self) -> list[str]:
        return []

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> list[str]:
        return decode_codes(value or "")

    def to_python(self, value: Any) -> list[str]:
        if value is None or value == "":
            return []
        if isinstance(value, str):
            return decode_codes(value)
        return [str(code) for code in value]

    def get_prep_value(self, value: Any) -> Any:
        if isinstance(value, str) and (value == "" or (value.startswith(",") and value.endswith(","))):
            return value  # already in the stored form, or the pattern of a ``has`` lookup
        return encode_codes(self.to_python(value))  # a list, or a bare code given to update() or filter()

    def value_to_string(self, obj: models.Model) -> str:
        return encode_codes(self.value_from_object(obj))

    def validate(self, value: Any, model_instance: models.Model | None) -> None:
        if len(encode_codes(self.to_python(value))) > (self.max_length or 0):
            raise exceptions.ValidationError(_("Too many entries."), code="max_length")

    def run_validators(self, value: Any) -> None:
        """The length limit is checked on the stored form in ``validate``; a list has no characters to count."""


@CodeListField.register_lookup
class Has(Lookup):
    """``field__has="x"``: the list contains the code x – ``LIKE '%,x,%'`` through Django's own ``contains``."""

    lookup_name = "has"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        return Contains(self.lhs, f",{self.rhs},").as_sql(compiler, connection)
