from typing import Any

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lotsenhaus.accounts.actors import SignedInRequest
from lotsenhaus.airegister.selectors import use_cases_for_pilot
from lotsenhaus.core.exceptions import ApplicationError
from lotsenhaus.core.exports import export_response, wanted_format
from lotsenhaus.core.pages import act_and_return, handle_forms
from lotsenhaus.exploration.selectors import shortlist
from lotsenhaus.needs.selectors import need_get
from lotsenhaus.organisations.models import PUBLIC_BODY_KINDS
from lotsenhaus.organisations.selectors import organisation_list, people_of, unit_staff

from . import charts, portfolio, selectors, services
from .forms import (
    CanvasForm,
    ChecklistForm,
    ChooseStartupForm,
    DecisionForm,
    ImportForm,
    KpiForm,
    LessonsForm,
    MeasurementForm,
    MilestoneForm,
    ProcurementForm,
    RiskForm,
    StatusReportForm,
)
from .models import Milestone, PilotStatus, RiskItem

SUCCESS = {
    "canvas": gettext_lazy("The pilot canvas has been saved."),
    "procurement": gettext_lazy("The procurement path has been saved with the advisor's proposal."),
    "checklist": gettext_lazy("The checklists have been saved."),
    "kpi": gettext_lazy("The KPI has been added."),
    "measurement": gettext_lazy("The measurement has been saved."),
    "import": gettext_lazy("The measurements have been imported."),
    "milestone": gettext_lazy("The milestone has been added."),
    "report": gettext_lazy("The status report has been saved."),
    "risk": gettext_lazy("The entry has been added."),
    "decision": gettext_lazy("The decision has been recorded."),
    "lessons": gettext_lazy("The lessons learned have been saved."),
}


@login_required
def pilot_list(request: SignedInRequest) -> HttpResponse:
    pilots = selectors.pilot_list(user=request.user)
    if fmt := wanted_format(request):
        columns = [
            (_("Need"), lambda p: p.need.title),
            (_("Authority"), lambda p: p.need.organisation.name),
            (_("Startup"), lambda p: p.startup.organisation.name),
            (_("Status"), lambda p: p.get_status_display()),
            (_("Start"), lambda p: p.start_date),
            (_("End"), lambda p: p.end_date),
        ]
        return export_response(pilots, columns, "piloten", fmt)
    return render(request, "pilots/list.html", {"pilots": pilots})


@login_required
def for_need(request: SignedInRequest, pk: int) -> HttpResponse:
    """The need's pilot, or, while it is designed, the choice of the startup that runs it."""
    need = need_get(user=request.user, pk=pk)
    pilot = selectors.pilot_of_need(need=need)
    if pilot is not None:
        return redirect("pilots:detail", pk=pilot.pk)
    if not request.user.has_perm("pilots.design_pilot", need):
        if not request.user.has_perm("exploration.view_exploration", need):
            raise PermissionDenied
        return render(request, "pilots/not_started.html", {"need": need})
    form = ChooseStartupForm(request.POST or None, candidates=shortlist(need=need))
    if request.method == "POST" and form.is_valid():
        try:
            pilot = services.pilot_create(actor=request.user, need=need, candidate=form.cleaned_data["candidate"])
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The pilot is being designed. The canvas starts from the need."))
            return redirect("pilots:detail", pk=pilot.pk)
    return render(request, "pilots/choose.html", {"need": need, "form": form}, status=422 if form.errors else 200)


def _kpi_rows(kpis: list[Any]) -> list[dict[str, Any]]:
    rows = []
    for kpi in kpis:
        points = [(m.measured_on, m.value) for m in kpi.measurements.all()]
        rows.append(
            {
                "kpi": kpi,
                "measurements": list(kpi.measurements.all()),
                "chart": charts.line(points, kpi.baseline, kpi.target, kpi.unit) if points else None,
            }
        )
    return rows


def _lessons_article(pilot: Any) -> Any:
    """The lessons-learned article written for this pilot, if any (issue 17, D22: the prompt stayed after it).
    Looked up by name: the knowledge base builds on pilots, not the other way round."""
    article_model = apps.get_model("knowledge", "Article")
    return article_model.objects.filter(pilot=pilot).order_by("-created_at").first()


