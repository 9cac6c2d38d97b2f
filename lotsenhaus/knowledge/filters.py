"""The knowledge base's and the expert directory's filters, for their pages and the API (``core.filters``)."""

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from lotsenhaus.core.filters import ListFilterSet

from .models import Article, ArticleKind, Availability, ExpertProfile, PublicField


class ArticleFilterSet(ListFilterSet):
    search_fields = ("published__title", "published__body")
    orderings = {"newest": ("-published_at", "-id")}
    default_ordering = "newest"

    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ArticleKind.choices, empty_label=_("all"))
    tag = django_filters.CharFilter(label=_("Tag"), max_length=40, method="filter_tag")

    class Meta:
        model = Article
        fields: list[str] = []

    def __init__(self, *args: Any, tags: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if tags is not None:  # the page offers the tags in use as a list
            label = self.form.fields["tag"].label
            self.form.fields["tag"] = forms.ChoiceField(
                label=label, required=False, choices=[("", _("all")), *[(t, t) for t in tags]]
            )

    def filter_tag(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        tag = value.strip().lower()
        rows = queryset.values_list("pk", "published__tags")
        return queryset.filter(pk__in=[pk for pk, tags in rows if tag in {t.lower() for t in tags or []}])


class ExpertFilterSet(ListFilterSet):
    """A search matches only what the reader may read: outside the administration the name, the headline and the
    fields the expert made public (otherwise the search would tell what a private text contains)."""

    availability = django_filters.ChoiceFilter(
        label=_("Availability"), choices=Availability.choices, empty_label=_("all")
    )

    class Meta:
        model = ExpertProfile
        fields: list[str] = []

    def __init__(self, *args: Any, full: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.full = full

    def filter_words(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        for word in value.split()[:10]:
            match = Q(user__name__icontains=word) | Q(headline__icontains=word)
            for field_name in (PublicField.EXPERTISE, PublicField.BIO):
                field = Q(**{f"{field_name.value}__icontains": word})
                # public_fields is a JSON list of names; a quoted name matches one element exactly.
                match |= field if self.full else field & Q(public_fields__icontains=f'"{field_name.value}"')
            queryset = queryset.filter(match)
        return queryset
