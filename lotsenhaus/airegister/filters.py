"""The public AI register's filters, for its page and the open-data API (``core.filters``)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from lotsenhaus.core.filters import ListFilterSet

from .models import AiType, UseCase, UseCaseStatus


class RegisterFilterSet(ListFilterSet):
    search_fields = ("name", "short_description", "organisation__name")
    orderings = {"number": ("public_id",)}
    default_ordering = "number"

    status = django_filters.ChoiceFilter(label=_("Status"), choices=UseCaseStatus.choices, empty_label=_("All"))
    ai_type = django_filters.ChoiceFilter(label=_("Type of AI"), choices=AiType.choices, empty_label=_("All"))

    class Meta:
        model = UseCase
        fields: list[str] = []
