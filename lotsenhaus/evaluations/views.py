from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lotsenhaus.accounts.actors import SignedInRequest
from lotsenhaus.core.documents import CONTENT_TYPES, to_pdf
from lotsenhaus.core.exceptions import ApplicationError
from lotsenhaus.core.forms import call_service
from lotsenhaus.core.pages import act_and_return, handle_forms
from lotsenhaus.needs.selectors import need_get
from lotsenhaus.organisations.selectors import possible_jurors

from . import export, selectors, services
from .forms import CriterionForm, DeclarationForm, InviteForm, PriceForm, SettingsForm, score_form, score_values
from .models import Criterion, CriterionKind, Evaluation, EvaluationStatus

SUCCESS = {
    "settings": gettext_lazy("The settings have been saved."),
    "criterion": gettext_lazy("The criterion has been added."),
    "invite": gettext_lazy("The person has been invited and told by e-mail."),
    "price": gettext_lazy("The price has been saved."),
}


def _evaluation(request: HttpRequest, pk: int) -> tuple[Any, Evaluation]:
    return selectors.evaluation_for(user=request.user, need_pk=pk)


@login_required
@require_POST
def start(request: SignedInRequest, pk: int) -> HttpResponse:
    need = need_get(user=request.user, pk=pk)
    try:
        services.evaluation_start(actor=request.user, need=need)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("exploration:workspace", pk=pk)
    messages.success(request, _("The evaluation has started. Set the criteria and invite the evaluators."))
    return redirect("evaluations:overview", pk=pk)


@login_required
def overview(request: SignedInRequest, pk: int) -> HttpResponse:
    need = need_get(user=request.user, pk=pk)
    evaluation = selectors.evaluation_of(user=request.user, need=need)
    if evaluation is None:
        if not request.user.has_perm("exploration.view_exploration", need):
            raise PermissionDenied
        return render(request, "evaluations/not_started.html", {"need": need})
    listed = selectors.candidates(evaluation=evaluation)
    builders = {
        "settings": lambda data, files: SettingsForm(data, instance=evaluation, prefix="settings"),
        "criterion": lambda data, files: CriterionForm(data, prefix="criterion"),
        "invite": lambda data, files: InviteForm(
            data, people=possible_jurors(organisation_id=need.organisation_id), prefix="invite"
        ),
        "price": lambda data, files: PriceForm(data, prefix="price"),
    }

    def set_price(form: Any) -> Any:
        candidate = next((c for c in listed if c.pk == form.cleaned_data["candidate"]), None)
        if candidate is None:
            raise ApplicationError(_("This startup is not on the short list."), code="not_allowed")
        return services.price_set(
            actor=request.user, evaluation=evaluation, candidate=candidate, amount=form.cleaned_data["amount"]
        )

    handlers = {
        "settings": lambda f: services.evaluation_update(
            actor=request.user, evaluation=evaluation, version=f.cleaned_data["version"], **f.changes()
        ),
        "criterion": lambda f: services.criterion_add(actor=request.user, evaluation=evaluation, **f.service_args()),
        "invite": lambda f: services.evaluator_invite(
            actor=request.user, evaluation=evaluation, user=f.cleaned_data["user"]
        ),
        "price": set_price,
    }
    forms, response = handle_forms(request, builders, handlers, SUCCESS, reverse("evaluations:overview", args=[pk]))
    if response is not None:
        return response
    user = request.user
    can_results = user.has_perm("evaluations.view_results", evaluation)
    prices = selectors.prices(user=user, evaluation=evaluation) if can_results else {}
    # The unit enters the price; the answer's own cost estimate is offered as a start (issue 17).
    offered = selectors.answered_costs(evaluation=evaluation) if can_results else {}
    context = {
        "need": need,
        "evaluation": evaluation,
        "criteria": selectors.criteria(evaluation=evaluation),
        "evaluators": selectors.evaluators(evaluation=evaluation),
        "candidates": [(c, prices.get(c.pk), offered.get(c.startup_id)) for c in listed],
        "forms": forms,
        "can_manage": user.has_perm("evaluations.manage_evaluation", evaluation),
        "can_edit_criteria": user.has_perm("evaluations.edit_criteria", evaluation),
        "can_results": can_results,
        "own": selectors.evaluator_of(user=user, evaluation=evaluation),
        "can_design": user.has_perm("pilots.design_pilot", need) and evaluation.status == EvaluationStatus.CLOSED,
    }
    return render(request, "evaluations/overview.html", context, status=422 if request.method == "POST" else 200)


