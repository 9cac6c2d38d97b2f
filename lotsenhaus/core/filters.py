"""One filter definition per list (issue 19, item 1; HackSoft's and NetBox's django-filter FilterSets).

A list's ``FilterSet`` (in its app's ``filters.py``) is the only place that names its filters. It

- filters the selector's queryset (``ListFilterSet.apply(filters, queryset)``, after the visibility),
- renders as the HTML filter form of the page (``filterset.form``, labels and choices from the same filters),
- gives the API its query parameters (``query_schema``), so that page and API cannot offer different filters.

Query parameters are English, as the API's fields are. ``tests/test_filters.py`` checks every list's OpenAPI
parameters against its FilterSet.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from datetime import date
from typing import Any, ClassVar, Literal

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from ninja import Schema
from pydantic import Field, create_model

from .selectors import in_rank_order

Ranker = Callable[[str], list[int]]

RENDERED_FORMS = 512  # filter forms kept rendered per process (a few KB each)
_rendered: OrderedDict[Hashable, SafeString] = OrderedDict()
_rendered_lock = threading.Lock()


class RenderedOnce:
    """A filter form's HTML, rendered once per process for the same data, choices and language.

    A filter form is a GET form (no CSRF token) whose markup follows from its fields, their choices, the values
    asked for and the reader's language alone; Django renders it as one template per field and per option –
    a fifth of the need board's time under load (docs/trust.md). Forms with choices from the database render
    every time.
    """

    fields: dict[str, forms.Field]
    data: Any

    def render(self, template_name: str | None = None, context: Any = None, renderer: Any = None) -> SafeString:
        key = None
        if template_name is None and context is None and renderer is None:
            key = self._render_key()
        if key is None:
            return super().render(template_name, context, renderer)  # type: ignore[misc]
        with _rendered_lock:
            html = _rendered.get(key)
            if html is not None:
                _rendered.move_to_end(key)
                return html
        html = super().render()  # type: ignore[misc]
        with _rendered_lock:
            _rendered[key] = html
            while len(_rendered) > RENDERED_FORMS:
                _rendered.popitem(last=False)
        return html

    # Django binds these to its own render when it defines them; a template's {{ form }} calls them.
    __str__ = render
    __html__ = render

    def _render_key(self) -> Hashable | None:
        parts: list[Hashable] = [type(self).__qualname__, get_language()]
        getlist = getattr(self.data, "getlist", None)
        for name, field in self.fields.items():
            if isinstance(field, forms.ModelChoiceField):
                return None
            if getattr(field.widget, "choices", None) and not hasattr(field, "choices"):
                return None  # choices given to the widget alone (from the database): not part of the key
            value = tuple(getlist(name)) if getlist else self.data.get(name)
            choices = getattr(field, "choices", None)
            parts.append((name, value, tuple((k, str(v)) for k, v in choices) if choices is not None else None))
        return tuple(parts)


class ListFilterSet(django_filters.FilterSet):
    """Search words, filters and a sort order for one list.

    ``q`` is ranked by the search engine when the page passes a ``ranker`` (the ids that match the words, best
    first: compounds, synonyms, English, as in the header search); without one – the API – every word must occur
    in one of ``search_fields``. ``sort`` chooses one of ``orderings``; without it the list is in rank order when
    ranked, else in ``default_ordering``.
    """

    search_fields: ClassVar[tuple[str, ...]] = ()
    orderings: ClassVar[dict[str, tuple[Any, ...]]] = {}  # field names or expressions (nulls last)
    default_ordering: ClassVar[str] = ""

    q = django_filters.CharFilter(label=_("Search"), method="filter_words", max_length=200)

    def __init__(self, data: Mapping[str, Any] | None = None, *args: Any, ranker: Ranker | None = None, **kw: Any):
        # Always bound: an empty query string is the unfiltered list, not an unvalidated form.
        super().__init__(data if data is not None else {}, *args, **kw)
        self.ranker = ranker
        self.ranked: list[int] | None = None

    def get_form_class(self) -> type[forms.Form]:
        form_class = super().get_form_class()
        return type(form_class.__name__, (RenderedOnce, form_class), {"__module__": form_class.__module__})

    def filter_words(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if self.ranker is not None:
            self.ranked = self.ranker(value)
            return queryset.filter(pk__in=self.ranked)
        for word in value.split()[:10]:
            condition = Q()
            for field in self.search_fields:
                condition |= Q(**{f"{field}__icontains": word})
            queryset = queryset.filter(condition)
        # A search field across a to-many relation repeats rows (DISTINCT only then: it would cost, and on
        # PostgreSQL it refuses an order by a related field).
        return queryset.distinct() if any(_repeats_rows(queryset.model, f) for f in self.search_fields) else queryset

    def keep_order(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset  # applied last, in filter_queryset

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        self.ranked = None
        queryset = super().filter_queryset(queryset)
        sort = self.form.cleaned_data.get("sort") if "sort" in self.filters else ""
        if sort:
            return queryset.order_by(*self.orderings[sort])
        if self.ranked:
            return in_rank_order(queryset, self.ranked)
        return queryset.order_by(*self.orderings[self.default_ordering]) if self.default_ordering else queryset

    def orderings_offered(self) -> list[tuple[str, Any]]:
        """The sort field's choices without its empty one."""
        return [(value, label) for value, label in self.filters["sort"].extra["choices"] if value]

    @classmethod
    def apply(cls, filters: ListFilterSet | Mapping[str, Any] | None, queryset: QuerySet[Any]) -> QuerySet[Any]:
        """``queryset`` filtered by a bound FilterSet (a page's) or by plain values (the API's, a task's)."""
        filterset = filters if isinstance(filters, cls) else cls(filters, queryset=queryset)
        filterset.is_valid()  # invalid values are left out, as the form shows them with their errors
        return filterset.filter_queryset(queryset)


