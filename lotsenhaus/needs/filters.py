"""The needs' filters, for the board, the workspace, their exports and the API (``core.filters``)."""

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotsenhaus.core.filters import ListFilterSet, sort_filter
from lotsenhaus.core.vocabulary import Technology
from lotsenhaus.organisations.models import OrganisationKind

from .models import PUBLIC_STATUSES, Need, PolicyField, Status

AUTHORITY_KINDS = (
    OrganisationKind.FACHBEHOERDE,
    OrganisationKind.BEZIRKSAMT,
    OrganisationKind.LANDESBETRIEB,
    OrganisationKind.OTHER_PUBLIC,
)


class NeedFilterSet(ListFilterSet):
    search_fields = ("title", "problem", "desired_outcome")
    orderings = {"newest": ("-published_at", "-id"), "deadline": ("answer_deadline", "-id"), "title": ("title", "id")}
    default_ordering = "newest"

    class Meta:
        model = Need
        fields: list[str] = []

    policy_field = django_filters.ChoiceFilter(
        label=_("Policy field"), choices=PolicyField.choices, empty_label=_("All")
    )
    technology = django_filters.ChoiceFilter(
        label=_("Technology"), choices=Technology.choices, empty_label=_("All"), method="filter_technology"
    )
    organisation_kind = django_filters.ChoiceFilter(
        label=_("Kind of authority"),
        choices=[(kind.value, kind.label) for kind in AUTHORITY_KINDS],
        empty_label=_("All"),
        method="filter_organisation_kind",
    )
    # Every state (the workspace holds drafts, needs under review and withdrawn ones); the board offers only
    # the public ones (see __init__).
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices, empty_label=_("All"))
    open_only = django_filters.BooleanFilter(
        label=_("Only needs still open for answers"), widget=forms.CheckboxInput, method="filter_open_only"
    )
    sort = sort_filter(
        {
            "newest": _("Newest first"),
            "deadline": _("Deadline"),
            "title": _("Title"),
        }
    )

    def __init__(self, *args: Any, workspace: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not workspace:
            field = self.form.fields["status"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [(s.value, s.label) for s in Status if s in PUBLIC_STATUSES]  # the empty one is added
        sort = self.form.fields["sort"]
        sort.empty_label = _("Best match first (with search words), else newest")
        sort.choices = self.orderings_offered()

    def filter_technology(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(technologies__has=value)

    def filter_organisation_kind(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        # Needs that hide their authority are not found by its kind either.
        return queryset.filter(organisation__kind=value, hide_organisation=False)

    def filter_open_only(self, queryset: QuerySet[Any], name: str, value: bool) -> QuerySet[Any]:
        return queryset.filter(answer_deadline__gte=timezone.localdate()) if value else queryset