@login_required
@require_POST
def criterion_remove(request: SignedInRequest, pk: int) -> HttpResponse:
    criterion = get_object_or_404(Criterion.objects.select_related("evaluation__need"), pk=pk)
    need_pk = criterion.evaluation.need_id
    _evaluation(request, need_pk)
    return act_and_return(
        request,
        lambda: services.criterion_remove(actor=request.user, criterion=criterion),
        _("The criterion has been removed."),
        reverse("evaluations:overview", args=[need_pk]),
    )


@login_required
def criterion_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    """Change one criterion with its levels prefilled, while the evaluation is set up (issue 17, D40)."""
    criterion = get_object_or_404(Criterion.objects.select_related("evaluation__need"), pk=pk)
    need, evaluation = _evaluation(request, criterion.evaluation.need_id)
    if not request.user.has_perm("evaluations.edit_criteria", evaluation):
        raise PermissionDenied
    initial = {
        "kind": criterion.kind,
        "name": criterion.name,
        "description": criterion.description,
        "weight": criterion.weight if criterion.kind == CriterionKind.WEIGHTED else None,
        "levels": "\n".join(criterion.levels),
    }
    form = CriterionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = call_service(
            form, lambda: services.criterion_update(actor=request.user, criterion=criterion, **form.service_args())
        )
        if done:
            messages.success(request, _("The criterion has been saved."))
            return redirect("evaluations:overview", pk=need.pk)
    context = {"form": form, "criterion": criterion, "need": need}
    return render(request, "evaluations/criterion_edit.html", context, status=422 if request.method == "POST" else 200)


STEPS = {
    "open": (services.evaluation_open, gettext_lazy("Scoring is open. The evaluators can now score.")),
    "close": (services.evaluation_close, gettext_lazy("The evaluation is closed.")),
}


@login_required
@require_POST
def step(request: SignedInRequest, pk: int, action: str) -> HttpResponse:
    """Freeze the criteria and open scoring, or close the evaluation."""
    if action not in STEPS:
        raise Http404
    _need, evaluation = _evaluation(request, pk)
    service, success = STEPS[action]
    return act_and_return(
        request,
        lambda: service(actor=request.user, evaluation=evaluation),
        success,
        reverse("evaluations:overview", args=[pk]),
    )


@login_required
def sheet(request: SignedInRequest, pk: int) -> HttpResponse:
    """The evaluator's own sheet: declare conflicts, score each startup, submit. Never shows others' scores."""
    need, evaluation = _evaluation(request, pk)
    own = selectors.evaluator_of(user=request.user, evaluation=evaluation)
    if own is None:
        raise PermissionDenied
    criteria = list(selectors.criteria(evaluation=evaluation))
    listed = selectors.candidates(evaluation=evaluation)
    scores, declarations = selectors.own_sheet(evaluator=own)
    posted = request.POST.get("form", "") if request.method == "POST" else ""
    dossiers = selectors.juror_dossiers(evaluation=evaluation, evaluator=own, listed=listed)
    rows = []
    failed = False
    for candidate in listed:
        initial: dict[str, Any] = {}
        for criterion in criteria:
            score = scores.get((candidate.pk, criterion.pk))
            if score is not None:
                if criterion.kind == CriterionKind.WEIGHTED:
                    initial[f"c{criterion.pk}"] = score.points
                elif score.passed is not None:
                    initial[f"c{criterion.pk}"] = "pass" if score.passed else "fail"
                initial[f"c{criterion.pk}_comment"] = score.comment
        declaration = declarations.get(candidate.pk)
        declare_initial = (
            {"conflicted": "yes" if declaration.conflicted else "no", "note": declaration.note} if declaration else {}
        )
        prefix = f"k{candidate.pk}"
        declare = DeclarationForm(
            request.POST if posted == f"declare-{candidate.pk}" else None, initial=declare_initial, prefix=f"{prefix}d"
        )
        scoring = score_form(
            evaluation,
            criteria,
            initial,
            request.POST if posted == f"score-{candidate.pk}" else None,
            prefix=f"{prefix}s",
        )
        if posted == f"declare-{candidate.pk}" and declare.is_valid():
            try:
                services.conflict_declare(
                    actor=request.user, evaluation=evaluation, candidate=candidate, **declare.cleaned_data
                )
            except ApplicationError as error:
                declare.add_error(None, error.message)
            else:
                messages.success(request, _("Your declaration has been saved."))
                return redirect(reverse("evaluations:sheet", args=[pk]) + f"#candidate-{candidate.pk}")
        if posted == f"score-{candidate.pk}" and scoring.is_valid():
            try:
                services.scores_save(
                    actor=request.user,
                    evaluation=evaluation,
                    candidate=candidate,
                    values=score_values(scoring, criteria),
                )
            except ApplicationError as error:
                scoring.add_error(None, error.message)
            else:
                messages.success(request, _("Your scores have been saved."))
                return redirect(reverse("evaluations:sheet", args=[pk]) + f"#candidate-{candidate.pk}")
        failed = failed or bool(posted and (declare.errors or scoring.errors))
        rows.append(
            {
                "candidate": candidate,
                "declaration": declaration,
                "declare": declare,
                "scoring": scoring,
                "dossier": dossiers.get(candidate.pk),
            }
        )
    if posted == "submit":
        try:
            services.evaluation_submit(actor=request.user, evaluation=evaluation)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your evaluation has been submitted. You can now see the matrix."))
            return redirect("evaluations:matrix", pk=pk)
        return redirect("evaluations:sheet", pk=pk)
    context = {
        "need": need,
        "evaluation": evaluation,
        "own": own,
        "rows": rows,
        "criteria": criteria,
        "can_score": request.user.has_perm("evaluations.score", evaluation),
        "missing": selectors.missing_on_sheet(
            candidates=listed, criteria=criteria, scores=scores, declarations=declarations
        )
        if own.submitted_at is None
        else [],
    }
    return render(request, "evaluations/sheet.html", context, status=422 if failed else 200)