@login_required
def detail(request: SignedInRequest, pk: int) -> HttpResponse:
    pilot = selectors.pilot_get(user=request.user, pk=pk)
    user = request.user
    kpis = selectors.kpis(pilot=pilot)
    kpi_queryset = pilot.kpis.all()
    # Milestones are owned by the authority, the startup or the unit (issue 17, D37: the unit was missing).
    people = (
        people_of(organisation_ids=[pilot.need.organisation_id, pilot.startup.organisation_id]) | unit_staff()
    ).order_by("name", "email")
    authorities = organisation_list(user=user).filter(kind__in=PUBLIC_BODY_KINDS).exclude(pk=pilot.need.organisation_id)
    builders = {
        "canvas": lambda data, files: CanvasForm(data, instance=pilot, prefix="canvas"),
        "procurement": lambda data, files: ProcurementForm(data, instance=pilot, prefix="procurement"),
        "checklist": lambda data, files: ChecklistForm(
            data,
            instance=pilot,
            prefix="checklist",
            use_cases=use_cases_for_pilot(organisation_id=pilot.need.organisation_id),
        ),
        "kpi": lambda data, files: KpiForm(data, prefix="kpi"),
        "measurement": lambda data, files: MeasurementForm(data, kpis=kpi_queryset, prefix="measurement"),
        "import": lambda data, files: ImportForm(data, files, prefix="import"),
        "milestone": lambda data, files: MilestoneForm(data, people=people, prefix="milestone"),
        "report": lambda data, files: StatusReportForm(data, prefix="report"),
        "risk": lambda data, files: RiskForm(data, prefix="risk"),
        "decision": lambda data, files: DecisionForm(data, authorities=authorities, prefix="decision"),
        "lessons": lambda data, files: LessonsForm(data, prefix="lessons", initial={"text": pilot.lessons_learned}),
    }

    def update(form: Any) -> Any:
        return services.pilot_update(actor=user, pilot=pilot, version=form.cleaned_data["version"], **form.changes())

    handlers = {
        "canvas": update,
        "procurement": update,
        "checklist": update,
        "kpi": lambda f: services.kpi_add(actor=user, pilot=pilot, **f.cleaned_data),
        "measurement": lambda f: services.measurement_record(actor=user, **f.cleaned_data),
        "import": lambda f: services.measurements_import(
            actor=user, pilot=pilot, content=f.cleaned_data["file"].read(1_000_001)[:1_000_000]
        ),
        "milestone": lambda f: services.milestone_add(actor=user, pilot=pilot, **f.cleaned_data),
        "report": lambda f: services.status_report_add(actor=user, pilot=pilot, text=f.cleaned_data["text"]),
        "risk": lambda f: services.risk_add(actor=user, pilot=pilot, **f.cleaned_data),
        "decision": lambda f: services.pilot_decide(actor=user, pilot=pilot, **f.cleaned_data),
        "lessons": lambda f: services.lessons_save(actor=user, pilot=pilot, text=f.cleaned_data["text"]),
    }
    forms, response = handle_forms(request, builders, handlers, SUCCESS, reverse("pilots:detail", args=[pk]))
    if response is not None:
        return response
    context = {
        "pilot": pilot,
        "need": pilot.need,
        "forms": forms,
        "kpis": _kpi_rows(kpis),
        "milestones": selectors.milestones(pilot=pilot),
        "reports": selectors.status_reports(pilot=pilot),
        "risks": selectors.risks(pilot=pilot),
        "decisions": selectors.decisions(pilot=pilot),
        "missing": services.missing_before_start(pilot) if pilot.status == PilotStatus.DESIGN else [],
        "long_pilot": services.long_pilot(pilot),
        "clause_ends_soon": services.clause_ends_soon(pilot),
        # A started pilot whose canvas start lies ahead does not say "running" yet (issue 17).
        "today": timezone.localdate(),
        "can_change": user.has_perm("pilots.change_pilot", pilot),
        "can_start": user.has_perm("pilots.start_pilot", pilot),
        "can_track": user.has_perm("pilots.track_pilot", pilot),
        "can_report": user.has_perm("pilots.report_status", pilot),
        "can_decide": user.has_perm("pilots.decide_pilot", pilot),
        "can_lessons": user.has_perm("pilots.write_lessons", pilot),
        "can_write_article": user.has_perm("knowledge.add_article"),
        "lessons_article": _lessons_article(pilot),
        "is_unit": user.has_perm("pilots.view_portfolio"),
    }
    return render(request, "pilots/detail.html", context, status=422 if request.method == "POST" else 200)