def _repeats_rows(model: Any, path: str) -> bool:
    """Whether a lookup path crosses a to-many relation (a row per related row)."""
    for part in path.split("__")[:-1]:
        field = model._meta.get_field(part)
        if field.many_to_many or field.one_to_many:
            return True
        model = field.related_model
    return False


def sort_filter(orderings: dict[str, Any]) -> django_filters.ChoiceFilter:
    """The ``sort`` parameter: choices are (value, label) of ``orderings``."""
    return django_filters.ChoiceFilter(
        label=_("Sort by"), choices=list(orderings.items()), method="keep_order", empty_label=_("Default order")
    )


def _choices(flt: django_filters.Filter) -> tuple[str, ...]:
    choices = flt.extra.get("choices", ())
    return tuple(str(value) for value, _label in (choices() if callable(choices) else choices) if value != "")


def query_schema(filterset: type[ListFilterSet], name: str, **extra: Any) -> type[Schema]:
    """The API's query parameters, generated from the FilterSet: same names, same choices, same limits."""
    fields: dict[str, Any] = {}
    for field_name, flt in filterset.base_filters.items():
        description = str(flt.label or field_name)
        if isinstance(flt, django_filters.ModelChoiceFilter):  # an object chosen by its id
            fields[field_name] = (int | None, Field(None, description=description))
        elif isinstance(flt, django_filters.MultipleChoiceFilter):
            fields[field_name] = (list[Literal[_choices(flt)]] | None, Field(None, description=description))  # type: ignore[misc]  # choices known at run time
        elif isinstance(flt, django_filters.ChoiceFilter):
            fields[field_name] = (Literal[_choices(flt)] | None, Field(None, description=description))
        elif isinstance(flt, django_filters.BooleanFilter):
            fields[field_name] = (bool, Field(False, description=description))
        elif isinstance(flt, django_filters.DateFilter):
            fields[field_name] = (date | None, Field(None, description=description))
        elif isinstance(flt, django_filters.NumberFilter):
            fields[field_name] = (int | None, Field(None, description=description))
        elif isinstance(flt, django_filters.CharFilter):
            fields[field_name] = (
                str | None,
                Field(None, max_length=flt.extra.get("max_length"), description=description),
            )
        else:
            raise TypeError(f"{filterset.__name__}.{field_name}: no API type for {type(flt).__name__}")
    return create_model(name, __base__=Schema, **fields, **extra)