def _matrix_context(request: HttpRequest, evaluation: Evaluation) -> dict[str, Any]:
    matrix, listed, criteria, people = selectors.matrix(user=request.user, evaluation=evaluation)
    names = {c.pk: c.startup.organisation.name for c in listed}
    evaluators = {e.pk: str(e.user) for e in people}
    return {
        "matrix": matrix,
        "listed": listed,
        "criteria": criteria,
        "people": people,
        "names": names,
        "evaluators": evaluators,
    }


@login_required
def matrix(request: SignedInRequest, pk: int) -> HttpResponse:
    need, evaluation = _evaluation(request, pk)
    data = _matrix_context(request, evaluation)
    fmt = request.GET.get("export")
    if fmt in ("xlsx", "pdf"):
        services.matrix_exported(actor=request.user, evaluation=evaluation, fmt=fmt)
        if fmt == "xlsx":
            content = export.to_xlsx(
                evaluation=evaluation,
                matrix=data["matrix"],
                names=data["names"],
                evaluators=data["evaluators"],
                scores=selectors.submitted_scores(user=request.user, evaluation=evaluation),
            )
        else:
            try:
                content = to_pdf(
                    export.to_report(
                        evaluation=evaluation,
                        matrix=data["matrix"],
                        names=data["names"],
                        evaluators=data["evaluators"],
                        criteria=data["criteria"],
                        author=request.user,
                    )
                )
            except ApplicationError as error:
                messages.error(request, error.message)
                return redirect("evaluations:matrix", pk=pk)
        response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="bewertungsmatrix-{need.pk}.{fmt}"'
        response["Cache-Control"] = "private, no-store"
        return response
    rows = sorted(data["matrix"].rows, key=lambda r: (r.rank is None, r.rank or 0, data["names"][r.candidate_id]))
    context = {
        "need": need,
        "evaluation": evaluation,
        "rows": [
            {
                "row": row,
                "name": data["names"][row.candidate_id],
                "status": export.status_text(row),
                "per_evaluator": [(data["evaluators"][e], points) for e, points in row.by_evaluator.items()],
            }
            for row in rows
        ],
        "matrix": data["matrix"],
        "pending": [e for e in data["people"] if e.submitted_at is None],
    }
    return render(request, "evaluations/matrix.html", context)


@login_required
def mine(request: SignedInRequest) -> HttpResponse:
    return render(request, "evaluations/mine.html", {"seats": selectors.evaluations_of(user=request.user)})
