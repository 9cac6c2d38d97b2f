from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lotsenhaus.accounts.actors import Actor, SignedInRequest, signed_in
from lotsenhaus.core.exceptions import ApplicationError
from lotsenhaus.core.exports import export_response, wanted_format
from lotsenhaus.core.forms import call_service
from lotsenhaus.core.htmx import render_page
from lotsenhaus.core.links import absolute, tag_uri
from lotsenhaus.core.pages import act_and_return, handle_forms
from lotsenhaus.core.pagination import page_of
from lotsenhaus.core.storage import download_name
from lotsenhaus.core.validation import require_permission
from lotsenhaus.matching import selectors as matching
from lotsenhaus.matching.forms import NeedMatchesForm, SimilarNeedsForm
from lotsenhaus.matching.selectors import ranker
from lotsenhaus.organisations.models import PUBLIC_BODY_KINDS
from lotsenhaus.organisations.selectors import organisation_list, unit_staff
from lotsenhaus.startups.models import Solution
from lotsenhaus.startups.selectors import answering_profile

from . import selectors, services
from .filters import NeedFilterSet, PipelineFilterSet
from .forms import (
    STEPS,
    AnswerForm,
    CallForm,
    CallNeedForm,
    NewNeedForm,
    PipelineBulkForm,
    PipelineViewForm,
    TransitionForm,
)
from .models import Need, Status

PAGE_SIZE = 25
PIPELINE_STATUSES = {"published", "exploration", "evaluation", "pilot", "closed"}


def _need_columns(internal: bool) -> list[Any]:
    columns = [
        (_("Title"), lambda c: c.title),
        (_("Status"), lambda c: c.get_status_display()),
        (_("Authority"), lambda c: c.organisation.name if internal or not c.hide_organisation else ""),
        (_("Policy field"), lambda c: c.get_policy_field_display()),
        (_("Technology hints"), lambda c: ", ".join(c.technology_labels())),
        (_("What is the problem?"), lambda c: c.problem),
        (_("What should be better afterwards?"), lambda c: c.desired_outcome),
        (_("Answer deadline"), lambda c: c.answer_deadline),
        (_("Published"), lambda c: c.published_at),
        (_("Address"), lambda c: settings.LOTSENHAUS_BASE_URL + reverse("needs:detail", args=[c.pk])),
    ]
    if internal:
        columns.append((_("Internal notes"), lambda c: c.internal_notes))
    return columns


def board(request: HttpRequest) -> HttpResponse:
    """The public need board: everyone, signed in or not, sees published needs."""
    filters = NeedFilterSet(request.GET, ranker=ranker(user=request.user, kind="need"))
    if fmt := wanted_format(request):
        return export_response(selectors.need_board(filters=filters), _need_columns(False), "bedarfe", fmt)
    page, query = page_of(request, selectors.need_board(filters=filters), PAGE_SIZE)
    context = {"form": filters.form, "page": page, "query": query}
    return render_page(request, "needs/board.html", "needs/partials/board_results.html", context)


@login_required
def workspace(request: SignedInRequest) -> HttpResponse:
    """Needs including drafts and those under review: own organisations, or all for the unit."""
    if not (request.user.has_perm("needs.add_need") or request.user.has_perm("needs.view_all_needs")):
        raise PermissionDenied
    filters = NeedFilterSet(request.GET, workspace=True, ranker=ranker(user=request.user, kind="need"))
    queryset = selectors.need_workspace(user=request.user, filters=filters)
    if fmt := wanted_format(request):
        return export_response(queryset, _need_columns(True), "bedarfe-arbeitsbereich", fmt)
    page, query = page_of(request, queryset, PAGE_SIZE)
    context = {"form": filters.form, "page": page, "query": query, "workspace": True}
    return render_page(request, "needs/workspace.html", "needs/partials/board_results.html", context)


BOARD_STAGES = [Status.DRAFT, Status.IN_REVIEW, Status.PUBLISHED, Status.EXPLORATION, Status.EVALUATION, Status.PILOT]
BOARD_CARDS_PER_STAGE = 15