def _detail(pk: int) -> str:
    return reverse("pilots:detail", args=[pk])


@login_required
@require_POST
def start(request: SignedInRequest, pk: int) -> HttpResponse:
    pilot = selectors.pilot_get(user=request.user, pk=pk)
    return act_and_return(
        request, lambda: services.pilot_start(actor=request.user, pilot=pilot), _("The pilot is running."), _detail(pk)
    )


def _item_done(request: HttpRequest, model: Any, pk: int, service: Any, success: Any) -> HttpResponse:
    """Milestones and risks are ticked off on their pilot's page by whoever may see that pilot."""
    item = get_object_or_404(model.objects.select_related("pilot"), pk=pk)
    selectors.pilot_get(user=request.user, pk=item.pilot_id)
    return act_and_return(request, lambda: service(request.user, item), success, _detail(item.pilot_id))


@login_required
@require_POST
def milestone_done(request: SignedInRequest, pk: int) -> HttpResponse:
    return _item_done(
        request,
        Milestone,
        pk,
        lambda user, item: services.milestone_done(actor=user, milestone=item),
        gettext_lazy("The milestone is done."),
    )


@login_required
@require_POST
def risk_resolve(request: SignedInRequest, pk: int) -> HttpResponse:
    return _item_done(
        request,
        RiskItem,
        pk,
        lambda user, item: services.risk_resolve(actor=user, risk=item),
        gettext_lazy("The entry is resolved."),
    )


PORTFOLIO_TABLES = {
    "funnel": (gettext_lazy("Needs by state"), [gettext_lazy("State"), gettext_lazy("Needs")]),
    "durations": (
        gettext_lazy("Time in each state"),
        [gettext_lazy("State"), gettext_lazy("Median days"), gettext_lazy("Completed stays")],
    ),
    "authorities": (
        gettext_lazy("Pilots by authority"),
        [gettext_lazy("Authority"), gettext_lazy("Pilots"), gettext_lazy("Adopted")],
    ),
    "technologies": (
        gettext_lazy("Pilots by technology"),
        [gettext_lazy("Technology"), gettext_lazy("Pilots"), gettext_lazy("Adopted")],
    ),
    "startups": (
        gettext_lazy("Pilots by startup"),
        [gettext_lazy("Startup"), gettext_lazy("Pilots"), gettext_lazy("Adopted")],
    ),
}
CONVERSION_LABELS = {
    "published_pilot": gettext_lazy("Published → pilot"),
    "pilot_adopted": gettext_lazy("Pilot → adopted"),
    "published_adopted": gettext_lazy("Published → adopted"),
}


@login_required
def portfolio_view(request: SignedInRequest) -> HttpResponse:
    if not request.user.has_perm("pilots.view_portfolio"):
        raise PermissionDenied
    data = portfolio.figures()
    tables: dict[str, list[tuple[Any, ...]]] = {
        "funnel": data.funnel,
        "durations": data.durations,
        "authorities": data.by_authority,
        "technologies": data.by_technology,
        "startups": data.by_startup,
    }
    if (fmt := wanted_format(request)) and (name := request.GET.get("table")) in tables:
        _title, header = PORTFOLIO_TABLES[name]
        columns = [(label, lambda row, i=i: row[i]) for i, label in enumerate(header)]
        return export_response(tables[name], columns, f"portfolio-{name}", fmt)
    context = {
        "funnel": data.funnel,
        "funnel_chart": charts.bars([(label, n) for label, n in data.funnel]),
        "durations": data.durations,
        "durations_chart": charts.bars([(label, d or 0) for label, d, _n in data.durations]),
        "conversion": [(CONVERSION_LABELS[key], part, whole, rate) for key, part, whole, rate in data.conversion],
        "groups": [
            (
                "authorities",
                PORTFOLIO_TABLES["authorities"],
                data.by_authority,
                charts.bars([(n, c) for n, c, _a in data.by_authority[:10]]),
            ),
            (
                "technologies",
                PORTFOLIO_TABLES["technologies"],
                data.by_technology,
                charts.bars([(n, c) for n, c, _a in data.by_technology[:10]]),
            ),
            (
                "startups",
                PORTFOLIO_TABLES["startups"],
                data.by_startup,
                charts.bars([(n, c) for n, c, _a in data.by_startup[:10]]),
            ),
        ],
    }
    return render(request, "pilots/portfolio.html", context)
