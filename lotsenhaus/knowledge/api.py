"""The knowledge base and the expert directory over the API, with the pages' services and rules."""

from datetime import datetime
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja import Status as HttpStatus
from ninja.pagination import paginate

from lotsenhaus.accounts.actors import Actor, SignedInRequest
from lotsenhaus.accounts.api_auth import OPTIONAL_AUTH
from lotsenhaus.airegister.selectors import use_cases_visible
from lotsenhaus.core.api import Pagination
from lotsenhaus.core.exceptions import ApplicationError
from lotsenhaus.core.filters import query_schema
from lotsenhaus.needs.selectors import needs_visible
from lotsenhaus.organisations.selectors import organisation_get
from lotsenhaus.pilots.selectors import pilot_get
from lotsenhaus.startups.selectors import profiles_visible

from . import selectors, services
from .filters import ArticleFilterSet, ExpertFilterSet
from .markdown import render_markdown
from .models import ArticleKind, Availability, PublicField, Visibility

router = Router(tags=["knowledge"])


class ArticleOut(Schema):
    id: int
    kind: str
    visibility: str
    status: str
    version: int
    title: str
    summary: str
    body: str
    html: str
    tags: list[str]
    published_at: datetime | None
    working_copy: bool


def _article_out(user: Actor, article: Any, working: bool = False) -> dict[str, Any]:
    """Readers get the published version; author and unit may ask for the working copy."""
    working = (working and user.has_perm("knowledge.view_working_copy", article)) or article.published is None
    shown = article if working else article.published
    return {
        "id": article.pk,
        "kind": article.kind,
        "visibility": shown.visibility,
        "status": article.status,
        "version": article.version,
        "title": shown.title,
        "summary": shown.summary,
        "body": shown.body,
        "html": str(render_markdown(shown.body)),
        "tags": shown.tags,
        "published_at": article.published_at,
        "working_copy": working,
    }


class ArticleListOut(Schema):
    """A published article as readers see it (the reviewed version)."""

    id: int
    kind: str
    visibility: str
    title: str
    summary: str
    tags: list[str]
    published_at: datetime | None

    @staticmethod
    def resolve_visibility(obj: Any) -> str:
        return obj.published.visibility

    @staticmethod
    def resolve_title(obj: Any) -> str:
        return obj.published.title

    @staticmethod
    def resolve_summary(obj: Any) -> str:
        return obj.published.summary

    @staticmethod
    def resolve_tags(obj: Any) -> list[str]:
        return obj.published.tags


class ArticleFilters(query_schema(ArticleFilterSet, "ArticleFilterSchema")):  # type: ignore[misc]
    """The knowledge base's filters, generated from its FilterSet (core.filters): the same as on the page."""


class ArticleIn(Schema):
    kind: ArticleKind
    title: str = Field(..., min_length=1, max_length=200)
    summary: str = Field("", max_length=400)
    body: str = Field(..., min_length=1, max_length=60000)
    tags: list[str] = Field(default_factory=list, max_length=12)
    visibility: Visibility
    need_ids: list[int] = Field(default_factory=list, max_length=50)
    pilot_id: int | None = Field(None, ge=1, le=2**31 - 1)
    use_case_ids: list[int] = Field(default_factory=list, max_length=50)
    startup_ids: list[int] = Field(default_factory=list, max_length=50)


class ArticlePatch(Schema):
    version: int
    kind: ArticleKind | None = None
    title: str | None = Field(None, min_length=1, max_length=200)
    summary: str | None = Field(None, max_length=400)
    body: str | None = Field(None, min_length=1, max_length=60000)
    tags: list[str] | None = Field(None, max_length=12)
    visibility: Visibility | None = None


class ReturnIn(Schema):
    note: str = Field(..., min_length=1, max_length=3000)


def _links(user: Actor, data: dict[str, Any]) -> dict[str, Any]:
    links: dict[str, Any] = {}
    for key, name, visible in (
        ("need_ids", "needs", needs_visible),
        ("startup_ids", "startups", profiles_visible),
        ("use_case_ids", "use_cases", use_cases_visible),
    ):
        ids = set(data.pop(key, []) or [])
        found = list(visible(user=user, ids=[i for i in ids if 0 < i < 2**31]))
        if len(found) != len(ids):
            raise ApplicationError(_("You can only link what you can see."), field=name, code="not_allowed")
        links[name] = found
    pilot_id = data.pop("pilot_id", None)
    links["pilot"] = pilot_get(user=user, pk=pilot_id) if pilot_id else None
    return links


@router.get("/articles", response=list[ArticleListOut], auth=OPTIONAL_AUTH, summary="Published articles you may read")
@paginate(Pagination, page_size=25)
def list_articles(request: HttpRequest, filters: Query[ArticleFilters]) -> Any:
    return selectors.articles_published(user=request.user, filters=filters.dict(exclude_none=True))


@router.get("/articles/{article_id}", response=ArticleOut, auth=OPTIONAL_AUTH)
def get_article(request: HttpRequest, article_id: int, working_copy: bool = False) -> Any:
    return _article_out(request.user, selectors.article_get(user=request.user, pk=article_id), working_copy)