def _pipeline_columns() -> list[Any]:
    return [
        (_("Title"), lambda c: c.title),
        (_("Stage"), lambda c: c.get_status_display()),
        (_("Authority"), lambda c: c.organisation.name),
        (_("Owner"), lambda c: c.owner.name or c.owner.email),
        (_("Coordinator"), lambda c: (c.coordinator.name or c.coordinator.email) if c.coordinator else ""),
        (_("In this stage since"), lambda c: c.stage_since),
        (_("Answer deadline"), lambda c: c.answer_deadline),
        (_("Next action"), lambda c: selectors.next_action(c)),
        (_("Address"), lambda c: settings.LOTSENHAUS_BASE_URL + reverse("needs:detail", args=[c.pk])),
    ]


def _pipeline_bulk(request: SignedInRequest, form: PipelineBulkForm, needs: Any) -> HttpResponse:
    data = form.cleaned_data
    chosen = [n for n in needs if n.pk in set(data["ids"])]
    if data["action"] in ("csv", "xlsx"):
        return export_response(chosen, _pipeline_columns(), "pipeline-auswahl", data["action"])
    if data["action"] == "publish":
        done, refused = services.needs_bulk(
            actor=request.user, needs=chosen, action="publish", answer_deadline=data["answer_deadline"]
        )
    else:
        done, refused = services.needs_bulk(
            actor=request.user, needs=chosen, action="assign", coordinator=data["coordinator"]
        )
    if done:
        messages.success(request, _("Done for %(count)d of the chosen needs.") % {"count": len(done)})
    for need, reason in refused:
        messages.error(request, _("“%(title)s”: %(reason)s") % {"title": need.title, "reason": reason})
    return redirect(request.get_full_path())


def _pipeline_rows(needs: Any) -> list[dict[str, Any]]:
    today = timezone.localdate()
    return [
        {
            "need": c,
            "action": selectors.next_action(c, today),
            "days": (today - timezone.localdate(c.stage_since)).days,
        }
        for c in needs
    ]


