"""The startup directory's filters, for its page, its exports and the API (``core.filters``)."""

from typing import Any

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from lotsenhaus.core.filters import ListFilterSet

from .models import Hosting, PublicReference, StartupProfile, Verification


class DirectoryFilterSet(ListFilterSet):
    search_fields = ("organisation__name", "short_description", "solutions__name", "solutions__description")
    orderings = {"name": ("name",)}
    default_ordering = "name"

    hosting = django_filters.ChoiceFilter(
        label=_("Hosting"), choices=Hosting.choices, empty_label=_("All"), method="filter_hosting"
    )
    with_references = django_filters.BooleanFilter(
        label=_("Only with public-sector references"), widget=forms.CheckboxInput, method="filter_with_references"
    )
    # Only the unit sees unverified startups (other than one's own), so only the unit's form offers the choice.
    verification = django_filters.ChoiceFilter(
        label=_("Verification"), choices=Verification.choices, empty_label=_("All")
    )

    class Meta:
        model = StartupProfile
        fields: list[str] = []

    def __init__(self, *args: Any, all_profiles: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not all_profiles:
            self.form.fields["verification"].widget = forms.HiddenInput()

    def filter_hosting(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(hosting_locations__has=value)

    def filter_with_references(self, queryset: QuerySet[Any], name: str, value: bool) -> QuerySet[Any]:
        return queryset.filter(Exists(PublicReference.objects.filter(profile=OuterRef("pk")))) if value else queryset
