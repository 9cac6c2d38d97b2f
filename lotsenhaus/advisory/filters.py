"""The advisory track's filters, for the unit's overview and the API (``core.filters``)."""

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lotsenhaus.core.filters import ListFilterSet

from .models import Enrolment, EnrolmentStatus
from .progress import progress


class EnrolmentFilterSet(ListFilterSet):
    search_fields = ("startup__organisation__name",)

    status = django_filters.ChoiceFilter(label=_("Status"), choices=EnrolmentStatus.choices, empty_label=_("All"))
    stuck = django_filters.BooleanFilter(
        label=_("Show only the stuck ones"), widget=forms.CheckboxInput, method="filter_stuck"
    )

    class Meta:
        model = Enrolment
        fields: list[str] = []

    def filter_stuck(self, queryset: QuerySet[Any], name: str, value: bool) -> QuerySet[Any]:
        if not value:
            return queryset
        # Stuck is what progress() says (the pages show its reasons), read from the same annotated rows.
        return queryset.filter(pk__in=[enrolment.pk for enrolment in queryset if progress(enrolment).stuck])