@login_required
def pipeline(request: SignedInRequest) -> HttpResponse:
    """Every need of the platform for the unit: a table or a board by stage, with counts, saved views and
    actions on several needs at once (issue 17)."""
    if not request.user.has_perm("needs.view_all_needs"):
        raise PermissionDenied
    coordinators = unit_staff().order_by("name", "email")
    filters = PipelineFilterSet(request.GET, coordinators=coordinators, user=request.user)
    posted = request.POST.get("form") if request.method == "POST" else None
    view_form = PipelineViewForm(request.POST if posted == "save_view" else None)
    bulk_form = None
    if posted == "bulk":
        ids = [int(value) for value in request.POST.getlist("ids") if value.isdigit()]
        needs = list(selectors.pipeline_selection(user=request.user, ids=ids))
        bulk_form = PipelineBulkForm(request.POST, needs=needs, coordinators=coordinators)
        if bulk_form.is_valid():
            return _pipeline_bulk(request, bulk_form, needs)
        for name in ("ids", "action"):
            for error in bulk_form.errors.get(name, []):
                messages.error(request, str(error))
    elif posted == "save_view" and view_form.is_valid():
        query = request.GET.urlencode()
        if call_service(
            view_form,
            lambda: services.pipeline_view_save(actor=request.user, name=view_form.cleaned_data["name"], query=query),
        ):
            messages.success(request, _("The view has been saved."))
            return redirect(request.get_full_path())
    elif posted == "delete_view":
        view = selectors.saved_views(user=request.user).filter(pk=request.POST.get("view", "")).first()
        if view is not None:
            services.pipeline_view_delete(actor=request.user, view=view)
            messages.success(request, _("The view has been removed."))
        return redirect(request.path)
    elif posted is not None:
        raise PermissionDenied
    queryset = selectors.pipeline_list(user=request.user, filters=filters)
    if fmt := wanted_format(request):
        return export_response(queryset, _pipeline_columns(), "pipeline", fmt)
    counts = selectors.pipeline_counts(user=request.user, filters=filters)
    chosen = set(filters.form.cleaned_data.get("status") or []) if filters.is_valid() else set()
    without_status = request.GET.copy()
    without_status.pop("status", None)
    without_status.pop("page", None)
    stages = [
        {
            "value": value,
            "label": label,
            "count": counts.get(value, 0),
            "query": (without_status.urlencode() + "&" if without_status else "") + f"status={value}",
            "current": chosen == {value},
        }
        for value, label in Status.choices
    ]
    board_view = request.GET.get("view") == "board"
    # The same filters in the other view: every value kept (a status chosen twice too) and encoded.
    other_view = request.GET.copy()
    other_view["view"] = "table" if board_view else "board"
    context: dict[str, Any] = {
        "form": filters.form,
        "filtered": bool(set(request.GET) - {"view", "page"}),
        "chosen": chosen,
        "stages": stages,
        "total": sum(counts.values()),
        "board_view": board_view,
        "other_view_url": "?" + other_view.urlencode(),
        "saved_views": selectors.saved_views(user=request.user),
        "view_form": view_form,
        "bulk_form": bulk_form or PipelineBulkForm(needs=[], coordinators=coordinators),
        "all_stages_query": without_status.urlencode(),
    }
    if board_view:
        # One query per stage, however many needs there are: each column shows its longest-waiting needs.
        context["columns"] = [
            {
                "value": stage.value,
                "label": stage.label,
                "count": counts.get(stage.value, 0),
                "query": next(s["query"] for s in stages if s["value"] == stage.value),
                "cards": _pipeline_rows(queryset.filter(status=stage)[:BOARD_CARDS_PER_STAGE]),
            }
            for stage in BOARD_STAGES
            if not chosen or stage.value in chosen
        ]
        context["shown"] = sum(column["count"] for column in context["columns"])
    else:
        page, query = page_of(request, queryset, 50)
        context.update(page=page, query=query, rows=_pipeline_rows(page.object_list), shown=page.paginator.count)
    return render(request, "needs/pipeline.html", context)


def _waiting_for_verification(user: Actor, need: Any) -> bool:
    """A startup not yet verified sees an open need it cannot answer: say why (issue 17, D26)."""
    if need.status != Status.PUBLISHED or selectors.deadline_passed(need):
        return False
    profile = answering_profile(user=user) if user.is_authenticated else None
    return profile is not None and not profile.is_verified


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    need = selectors.need_get(user=request.user, pk=pk)
    internal = request.user.has_perm("needs.view_internal", need)
    context = {
        "need": need,
        "internal": internal,
        "show_organisation": internal or not need.hide_organisation,
        "can_change": request.user.has_perm("needs.change_need", need),
        "actions": [(a, services.ACTION_LABELS[a]) for a in services.available_actions(request.user, need)],
        "missing": services.missing_for_submission(need) if need.status == Status.DRAFT else [],
        "comments": selectors.need_review_comments(need=need) if internal else [],
        "history": selectors.need_history(need=need) if internal else [],
        "deadline_passed": selectors.deadline_passed(need),
        "steps": STEPS,
        "answers": selectors.need_answers(user=request.user, need=need)
        if request.user.has_perm("needs.view_answers_of_need", need)
        else None,
        "own_answer": selectors.own_answer(user=request.user, need=need),
        "can_answer": request.user.has_perm("needs.answer_need", need),
        "waiting_for_verification": _waiting_for_verification(request.user, need),
        "can_see_matches": request.user.has_perm("matching.view_need_matches", need),
        "pipeline": request.user.has_perm("exploration.view_exploration", need) and need.status in PIPELINE_STATUSES,
    }
    return render(request, "needs/detail.html", context)


