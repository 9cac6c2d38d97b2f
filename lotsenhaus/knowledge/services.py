"""Every write to the knowledge base and the expert directory."""

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lotsenhaus.accounts.models import User
from lotsenhaus.airegister.selectors import use_cases_visible
from lotsenhaus.airegister.services import use_case_invite_expert
from lotsenhaus.core.audit import audit, diff, snapshot
from lotsenhaus.core.exceptions import ApplicationError
from lotsenhaus.core.validation import assign, clean_or_refuse, refuse_unknown, require_permission, versioned_edit
from lotsenhaus.evaluations.services import evaluator_invite
from lotsenhaus.needs.selectors import needs_visible
from lotsenhaus.notifications.models import Topic
from lotsenhaus.notifications.services import notifications_send
from lotsenhaus.organisations.selectors import unit_staff
from lotsenhaus.pilots.selectors import pilot_list
from lotsenhaus.startups.selectors import profiles_visible

from . import audit_actions
from .models import Article, ArticleStatus, ArticleVersion, ExpertProfile, PublicField
from .selectors import link_snapshot

TEXT_FIELDS = ["kind", "title", "summary", "body", "tags", "visibility"]
LINK_FIELDS = ["needs", "pilot", "use_cases", "startups"]
MAX_TAGS = 12


def _clean_tags(tags: Any) -> list[str]:
    if isinstance(tags, str):
        tags = tags.split(",")
    seen: dict[str, str] = {}
    for tag in tags or []:
        tag = str(tag).strip()[:40]
        if tag and tag.lower() not in seen:
            seen[tag.lower()] = tag
    if len(seen) > MAX_TAGS:
        raise ApplicationError(
            _("Please use at most %(count)s tags.") % {"count": MAX_TAGS}, field="tags", code="invalid_value"
        )
    return list(seen.values())


def _check_links(actor: User, links: dict[str, Any]) -> None:
    """One may link only what one may see oneself."""
    need_ids = [n.pk for n in links.get("needs") or []]
    if need_ids and len(needs_visible(user=actor, ids=need_ids)) != len(set(need_ids)):
        raise ApplicationError(_("You can only link needs you can see."), field="needs", code="not_allowed")
    startup_ids = [s.pk for s in links.get("startups") or []]
    if startup_ids and len(profiles_visible(user=actor, ids=startup_ids)) != len(set(startup_ids)):
        raise ApplicationError(_("You can only link startups you can see."), field="startups", code="not_allowed")
    pilot = links.get("pilot")
    if pilot is not None and not pilot_list(user=actor).filter(pk=pilot.pk).exists():
        raise ApplicationError(_("You can only link pilots you can see."), field="pilot", code="not_allowed")
    use_case_ids = [u.pk for u in links.get("use_cases") or []]
    if use_case_ids and len(use_cases_visible(user=actor, ids=use_case_ids)) != len(set(use_case_ids)):
        raise ApplicationError(_("You can only link what you can see."), field="use_cases", code="not_allowed")


def _set_links(article: Article, links: dict[str, Any]) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for name in ("needs", "use_cases", "startups"):
        if name in links:
            before = sorted(getattr(article, name).values_list("pk", flat=True))
            getattr(article, name).set(links[name] or [])
            after = sorted(o.pk for o in links[name] or [])
            if before != after:
                changes[name] = [before, after]
    return changes


def _new_version(article: Article, actor: User) -> ArticleVersion:
    last = article.versions.order_by("-number").values_list("number", flat=True).first() or 0
    return ArticleVersion.objects.create(
        article=article,
        number=last + 1,
        title=article.title,
        summary=article.summary,
        body=article.body,
        tags=article.tags,
        visibility=article.visibility,
        links=link_snapshot(article),
        created_by=actor,
    )


@transaction.atomic
def article_create(*, actor: User, **fields: Any) -> Article:
    require_permission(actor, "knowledge.add_article")
    refuse_unknown(fields, TEXT_FIELDS + LINK_FIELDS)
    links = {k: fields.pop(k) for k in LINK_FIELDS if k in fields}
    _check_links(actor, links)
    article = Article(author=actor, pilot=links.get("pilot"))
    assign(article, {**fields, "tags": _clean_tags(fields.get("tags"))})
    clean_or_refuse(article, exclude=["author", "published"])
    article.save()
    _set_links(article, links)
    _new_version(article, actor)
    audit(
        actor=actor, action=audit_actions.ARTICLE_CREATE, obj=article, changes=diff({}, snapshot(article, TEXT_FIELDS))
    )
    return article


