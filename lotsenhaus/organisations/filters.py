"""The organisation list's filters, for its page and the API (``core.filters``)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from lotsenhaus.core.filters import ListFilterSet

from .models import Organisation, OrganisationKind


class OrganisationFilterSet(ListFilterSet):
    search_fields = ("name", "short_name")
    orderings = {"name": ("name",)}
    default_ordering = "name"

    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=OrganisationKind.choices, empty_label=_("All kinds"))

    class Meta:
        model = Organisation
        fields: list[str] = []