@login_required
def create(request: SignedInRequest) -> HttpResponse:
    if not request.user.has_perm("needs.add_need"):
        raise PermissionDenied
    organisations = organisation_list(user=request.user).filter(kind__in=PUBLIC_BODY_KINDS)
    form = NewNeedForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        need = call_service(form, lambda: services.need_create(actor=request.user, **form.cleaned_data))
        if need:
            messages.success(request, _("Your draft has been saved. Please describe the need step by step."))
            return redirect("needs:step", pk=need.pk, step=STEPS[0][0])
    return render(request, "needs/create.html", {"form": form})


@login_required
def step(request: SignedInRequest, pk: int, step: str) -> HttpResponse:
    """One step of the guided form; every save is a draft save, so nothing typed is lost."""
    need = selectors.need_get(user=request.user, pk=pk)
    if not request.user.has_perm("needs.change_need", need):
        raise PermissionDenied
    names = [name for name, _label, _form in STEPS]
    if step not in names:
        raise Http404
    index = names.index(step)
    form_class = STEPS[index][2]
    form = form_class(request.POST or None, instance=need)
    if request.method == "POST" and form.is_valid():
        updated = call_service(
            form,
            lambda: services.need_update(
                actor=request.user, need=need, version=form.cleaned_data["version"], **form.changes()
            ),
        )
        if updated:
            if "save_exit" in request.POST or index == len(STEPS) - 1:
                messages.success(request, _("Your changes have been saved."))
                return redirect("needs:detail", pk=need.pk)
            return redirect("needs:step", pk=need.pk, step=names[index + 1])
    context = {"need": need, "form": form, "steps": STEPS, "index": index, "current": step}
    status = 422 if request.method == "POST" else 200
    return render(request, "needs/step.html", context, status=status)


