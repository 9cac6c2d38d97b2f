"""The needs' filters, for the board, the workspace, their exports and the API (``core.filters``)."""

from typing import Any

import django_filters
from django import forms
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotsenhaus.core.filters import ListFilterSet, sort_filter
from lotsenhaus.core.vocabulary import Technology
from lotsenhaus.organisations.models import PUBLIC_BODY_KINDS, Organisation, OrganisationKind

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


class PipelineFilterSet(ListFilterSet):
    """The unit's pipeline overview: every need in every state, several stages at once (issue 17).

    The selector orders by the time a need has waited in its stage unless ``sort`` says otherwise.
    """

    search_fields = ("title", "organisation__name")
    orderings = {
        "deadline": (F("answer_deadline").asc(nulls_last=True), "id"),
        "status": ("status", "stage_since", "id"),
        "title": ("title", "id"),
    }

    class Meta:
        model = Need
        fields: list[str] = []

    status = django_filters.MultipleChoiceFilter(
        label=_("Stage"), choices=Status.choices, widget=forms.CheckboxSelectMultiple
    )
    organisation = django_filters.ModelChoiceFilter(
        label=_("Authority"),
        queryset=Organisation.objects.filter(kind__in=PUBLIC_BODY_KINDS).order_by("name"),
        empty_label=_("All"),
    )
    # me, none or a person's id (the API's operation says so; the page offers them as choices)
    coordinator = django_filters.CharFilter(label=_("Coordinator"), method="filter_coordinator", max_length=20)
    overdue = django_filters.BooleanFilter(
        label=_("Only published needs whose deadline has passed"), widget=forms.CheckboxInput, method="filter_overdue"
    )
    sort = sort_filter({"deadline": _("Deadline"), "status": _("Stage"), "title": _("Title")})

    def __init__(self, *args: Any, coordinators: Any = (), user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        form = self.form
        form.fields["q"].label = _("Title or authority")
        form.fields["sort"].empty_label = _("Longest in its stage first")
        form.fields["sort"].choices = [("", _("Longest in its stage first")), *self.orderings_offered()]
        # On the page the coordinator is chosen from the unit's staff; the API takes the same values as text.
        form.fields["coordinator"].widget = forms.Select(
            choices=[
                ("", _("All")),
                ("me", _("Mine")),
                ("none", _("Nobody assigned")),
                *[(str(person.pk), person.name or person.email) for person in coordinators],
            ]
        )

    def filter_coordinator(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if value == "me":
            return queryset.filter(coordinator=self.user) if self.user is not None else queryset.none()
        if value == "none":
            return queryset.filter(coordinator__isnull=True)
        return queryset.filter(coordinator_id=int(value)) if value.isdigit() else queryset.none()

    def filter_overdue(self, queryset: QuerySet[Any], name: str, value: bool) -> QuerySet[Any]:
        if not value:
            return queryset
        return queryset.filter(status=Status.PUBLISHED, answer_deadline__lt=timezone.localdate())
