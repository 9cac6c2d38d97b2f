from typing import Any

from django import forms as djforms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lotsenhaus.accounts.actors import SignedInRequest
from lotsenhaus.core.documents import stored_file_response
from lotsenhaus.core.exceptions import ApplicationError
from lotsenhaus.core.htmx import render_page
from lotsenhaus.core.models import StoredDocument
from lotsenhaus.core.pages import act_and_return, handle_forms
from lotsenhaus.core.selectors import stored_documents
from lotsenhaus.matching.selectors import solutions_for_need
from lotsenhaus.needs.models import Status
from lotsenhaus.needs.selectors import need_get

from . import report, selectors, services
from .filters import CandidateFilterSet
from .forms import (
    AddCandidateForm,
    AnswerQuestionForm,
    CandidateBulkForm,
    CandidateForm,
    ContactForm,
    ExplorationForm,
    PreviewForm,
    QuestionForm,
    RecordQuestionForm,
    SuggestionsForm,
)
from .models import CandidateStatus, Question

SUCCESS = {
    "settings": gettext_lazy("The market exploration has been saved."),
    "suggestions": gettext_lazy("The chosen suggestions have been added to the long list."),
    "answers": gettext_lazy("Startups that answered are on the long list."),
    "add": gettext_lazy("The startup has been added to the long list."),
    "question": gettext_lazy("The question has been recorded."),
    "candidate": gettext_lazy("The entry has been saved."),
    "contact": gettext_lazy("The contact has been logged."),
    "bulk": gettext_lazy("The chosen startups have been dealt with."),
}


def _workspace_url(need_pk: int) -> str:
    return reverse("exploration:workspace", args=[need_pk])


def _bulk(request: SignedInRequest, exploration: Any, data: dict[str, Any]) -> int:
    """Several entries of the long list at once; refusals are named one by one, the rest is done."""
    if data["action"] == "message":
        return services.candidates_message(
            actor=request.user,
            exploration=exploration,
            candidate_ids=data["ids"],
            subject=data["subject"],
            text=data["text"],
        )
    status = CandidateStatus.SHORTLIST if data["action"] == "shortlist" else CandidateStatus.EXCLUDED
    done, refused = services.candidates_bulk(
        actor=request.user, exploration=exploration, candidate_ids=data["ids"], status=status, reason=data["reason"]
    )
    for entry, reason in refused:
        messages.error(request, f"{entry.startup.organisation.name}: {reason}")
    if refused and not done:
        raise ApplicationError(_("None of the chosen startups could be changed."), code="wrong_state")
    return done