@login_required
@require_POST
def transition(request: SignedInRequest, pk: int) -> HttpResponse:
    need = selectors.need_get(user=request.user, pk=pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please check your input."))
        return redirect("needs:detail", pk=pk)
    data = form.cleaned_data
    try:
        updated = services.need_transition(
            actor=request.user,
            need=need,
            action=data["action"],
            comment=data["comment"],
            answer_deadline=data["answer_deadline"],
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("needs:detail", pk=pk)
    messages.success(request, _("The need is now: %(status)s.") % {"status": updated.get_status_display()})
    return redirect("needs:detail", pk=pk)


class PlainTextAtomFeed(Atom1Feed):
    """Atom with the summary as ``type="text"``: what people type into a need reaches feed readers as text,
    never as markup (Django writes ``type="html"``)."""

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        description = item.get("description")
        super().add_item_elements(handler, {**item, "description": None})
        if description:
            handler.addQuickElement("summary", description, {"type": "text"})


class NewNeedsFeed(Feed[Any, Any]):
    feed_type = PlainTextAtomFeed
    title = gettext_lazy("Lotsenhaus – newly published needs")
    subtitle = gettext_lazy("Needs of the administration that startups can answer.")

    # Ids are tag: URIs and links absolute from LOTSENHAUS_BASE_URL, so neither changes with the host or scheme
    # a reader used (issue 18; RFC 4287, 4.2.6).
    item_guid_is_permalink = False

    def link(self) -> str:
        return absolute(reverse("needs:board"))

    def feed_url(self) -> str:
        return absolute(reverse("needs:feed"))

    def feed_guid(self) -> str:
        return tag_uri("needs")

    def items(self) -> object:
        return selectors.need_feed_items()

    def item_guid(self, item: Need) -> str:
        return tag_uri(f"need/{item.pk}")

    def item_title(self, item: Need) -> str:
        return item.title

    def item_description(self, item: Need) -> str:
        return item.problem

    def item_link(self, item: Need) -> str:
        return absolute(reverse("needs:detail", args=[item.pk]))

    def item_pubdate(self, item: Need) -> object:
        return item.published_at

    def item_updateddate(self, item: Need) -> object:
        return item.updated_at  # atom:updated is required in every entry (RFC 4287, 4.1.2)

    def item_author_name(self, item: Need) -> str:
        # Every entry has an author (RFC 4287, 4.1.2): the unit publishes needs whose authority is not named.
        return str(settings.LOTSENHAUS_OPERATOR["name"]) if item.hide_organisation else item.organisation.name


def _answer_context(request: HttpRequest, need: Need, form: AnswerForm, answer: Any) -> dict[str, Any]:
    return {
        "need": need,
        "form": form,
        "answer": answer,
        "can_change": answer is None or request.user.has_perm("needs.change_answer", answer),
    }


@login_required
def answers_export(request: SignedInRequest, pk: int) -> HttpResponse:
    need = selectors.need_get(user=request.user, pk=pk)
    answers = selectors.need_answers(user=request.user, need=need)
    columns = [
        (_("Startup"), lambda a: a.startup.organisation.name),
        (_("Status"), lambda a: a.get_status_display()),
        (_("Solution"), lambda a: a.solution.name if a.solution else ""),
        (_("Approach"), lambda a: a.approach),
        (_("Comparable projects and references"), lambda a: a.references),
        (_("Rough cost (EUR, net)"), lambda a: a.cost_estimate),
        (_("Rough duration (weeks)"), lambda a: a.duration_weeks),
        (_("Attachments"), lambda a: ", ".join(x.original_name for x in a.attachments.all())),
        (_("Submitted"), lambda a: a.created_at),
    ]
    return export_response(answers, columns, "antworten", wanted_format(request) or "xlsx")


@login_required
def answer(request: SignedInRequest, pk: int) -> HttpResponse:
    """The startup's own answer to a need: write, change until the deadline, attach PDFs."""
    need = selectors.need_get(user=request.user, pk=pk)
    own = selectors.own_answer(user=request.user, need=need)
    profile = answering_profile(user=request.user)
    if own is None and not request.user.has_perm("needs.answer_need", need):
        raise PermissionDenied
    solutions = profile.solutions.all() if profile else Solution.objects.none()
    form = AnswerForm(request.POST or None, request.FILES or None, instance=own, solutions=solutions)
    if request.method == "POST":
        if own is not None and not request.user.has_perm("needs.change_answer", own):
            raise PermissionDenied
        if form.is_valid():
            saved = call_service(
                form,
                lambda: services.answer_save(
                    actor=request.user,
                    need=need,
                    version=form.cleaned_data["version"],
                    attachment=form.cleaned_data["attachment"],
                    **form.changes(),
                ),
            )
            if saved:
                messages.success(request, _("Your answer has been saved. You can change it until the deadline."))
                return redirect("needs:answer", pk=pk)
        return render(request, "needs/answer.html", _answer_context(request, need, form, own), status=422)
    return render(request, "needs/answer.html", _answer_context(request, need, form, own))


@login_required
@require_POST
def answer_withdraw(request: SignedInRequest, pk: int) -> HttpResponse:
    need = selectors.need_get(user=request.user, pk=pk)
    own = selectors.own_answer(user=request.user, need=need)
    if own is None:
        raise Http404
    try:
        services.answer_withdraw(actor=request.user, answer=own)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your answer has been withdrawn."))
    return redirect("needs:detail", pk=pk)


@login_required
def attachment_download(request: SignedInRequest, pk: int) -> FileResponse:
    """Attachments are served only to those who may see the answer, always as a download."""
    attachment = selectors.attachment_get(user=request.user, pk=pk)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=download_name(attachment.original_name, "pdf"),  # the type checked at upload, whatever the name
    )
    response["Content-Type"] = "application/pdf"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def attachment_remove(request: SignedInRequest, pk: int) -> HttpResponse:
    attachment = selectors.attachment_get(user=request.user, pk=pk)
    need_pk = attachment.answer.need_id
    try:
        services.attachment_remove(actor=request.user, attachment=attachment)
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("needs:answer", pk=need_pk)


CALL_SUCCESS = {
    "create": gettext_lazy("The call has been created. Add the needs it bundles."),
    "add": gettext_lazy("The need is part of the call."),
}


def calls(request: HttpRequest) -> HttpResponse:
    """Bundled calls: published ones for everyone, drafts and a form to start one for the unit."""
    can_manage = request.user.has_perm("needs.manage_calls")
    builders = {"create": lambda data, files: CallForm(data, prefix="create")}
    handlers = {"create": lambda f: services.call_create(actor=signed_in(request.user), **f.cleaned_data)}
    forms, response = handle_forms(
        request,
        builders,
        handlers if can_manage else {},
        CALL_SUCCESS,
        lambda call: reverse("needs:call", args=[call.pk]),
    )
    if response is not None:
        return response
    context = {"calls": selectors.call_list(user=request.user), "forms": forms, "can_manage": can_manage}
    return render(request, "needs/calls.html", context, status=422 if request.method == "POST" else 200)


def call(request: HttpRequest, pk: int) -> HttpResponse:
    bundle = selectors.call_get(user=request.user, pk=pk)
    can_manage = request.user.has_perm("needs.manage_calls")
    builders = {
        "add": lambda data, files: CallNeedForm(data, needs=selectors.callable_needs(call=bundle), prefix="add")
    }
    handlers = {
        "add": lambda f: services.call_add_need(actor=signed_in(request.user), call=bundle, need=f.cleaned_data["need"])
    }
    forms, response = handle_forms(
        request, builders, handlers if can_manage else {}, CALL_SUCCESS, reverse("needs:call", args=[pk])
    )
    if response is not None:
        return response
    context = {
        "call": bundle,
        "needs": selectors.call_needs(user=request.user, call=bundle),
        "forms": forms,
        "can_manage": can_manage,
    }
    return render(request, "needs/call.html", context, status=422 if request.method == "POST" else 200)


@login_required
@require_POST
def call_publish(request: SignedInRequest, pk: int) -> HttpResponse:
    bundle = selectors.call_get(user=request.user, pk=pk)
    return act_and_return(
        request,
        lambda: services.call_publish(actor=request.user, call=bundle),
        _("The call and all its needs are published."),
        reverse("needs:call", args=[pk]),
    )


@login_required
def matches(request: SignedInRequest, pk: int) -> HttpResponse:
    """ "Passende Lösungen": candidates for a need, for the unit and the authority that owns it."""
    need = selectors.need_get(user=request.user, pk=pk)
    require_permission(request.user, "matching.view_need_matches", need)
    form = NeedMatchesForm(request.GET or None)
    kind = "startup" if form.is_valid() and form.cleaned_data.get("kind") == "startup" else "solution"
    compact = request.GET.get("compact") == "1"
    outcome = matching.solutions_for_need(
        user=request.user, need=need, filters=form.filters(), limit=5 if compact else 20, kind=kind
    )
    context = {"need": need, "form": form, "outcome": outcome, "kind": kind, "compact": compact}
    return render_page(request, "needs/matches.html", "matching/partials/match_results.html", context)


@login_required
def similar(request: SignedInRequest) -> HttpResponse:
    """Fragment for the need form: needs of other authorities that resemble what is being written."""
    require_permission(request.user, "needs.use_workspace")
    form = SimilarNeedsForm(request.POST or request.GET or None)
    exclude = request.GET.get("exclude") or request.POST.get("exclude")
    organisation_id = None
    exclude_pk = None
    if exclude and exclude.isdigit():
        need = selectors.need_get(user=request.user, pk=int(exclude))
        organisation_id, exclude_pk = need.organisation_id, need.pk
    text = ""
    if form.is_valid():
        text = f"{form.cleaned_data['title']}\n{form.cleaned_data['problem']}"
    outcome = matching.similar_needs(
        user=request.user, text=text, organisation_id=organisation_id, exclude_pk=exclude_pk
    )
    context = {"outcome": outcome, "form": form}
    return render_page(request, "needs/similar.html", "needs/partials/similar.html", context)
