"""Published articles as search documents: the reviewed version only, never a draft."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from lotsenhaus.matching.registry import Document, Source

from .markdown import plain_text
from .models import Article, Visibility
from .selectors import articles_visible


def build(ids: list[int]) -> list[Document]:
    documents = []
    for article in Article.objects.filter(pk__in=ids, published__isnull=False).select_related("published"):
        version = article.published
        assert version is not None  # filtered above
        text = "\n".join(p for p in [version.summary, plain_text(version.body), " ".join(version.tags)] if p)
        facets = {"public": article.visibility == Visibility.PUBLIC}
        documents.append(Document("article", article.pk, version.title, text, facets))
    return documents


def all_ids() -> Any:
    return Article.objects.filter(published__isnull=False).values_list("pk", flat=True).iterator()


SOURCE = Source(
    kind="article",
    build=build,
    all_ids=all_ids,
    visible=lambda user, ids: {a.pk: a for a in articles_visible(user=user, ids=ids)},
    triggers={Article: lambda a: [("article", a.pk)]},
    url=lambda a: reverse("knowledge:detail", args=[a.pk]),
    label=lambda a: a.published.title if a.published else a.title,
    see_all_permission="knowledge.view_internal_articles",
    public_for_anonymous=True,
)