@login_required
def workspace(request: SignedInRequest, pk: int) -> HttpResponse:
    """The long list and everything the report will say, for the unit; the authority reads along."""
    need = need_get(user=request.user, pk=pk)
    exploration = selectors.exploration_of(user=request.user, need=need)
    can_start = request.user.has_perm("exploration.start_exploration", need)
    if exploration is None:
        return render(request, "exploration/not_started.html", {"need": need, "can_start": can_start})
    can_manage = request.user.has_perm("exploration.manage_exploration", need)
    listed = selectors.candidates(exploration=exploration)
    # The search's suggestions are shown first, with why each was found; the coordinator ticks what joins.
    posted = request.POST.get("form") if request.method == "POST" else None
    raw = request.POST.get("suggestions-limit", "") if posted == "suggestions" else request.GET.get("limit", "")
    limit = min(max(int(raw), 1), 50) if raw.isdigit() else 10
    previewing = can_manage and (posted == "suggestions" or "limit" in request.GET)
    suggestions = solutions_for_need(user=request.user, need=need, limit=limit).results if previewing else []
    builders = {
        "settings": lambda data, files: ExplorationForm(data, instance=exploration, prefix="settings"),
        "suggestions": lambda data, files: SuggestionsForm(
            data, suggestions=suggestions, prefix="suggestions", initial={"limit": limit}
        ),
        "answers": lambda data, files: djforms.Form(data, prefix="answers"),
        "add": lambda data, files: AddCandidateForm(data, user=request.user, prefix="add"),
        "question": lambda data, files: RecordQuestionForm(data, candidates=listed, prefix="question"),
        "bulk": lambda data, files: CandidateBulkForm(data, candidates=listed, prefix="bulk"),
    }
    handlers = {
        "settings": lambda f: services.exploration_update(
            actor=request.user, exploration=exploration, version=f.cleaned_data["version"], **f.changes()
        ),
        "suggestions": lambda f: services.candidates_add_suggestions(
            actor=request.user, exploration=exploration, limit=f.cleaned_data["limit"], chosen=f.cleaned_data["chosen"]
        ),
        "answers": lambda f: services.candidates_add_answers(actor=request.user, exploration=exploration),
        "add": lambda f: services.candidate_add(
            actor=request.user, exploration=exploration, startup=f.cleaned_data["startup"], note=f.cleaned_data["note"]
        ),
        "question": lambda f: services.question_ask(
            actor=request.user, candidate=f.cleaned_data["candidate"], text=f.cleaned_data["text"]
        ),
        "bulk": lambda f: _bulk(request, exploration, f.cleaned_data),
    }
    forms, response = handle_forms(request, builders, handlers, SUCCESS, _workspace_url(pk))
    if response is not None:
        return response
    filters = CandidateFilterSet(request.GET)
    shown = selectors.candidates(exploration=exploration, filters=filters)
    status_filter = filters.form.cleaned_data.get("status", "") if filters.is_valid() else ""
    asked = list(selectors.questions(exploration=exploration))
    # Every state with its count, zero included (the template reads counts.shortlist).
    counts = dict.fromkeys(CandidateStatus.values, 0)
    counts.update({row["status"]: row["n"] for row in selectors.status_counts(exploration=exploration)})
    context = {
        "need": need,
        "exploration": exploration,
        "candidates": shown,
        "status_filter": status_filter,
        "statuses": [(value, label, counts.get(value, 0)) for value, label in CandidateStatus.choices],
        "counts": counts,
        "questions": asked,
        "unequal": [q for q in asked if q.unequal],
        "searches": exploration.searches.select_related("actor"),
        "documents": stored_documents(kind=report.KIND, obj=exploration),
        "forms": forms,
        "answer_form": AnswerQuestionForm(),
        "can_manage": can_manage,
        "preview_form": PreviewForm(initial={"limit": limit}),
        "suggestions": suggestions,
        "previewing": previewing,
        "listed_startups": {c.startup_id for c in listed} if previewing else set(),
        "chosen_ids": request.POST.getlist("bulk-ids") if request.method == "POST" else [],
        "chosen_suggestions": request.POST.getlist("suggestions-chosen") if request.method == "POST" else [],
        "can_report": request.user.has_perm("exploration.generate_report", need),
        "can_evaluate": request.user.has_perm("evaluations.start_evaluation", need),
    }
    status = 422 if request.method == "POST" else 200
    return render_page(request, "exploration/workspace.html", "exploration/partials/long_list.html", context, status)


@login_required
@require_POST
def start(request: SignedInRequest, pk: int) -> HttpResponse:
    need = need_get(user=request.user, pk=pk)
    return act_and_return(
        request,
        lambda: services.exploration_start(actor=request.user, need=need),
        _("The market exploration has started. Startups that answered are on the long list."),
        _workspace_url(pk),
    )