@transaction.atomic
def article_update(*, actor: User, article: Article, version: int, **fields: Any) -> Article:
    require_permission(actor, "knowledge.change_article", article)
    links = {k: fields.pop(k) for k in LINK_FIELDS if k in fields}
    if "tags" in fields:
        fields["tags"] = _clean_tags(fields["tags"])
    edit = versioned_edit(
        Article.objects.all(),
        article.pk,
        version,
        fields,
        TEXT_FIELDS,
        _("Someone else has changed this article in the meantime. Please reload the page."),
    )
    current, before = edit.obj, edit.before
    require_permission(actor, "knowledge.change_article", current)
    _check_links(actor, links)
    links_before = link_snapshot(current)
    if "pilot" in links:
        current.pilot = links["pilot"]
    edit.save(
        actor=actor,
        action=audit_actions.ARTICLE_UPDATE,
        exclude=["author", "published"],
        after_save=lambda saved, _changes: _set_links(saved, links),
    )
    # Text, visibility and links are what the review approves: a change to any of them is a new version.
    reviewed = ("title", "summary", "body", "tags", "visibility")
    changed = any(before[k] != getattr(current, k) for k in reviewed) or link_snapshot(current) != links_before
    if changed and current.status == ArticleStatus.PUBLISHED:
        current.status = ArticleStatus.DRAFT  # readers keep the published version until the review
        current.save(update_fields=["status"])
    if changed:
        _new_version(current, actor)
    return current


def _locked(article: Article) -> Article:
    return Article.objects.select_for_update().get(pk=article.pk)


def _url(article: Article) -> str:
    return reverse("knowledge:detail", args=[article.pk])


@transaction.atomic
def article_submit(*, actor: User, article: Article) -> Article:
    current = _locked(article)
    require_permission(actor, "knowledge.submit_article", current)
    current.status = ArticleStatus.IN_REVIEW
    current.version += 1
    current.save(update_fields=["status", "version", "updated_at"])
    audit(actor=actor, action=audit_actions.ARTICLE_SUBMIT, obj=current, changes={"status": ["draft", "in_review"]})
    notifications_send(
        recipients=unit_staff(),
        actor=actor,
        topic=Topic.KNOWLEDGE,
        title=lambda: _("Article to review: %(title)s") % {"title": current.title},
        url=_url(current),
        key=f"article-review:{current.pk}:{current.versions.count()}",
    )
    return current


@transaction.atomic
def article_publish(*, actor: User, article: Article) -> Article:
    current = _locked(article)
    require_permission(actor, "knowledge.review_article", current)
    latest = current.versions.order_by("-number").first()
    current.published = latest
    current.published_at = timezone.now()
    current.status = ArticleStatus.PUBLISHED
    current.review_note = ""
    current.version += 1
    current.save()
    audit(
        actor=actor,
        action=audit_actions.ARTICLE_PUBLISH,
        obj=current,
        changes={"status": ["in_review", "published"], "published_version": latest.number if latest else None},
    )
    notifications_send(
        recipients=[current.author],
        actor=actor,
        topic=Topic.KNOWLEDGE,
        title=lambda: _("Your article is published: %(title)s") % {"title": current.title},
        url=_url(current),
        key=f"article-published:{current.pk}:{latest.number if latest else 0}",
    )
    return current


@transaction.atomic
def article_return(*, actor: User, article: Article, note: str) -> Article:
    current = _locked(article)
    require_permission(actor, "knowledge.review_article", current)
    if not note.strip():
        raise ApplicationError(_("Please say what should change."), field="note", code="required")
    current.status = ArticleStatus.DRAFT
    current.review_note = note.strip()
    current.version += 1
    current.save(update_fields=["status", "review_note", "version", "updated_at"])
    audit(
        actor=actor,
        action=audit_actions.ARTICLE_RETURN,
        obj=current,
        changes={"status": ["in_review", "draft"], "note": note},
    )
    notifications_send(
        recipients=[current.author],
        actor=actor,
        topic=Topic.KNOWLEDGE,
        title=lambda: _("Please revise your article: %(title)s") % {"title": current.title},
        body=note.strip(),
        url=_url(current),
        key=f"article-returned:{current.pk}:{current.version}",
    )
    return current