@router.post("/articles", response={201: ArticleOut}, summary="Write an article (saved as a draft)")
def create_article(request: SignedInRequest, payload: ArticleIn) -> Any:
    if not request.user.has_perm("knowledge.add_article"):
        raise PermissionDenied
    data = payload.dict()
    links = _links(request.user, data)
    article = services.article_create(actor=request.user, **data, **links)
    return HttpStatus(201, _article_out(request.user, article, True))


@router.patch("/articles/{article_id}", response=ArticleOut)
def update_article(request: SignedInRequest, article_id: int, payload: ArticlePatch) -> Any:
    article = selectors.article_get(user=request.user, pk=article_id)
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None or k == "version"}
    version = data.pop("version")
    article = services.article_update(actor=request.user, article=article, version=version, **data)
    return _article_out(request.user, article, True)


@router.post("/articles/{article_id}/return", response=ArticleOut, summary="Return to the author with a note")
def return_article(request: SignedInRequest, article_id: int, payload: ReturnIn) -> Any:
    article = selectors.article_get(user=request.user, pk=article_id)
    return _article_out(
        request.user, services.article_return(actor=request.user, article=article, note=payload.note), True
    )


@router.post("/articles/{article_id}/{action}", response=ArticleOut, summary="submit, publish or withdraw")
def act_on_article(request: SignedInRequest, article_id: int, action: Literal["submit", "publish", "withdraw"]) -> Any:
    article = selectors.article_get(user=request.user, pk=article_id)
    service = {
        "submit": services.article_submit,
        "publish": services.article_publish,
        "withdraw": services.article_withdraw,
    }[action]
    return _article_out(request.user, service(actor=request.user, article=article), True)


def _shown(profile: Any, context: Any, name: str, value: Any) -> Any:
    """Outside the administration only the fields the expert made public; the others are null."""
    user = context["request"].user
    if user.has_perm("knowledge.view_full_expert_profiles") or name in profile.public_fields:
        return value
    return None


class ExpertOut(Schema):
    id: int
    name: str
    headline: str
    organisation: str | None = None
    expertise: list[str] | None = None
    bio: str | None = None
    languages: list[str] | None = None
    availability: str | None = None
    email: str | None = None

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj.user)

    @staticmethod
    def resolve_organisation(obj: Any, context: Any) -> str | None:
        return _shown(obj, context, "organisation", obj.organisation.name if obj.organisation else None)

    @staticmethod
    def resolve_expertise(obj: Any, context: Any) -> list[str] | None:
        return _shown(obj, context, "expertise", obj.expertise)

    @staticmethod
    def resolve_bio(obj: Any, context: Any) -> str | None:
        return _shown(obj, context, "bio", obj.bio)

    @staticmethod
    def resolve_languages(obj: Any, context: Any) -> list[str] | None:
        return _shown(obj, context, "languages", obj.languages)

    @staticmethod
    def resolve_availability(obj: Any, context: Any) -> str | None:
        return _shown(obj, context, "availability", obj.availability)

    @staticmethod
    def resolve_email(obj: Any, context: Any) -> str | None:
        return _shown(obj, context, "email", obj.user.email)


class ExpertFilters(query_schema(ExpertFilterSet, "ExpertFilterSchema")):  # type: ignore[misc]
    """The expert directory's filters, generated from its FilterSet (core.filters): the same as on the page."""


class ExpertIn(Schema):
    version: int | None = None
    headline: str = Field(..., min_length=1, max_length=200)
    organisation_id: int | None = Field(None, ge=1, le=2**31 - 1)
    expertise: list[str] = Field(..., min_length=1, max_length=15)
    bio: str = Field("", max_length=3000)
    languages: list[str] = Field(..., min_length=1, max_length=10)
    availability: Availability = Availability.AVAILABLE
    availability_note: str = Field("", max_length=200)
    is_public: bool = False
    public_fields: list[PublicField] = Field(default_factory=list)


@router.get("/experts", response=list[ExpertOut], auth=OPTIONAL_AUTH, summary="The expert directory")
@paginate(Pagination, page_size=50)
def list_experts(request: HttpRequest, filters: Query[ExpertFilters]) -> Any:
    return selectors.expert_directory(user=request.user, filters=filters.dict(exclude_none=True))


@router.put("/experts/me", response=ExpertOut, summary="Create or change my own expert profile")
def put_own_profile(request: SignedInRequest, payload: ExpertIn) -> Any:
    data = payload.dict()
    organisation_id = data.pop("organisation_id")
    data["organisation"] = organisation_get(user=request.user, pk=organisation_id) if organisation_id else None
    data["public_fields"] = [str(f.value) for f in data["public_fields"]]
    return services.expert_profile_save(actor=request.user, **data)


@router.get("/experts/{expert_id}", response=ExpertOut, auth=OPTIONAL_AUTH)
def get_expert(request: HttpRequest, expert_id: int) -> Any:
    return selectors.expert_get(user=request.user, pk=expert_id)