@login_required
def candidate(request: SignedInRequest, pk: int) -> HttpResponse:
    entry = selectors.candidate_get(user=request.user, pk=pk)
    need = entry.exploration.need
    builders = {
        "candidate": lambda data, files: CandidateForm(data, instance=entry, prefix="candidate"),
        "contact": lambda data, files: ContactForm(
            data, prefix="contact", initial={"happened_on": timezone.localdate()}
        ),
    }
    handlers = {
        "candidate": lambda f: services.candidate_update(
            actor=request.user, candidate=entry, version=f.cleaned_data["version"], **f.changes()
        ),
        "contact": lambda f: services.contact_add(actor=request.user, candidate=entry, **f.cleaned_data),
    }
    forms, response = handle_forms(request, builders, handlers, SUCCESS, reverse("exploration:candidate", args=[pk]))
    if response is not None:
        return response
    context = {
        "candidate": entry,
        "need": need,
        "contacts": selectors.candidate_contacts(candidate=entry),
        "forms": forms,
        "can_manage": request.user.has_perm("exploration.manage_exploration", need),
    }
    return render(request, "exploration/candidate.html", context, status=422 if request.method == "POST" else 200)


@login_required
def ask(request: SignedInRequest, pk: int) -> HttpResponse:
    """A startup on the long list asks about the need and reads the answers shared with everyone."""
    need = need_get(user=request.user, pk=pk)
    own = selectors.own_candidate(user=request.user, need=need)
    if own is None or not request.user.has_perm("exploration.ask_question", own):
        raise PermissionDenied
    builders = {"ask": lambda data, files: QuestionForm(data, prefix="ask")}
    handlers = {"ask": lambda f: services.question_ask(actor=request.user, candidate=own, text=f.cleaned_data["text"])}
    success = {"ask": gettext_lazy("Your question has been sent. The answer will appear here.")}
    forms, response = handle_forms(request, builders, handlers, success, reverse("exploration:ask", args=[pk]))
    if response is not None:
        return response
    context = {
        "need": need,
        "candidate": own,
        "questions": selectors.questions_for_candidate(candidate=own),
        "forms": forms,
        "open": need.status in (Status.EXPLORATION, Status.EVALUATION),
    }
    return render(request, "exploration/ask.html", context, status=422 if request.method == "POST" else 200)


def _question(request: HttpRequest, pk: int) -> Question:
    question = get_object_or_404(Question.objects.select_related("exploration__need"), pk=pk)
    if not request.user.has_perm("exploration.view_exploration", question.exploration.need):
        raise PermissionDenied
    return question


@login_required
@require_POST
def question_answer(request: SignedInRequest, pk: int) -> HttpResponse:
    question = _question(request, pk)
    form = AnswerQuestionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please write the answer."))
    else:
        try:
            services.question_answer(actor=request.user, question=question, answer=form.cleaned_data["answer"])
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The answer has been saved. Share it so that every candidate has it."))
    return redirect(_workspace_url(question.exploration.need_id) + "#questions-heading")


@login_required
@require_POST
def question_share(request: SignedInRequest, pk: int) -> HttpResponse:
    question = _question(request, pk)
    return act_and_return(
        request,
        lambda: services.question_share(actor=request.user, question=question),
        _("Question and answer have been shared with every candidate."),
        _workspace_url(question.exploration.need_id) + "#questions-heading",
    )


@login_required
@require_POST
def report_generate(request: SignedInRequest, pk: int) -> HttpResponse:
    need = need_get(user=request.user, pk=pk)
    exploration = selectors.exploration_of(user=request.user, need=need)
    if exploration is None:
        raise PermissionDenied
    try:
        document = services.report_generate(actor=request.user, exploration=exploration)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Version %(version)s of the report has been written and stored.") % {"version": document.version}
        )
    return redirect(_workspace_url(pk) + "#report-heading")


@login_required
def report_download(request: SignedInRequest, pk: int, fmt: str) -> FileResponse:
    document = get_object_or_404(StoredDocument, pk=pk, kind=report.KIND)
    exploration = selectors.exploration_by_id(pk=int(document.object_id))
    if not request.user.has_perm("exploration.view_exploration", exploration.need):
        raise PermissionDenied
    return stored_file_response(document, fmt)