@transaction.atomic
def article_withdraw(*, actor: User, article: Article) -> Article:
    current = _locked(article)
    require_permission(actor, "knowledge.withdraw_article", current)
    current.published = None
    current.published_at = None
    current.status = ArticleStatus.DRAFT
    current.version += 1
    current.save()
    audit(actor=actor, action=audit_actions.ARTICLE_WITHDRAW, obj=current, changes={"status": ["published", "draft"]})
    return current


# --- Expert directory -----------------------------------------------------------------------------------

PROFILE_FIELDS = [
    "organisation",
    "headline",
    "expertise",
    "bio",
    "languages",
    "availability",
    "availability_note",
    "is_public",
    "public_fields",
]


def _clean_list(value: Any, limit: int) -> list[str]:
    if isinstance(value, str):
        value = value.split(",")
    return list(dict.fromkeys(str(v).strip()[:60] for v in value or [] if str(v).strip()))[:limit]


@transaction.atomic
def expert_profile_save(*, actor: User, version: int | None = None, **fields: Any) -> ExpertProfile:
    """Create or change one's own directory entry; what is public is the expert's choice alone."""
    require_permission(actor, "knowledge.have_expert_profile")
    refuse_unknown(fields, PROFILE_FIELDS)
    for name, limit in (("expertise", 15), ("languages", 10)):
        if name in fields:
            fields[name] = _clean_list(fields[name], limit)
    if "public_fields" in fields:
        if unknown := set(fields["public_fields"] or []) - set(PublicField.values):
            raise ApplicationError(
                _("Unknown field: %(field)s") % {"field": ", ".join(sorted(unknown))}, code="unknown_field"
            )
        fields["public_fields"] = sorted(set(fields["public_fields"] or []))
    organisation = fields.get("organisation")
    if organisation is not None and not actor.memberships.filter(organisation=organisation, is_active=True).exists():
        raise ApplicationError(
            _("Please choose one of your own organisations."), field="organisation", code="not_allowed"
        )
    existing = ExpertProfile.objects.select_for_update().filter(user=actor).first()
    if existing is None:
        profile = ExpertProfile(user=actor)
        assign(profile, fields)
        clean_or_refuse(profile, exclude=["user"])
        profile.save()
        audit(
            actor=actor,
            action=audit_actions.EXPERT_PROFILE_CREATE,
            obj=profile,
            changes=diff({}, snapshot(profile, PROFILE_FIELDS)),
        )
        return profile
    if version != existing.version:
        raise ApplicationError(
            _("Your profile was changed in another window. Please reload the page."), code="conflict"
        )
    before = snapshot(existing, PROFILE_FIELDS)
    assign(existing, fields)
    clean_or_refuse(existing, exclude=["user"])
    existing.version += 1
    existing.save()
    if changes := diff(before, snapshot(existing, PROFILE_FIELDS)):
        audit(actor=actor, action=audit_actions.EXPERT_PROFILE_UPDATE, obj=existing, changes=changes)
    return existing


@transaction.atomic
def expert_invite_to_evaluation(*, actor: User, profile: ExpertProfile, evaluation: Any) -> Any:
    """The directory's shortcut to the evaluation's own invitation (which checks and notifies)."""
    require_permission(actor, "knowledge.invite_expert")
    return evaluator_invite(actor=actor, evaluation=evaluation, user=profile.user)


@transaction.atomic
def expert_invite_to_assessment(*, actor: User, profile: ExpertProfile, use_case: Any, message: str = "") -> int:
    require_permission(actor, "knowledge.invite_expert")
    if not profile.user.has_perm("airegister.be_invited"):
        raise ApplicationError(_("Only members of an expert network can assess AI use cases."), code="not_allowed")
    use_case_invite_expert(actor=actor, use_case=use_case, expert=profile.user)
    audit(
        actor=actor,
        action=audit_actions.EXPERT_INVITE_ASSESSMENT,
        obj=use_case,
        changes={"expert": [None, profile.user_id]},
    )
    return notifications_send(
        recipients=[profile.user],
        actor=actor,
        topic=Topic.EVALUATION,
        title=lambda: _("Please assess the AI use case “%(title)s”") % {"title": use_case.name},
        body=message.strip(),
        url=reverse("airegister:detail", args=[use_case.pk]),
        key=f"assessment-invite:{use_case.pk}:{profile.user_id}",
    )
