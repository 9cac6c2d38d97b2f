"""The long list's filters, for the exploration workspace and the API (``core.filters``)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from lotsenhaus.core.filters import ListFilterSet

from .models import Candidate, CandidateStatus


class CandidateFilterSet(ListFilterSet):
    """The long list in the order its entries were added; by status and by words in the startup's name or the note."""

    search_fields = ("startup__organisation__name", "note")

    status = django_filters.ChoiceFilter(label=_("Status"), choices=CandidateStatus.choices, empty_label=_("All"))

    class Meta:
        model = Candidate
        fields: list[str] = []
