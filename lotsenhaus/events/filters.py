"""The event list's filters, for its page, the API and the calendar of the campus (``core.filters``)."""

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotsenhaus.core.filters import ListFilterSet

from .models import Event, EventKind

WHEN = [("upcoming", _("Upcoming events")), ("past", _("Past events"))]


class EventFilterSet(ListFilterSet):
    """Upcoming events soonest first (the default), past ones latest first; by kind and search words."""

    search_fields = ("title", "description", "place")

    when = django_filters.ChoiceFilter(label=_("When"), choices=WHEN, empty_label=None, method="filter_when")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=EventKind.choices, empty_label=_("All kinds"))

    class Meta:
        model = Event
        fields: list[str] = []

    @property
    def past(self) -> bool:
        return bool(self.is_valid() and self.form.cleaned_data.get("when") == "past")

    def filter_when(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        now = timezone.now()
        if value == "past":
            return queryset.filter(ends_at__lt=now).order_by("-starts_at", "-id")
        return queryset.filter(ends_at__gte=now).order_by("starts_at", "id")

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        queryset = super().filter_queryset(queryset)
        # No 'when' given (a bare list, an unknown value): the upcoming events, as the page first shows them.
        return queryset if self.form.cleaned_data.get("when") else self.filter_when(queryset, "when", "upcoming")
