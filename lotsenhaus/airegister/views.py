import datetime
from typing import Any

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lotsenhaus.accounts.actors import SignedInRequest
from lotsenhaus.core.exceptions import ApplicationError
from lotsenhaus.core.exports import export_response
from lotsenhaus.core.forms import call_service
from lotsenhaus.core.htmx import render_page
from lotsenhaus.core.pagination import page_of
from lotsenhaus.needs.selectors import need_workspace
from lotsenhaus.organisations.models import PUBLIC_BODY_KINDS
from lotsenhaus.organisations.selectors import is_member_of, organisation_list
from lotsenhaus.startups.selectors import solutions_of

from . import selectors, services
from .assessment import load_rules
from .filters import RegisterFilterSet
from .forms import (
    AssessmentForm,
    DutyCheckForm,
    NewUseCaseForm,
    ReaderAnswerForm,
    ReaderMessageForm,
    SignOffForm,
    UseCaseForm,
)
from .models import AiType, Assessment, DataModality, ReaderMessage, UseCase, UseCaseStatus
from .standards import ATRS_REQUIRED, algoritmeregister, atrs, atrs_missing


def public_list(request: HttpRequest) -> HttpResponse:
    filters = RegisterFilterSet(request.GET)
    page, query = page_of(request, selectors.register_public(filters=filters), 25)
    for use_case in page.object_list:
        use_case.record = max(use_case.published_versions.all(), key=lambda v: v.number).record
    context = {
        "page": page,
        "query": query,
        "filters": filters,
    }
    return render_page(request, "airegister/public_list.html", "airegister/partials/public_results.html", context)


def public_detail(request: HttpRequest, public_id: str, number: int | None = None) -> HttpResponse:
    use_case = selectors.public_use_case(public_id=public_id)
    message_form = ReaderMessageForm(request.POST or None)
    if request.method == "POST" and message_form.is_valid():
        sent = call_service(
            message_form,
            lambda: services.reader_message_send(
                use_case=use_case, client_ip=get_adapter().get_client_ip(request), **message_form.cleaned_data
            ),
        )
        if sent:
            messages.success(request, _("Thank you. The authority has been told and will answer."))
            return redirect("airegister:public_detail", public_id=public_id)
    versions = list(use_case.published_versions.all())
    shown = next((v for v in versions if v.number == number), None) if number else versions[0]
    if shown is None:
        return render(request, "404.html", status=404)
    context = {
        "record": shown.record,
        "rows": _display_rows(shown.record),
        "technical_rows": _technical_rows(shown.record),
        "version": shown,
        "versions": versions,
        "use_case": use_case,
        "latest": shown.number == versions[0].number,
        "message_form": message_form,
    }
    return render(request, "airegister/public_detail.html", context)


RISK_LABELS = {
    "prohibited": gettext_lazy("prohibited"),
    "high_risk": gettext_lazy("high-risk"),
    "not_high_risk_exception": gettext_lazy("not high-risk (exception under Art. 6(3))"),
    "transparency": gettext_lazy("transparency duties only (Art. 50)"),
    "minimal": gettext_lazy("minimal risk"),
}
ROLE_LABELS = {
    "provider": gettext_lazy("provider (Art. 3(3), Art. 25)"),
    "deployer": gettext_lazy("deployer (Art. 3(4))"),
}
BINDS_LABELS = {
    "deployer": gettext_lazy("duty of the authority as deployer"),
    "provider": gettext_lazy("duty of the provider"),
    "all": gettext_lazy("duty of provider and deployer"),
}
REGISTRATION_LABELS = {
    "eu_database": gettext_lazy("EU database, public part (Art. 49(3))"),
    "eu_database_non_public": gettext_lazy("EU database, non-public part (Art. 49(4))"),
    "national_by_provider": gettext_lazy("national registration by the provider (Art. 49(5)); not by the authority"),
}
READING_LABELS = {
    "not_safety_component": gettext_lazy("if it is not a safety component"),
    "safety_component_annex_i": gettext_lazy("if it is a safety component of an Annex I product"),
}


def _stored_rules(record: Assessment | None) -> dict[str, Any]:
    """The rule set an assessment was made under; none for an unknown old version."""
    if record is None:
        return {}
    try:
        return load_rules(record.rules_version)
    except ValueError:
        return {}


def _answered(record: Assessment | None, rules: dict[str, Any]) -> list[dict[str, Any]]:
    """Every question of the rule set with the answer given and its justification, so that an expert (or an
    auditor) reads what the result rests on."""
    if record is None:
        return []
    return [
        {
            "article": item["article"],
            "question": item["question"],
            "yes": bool(record.answers.get(item["key"])),
            "justification": record.justifications.get(item["key"], ""),
        }
        for item in rules.get("questions", [])
        if item["key"] in record.answers
    ]


def _labels() -> dict[str, Any]:
    """Each field's name as the pages show it (its verbose name, translated when rendered)."""
    return {field.name: field.verbose_name for field in UseCase._meta.fields}


def _display_rows(record: dict[str, Any]) -> list[tuple[Any, Any]]:
    """Plain-language rows for a published record; an empty field says so instead of vanishing."""
    choices = {"status": dict(UseCaseStatus.choices), "ai_type": dict(AiType.choices)}
    labels = _labels()
    rows = []
    for key in services.PUBLIC_FIELDS:
        if key in ("name", "short_description") or key in services.ATRS_FIELDS:
            continue
        value = record.get(key)
        if key in choices:
            value = choices[key].get(str(value), value)
        elif isinstance(value, bool):
            value = _("yes") if value else _("no")
        else:
            value = _reader_date(value)
        rows.append((capfirst(labels[key]), value))
    rows.append((_("Risk class under the AI Act"), RISK_LABELS.get(record.get("risk_class") or "", "")))
    if record.get("approved_by_authority") is not None:
        rows.append(
            (
                _("Approval"),
                _("by the authority")
                if record["approved_by_authority"]
                else _("by the venture-client unit on behalf of the authority: %(note)s")
                % {"note": record.get("approval_note", "")},
            )
        )
    if record.get("legal_status"):
        rows.append(
            (
                _("Legal status of the assessment"),
                f"{_reader_date(record['legal_status'])} ({record.get('rules_version')})",
            )
        )
    return rows


def _technical_rows(record: dict[str, Any]) -> list[tuple[Any, Any]]:
    """Responsibility, model and data (what the UK ATRS asks beyond the main rows), each row shown even when
    empty."""
    labels = _labels()
    modality = dict(DataModality.choices)
    return [
        (capfirst(labels[key]), modality.get(record.get(key) or "", "") if key == "data_modality" else record.get(key))
        for key in services.ATRS_FIELDS
    ]


def _reader_date(value: Any) -> Any:
    """An ISO date of the stored record, written as the reader's language writes dates (issue 17, D33)."""
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return formats.date_format(datetime.date.fromisoformat(value), "DATE_FORMAT")
        except ValueError:
            return value
    return value


def export(request: HttpRequest, fmt: str) -> HttpResponse:
    """Open data: the current register, or with ?history=1 every published version."""
    if request.GET.get("history"):
        rows = [
            {"version": v.number, "published_at": v.published_at.isoformat(), **v.record}
            for v in selectors.register_history()
        ]
    else:
        rows = selectors.register_latest_records()
    if fmt == "json":
        response = JsonResponse(
            {"schema": "lotsenhaus-ai-register/1", "records": rows}, json_dumps_params={"ensure_ascii": False}
        )
        response["Content-Disposition"] = 'attachment; filename="ki-register.json"'
        return response
    # The CSV carries the JSON's values (issue 18): nested objects as columns of their own
    # ("organisation.name"), booleans as true/false, nothing as an empty cell.
    flat = [_flat(row) for row in rows]
    keys = list(dict.fromkeys(key for row in flat for key in row)) or ["id", "url"]
    columns = [(key, lambda row, key=key: row.get(key)) for key in keys]
    return export_response(flat, columns, "ki-register", "csv")


def export_algoritmeregister(request: HttpRequest) -> HttpResponse:
    """The current register as registrations of the Dutch algorithm register (publication standard 1.0)."""
    contact = settings.LOTSENHAUS_OPERATOR["email"]
    rows = [algoritmeregister(record, fallback_contact=contact) for record in selectors.register_latest_records()]
    response = JsonResponse(rows, safe=False, json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = 'attachment; filename="ki-register-algoritmeregister.json"'
    return response


def export_atrs(request: HttpRequest) -> HttpResponse:
    """The current register as a record set of the UK Algorithmic Transparency Recording Standard (v3.0): the
    records that hold every attribute it requires (the workspace tells the editors what is missing)."""
    records = []
    with translation.override("en"):
        for first, current in selectors.register_current_versions():
            record = current.record
            if atrs_missing(record):
                continue
            context = {
                "organisation_type": str(current.use_case.organisation.get_kind_display()),
                "capability": str(AiType(record["ai_type"]).label),
                "data_modality": str(DataModality(record["data_modality"]).label),
                "risk_label": str(RISK_LABELS.get(record.get("risk_class") or "", "")),
                "region": settings.LOTSENHAUS_REGION,
                "first_published": first.published_at.date().isoformat(),
                "published": current.published_at.date().isoformat(),
            }
            records.append(atrs(record, context=context))
    body = {
        "standard": "Algorithmic Transparency Recording Standard",
        "standard_version": "3.0",
        "publisher": settings.LOTSENHAUS_OPERATOR["name"],
        "records": records,
    }
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = 'attachment; filename="ki-register-atrs.json"'
    return response


def _flat(row: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in row.items():
        if isinstance(value, dict):
            flat.update(_flat(value, f"{prefix}{key}."))
        elif isinstance(value, bool):
            flat[f"{prefix}{key}"] = "true" if value else "false"
        elif isinstance(value, list):
            flat[f"{prefix}{key}"] = "; ".join(str(item) for item in value)
        else:
            flat[f"{prefix}{key}"] = value
    return flat


@login_required
def workspace(request: SignedInRequest) -> HttpResponse:
    if not request.user.has_perm("airegister.use_workspace"):
        raise PermissionDenied
    return render(request, "airegister/workspace.html", {"use_cases": selectors.workspace(user=request.user)})


@login_required
def create(request: SignedInRequest) -> HttpResponse:
    if not request.user.has_perm("airegister.add_usecase"):
        raise PermissionDenied
    organisations = organisation_list(user=request.user).filter(kind__in=PUBLIC_BODY_KINDS)
    form = NewUseCaseForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        use_case = call_service(form, lambda: services.use_case_create(actor=request.user, **form.cleaned_data))
        if use_case:
            messages.success(request, _("The use case has been created. Please describe it and assess it."))
            return redirect("airegister:edit", pk=use_case.pk)
    return render(request, "airegister/create.html", {"form": form}, status=422 if request.method == "POST" else 200)


@login_required
def detail(request: SignedInRequest, pk: int) -> HttpResponse:
    use_case = selectors.use_case_get(user=request.user, pk=pk)
    record = selectors.latest_assessment(use_case)
    rules = _stored_rules(record)
    labels = _labels()
    context = {
        "use_case": use_case,
        "assessment": record,
        "disclaimer": load_rules()["disclaimer"],
        "can_change": request.user.has_perm("airegister.change_usecase", use_case),
        "can_sign_off": record is not None
        and record.signed_off_at is None
        and request.user.has_perm("airegister.sign_off_assessment", use_case),
        "duties": _duty_rows(use_case, record),
        "risk_label": RISK_LABELS.get(record.risk_class, record.risk_class) if record else "",
        "role_label": ROLE_LABELS["provider" if record and record.result.get("role") == "provider" else "deployer"],
        "registration_label": REGISTRATION_LABELS.get(record.result.get("registration") or "", "") if record else "",
        "unsettled": [
            {
                **item,
                "readings": [
                    {
                        **r,
                        "label": READING_LABELS.get(r["reading"], r["reading"]),
                        "class_label": RISK_LABELS.get(r["risk_class"]),
                    }
                    for r in item["readings"]
                ],
            }
            for item in (record.result.get("unsettled", []) if record else [])
        ],
        "sources": [{"key": key, **source} for key, source in rules.get("sources", {}).items()],
        "answered": _answered(record, rules),
        "reader_messages": [
            (item, ReaderAnswerForm(auto_id=f"id_answer_{item.pk}_%s")) for item in use_case.reader_messages.all()
        ],
        "sign_off_form": SignOffForm(),
        "actions": [
            a
            for a, (sources, _t, perm) in services.STEPS.items()
            if use_case.publication in sources and request.user.has_perm(perm, use_case)
        ],
        "approve_for_authority": not is_member_of(request.user, use_case.organisation_id),
        "atrs_missing": [
            capfirst(labels[name])
            for name in atrs_missing({name: getattr(use_case, name) for name in [*ATRS_REQUIRED, "dpia_done"]})
        ],
    }
    return render(request, "airegister/detail.html", context)


@login_required
def edit(request: SignedInRequest, pk: int) -> HttpResponse:
    use_case = selectors.use_case_get(user=request.user, pk=pk)
    if not request.user.has_perm("airegister.change_usecase", use_case):
        raise PermissionDenied
    form = UseCaseForm(
        request.POST or None,
        instance=use_case,
        needs=need_workspace(user=request.user),
        solutions=solutions_of(user=request.user),
    )
    if request.method == "POST" and form.is_valid():
        done = call_service(
            form,
            lambda: services.use_case_update(
                actor=request.user, use_case=use_case, version=form.cleaned_data["version"] or 0, **form.changes()
            ),
        )
        if done:
            messages.success(request, _("Your changes have been saved."))
            return redirect("airegister:detail", pk=pk)
    return render(
        request,
        "airegister/edit.html",
        {"form": form, "use_case": use_case},
        status=422 if request.method == "POST" else 200,
    )


@login_required
def assess(request: SignedInRequest, pk: int) -> HttpResponse:
    use_case = selectors.use_case_get(user=request.user, pk=pk)
    if not request.user.has_perm("airegister.change_usecase", use_case):
        raise PermissionDenied
    previous = selectors.latest_assessment(use_case)
    initial = {}
    if previous:
        initial = {
            **{f"q_{k}": "yes" if v else "no" for k, v in previous.answers.items()},
            **{f"j_{k}": v for k, v in previous.justifications.items()},
        }
    form = AssessmentForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = call_service(
            form,
            lambda: services.assessment_create(
                actor=request.user, use_case=use_case, answers=form.answers(), justifications=form.justifications()
            ),
        )
        if done:
            messages.success(request, _("The assessment has been saved."))
            return redirect("airegister:detail", pk=pk)
    context = {"form": form, "use_case": use_case, "disclaimer": load_rules()["disclaimer"]}
    return render(request, "airegister/assess.html", context, status=422 if request.method == "POST" else 200)


@login_required
@require_POST
def transition(request: SignedInRequest, pk: int) -> HttpResponse:
    use_case = selectors.use_case_get(user=request.user, pk=pk)
    try:
        services.use_case_transition(
            actor=request.user,
            use_case=use_case,
            action=request.POST.get("action", ""),
            note=request.POST.get("note", "")[:1000],
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Done."))
    return redirect("airegister:detail", pk=pk)


def _duty_rows(use_case: UseCase, record: Assessment | None) -> list[dict[str, Any]]:
    checks = {check.duty: check for check in use_case.duty_checks.all()}
    rows = []
    today = timezone.localdate()
    for duty in record.result.get("duties", []) if record else []:
        check = checks.get(duty["key"])
        rows.append(
            {
                "applies_now": datetime.date.fromisoformat(duty["applies_from"]) <= today,
                "binds_label": BINDS_LABELS.get(duty.get("binds", "deployer")),
                **duty,
                "check": check,
                "form": DutyCheckForm(
                    prefix=duty["key"], initial={"done": check.done, "evidence": check.evidence} if check else None
                ),
            }
        )
    return rows


@login_required
@require_POST
def duty_check(request: SignedInRequest, pk: int, duty: str) -> HttpResponse:
    use_case = selectors.use_case_get(user=request.user, pk=pk)
    form = DutyCheckForm(request.POST, prefix=duty)
    if form.is_valid():
        try:
            services.duty_check_save(actor=request.user, use_case=use_case, duty=duty, **form.cleaned_data)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your changes have been saved."))
    return redirect("airegister:detail", pk=pk)


@login_required
@require_POST
def reader_answer(request: SignedInRequest, pk: int, message_pk: int) -> HttpResponse:
    use_case = selectors.use_case_get(user=request.user, pk=pk)
    item = get_object_or_404(ReaderMessage, pk=message_pk, use_case=use_case)
    form = ReaderAnswerForm(request.POST)
    if form.is_valid():
        services.reader_message_answer(actor=request.user, item=item, answer=form.cleaned_data["answer"])
        messages.success(request, _("Your answer has been sent."))
    else:
        messages.error(request, _("Please write an answer."))
    return redirect("airegister:detail", pk=pk)


@login_required
@require_POST
def sign_off(request: SignedInRequest, pk: int, assessment_pk: int) -> HttpResponse:
    use_case = selectors.use_case_get(user=request.user, pk=pk)
    record = get_object_or_404(Assessment, pk=assessment_pk, use_case=use_case)
    if not request.user.has_perm("airegister.sign_off_assessment", use_case):
        raise PermissionDenied
    form = SignOffForm(request.POST)
    if not form.is_valid():
        # Never a silent "agrees": without a choice and a reason nothing is recorded.
        messages.error(request, _("Please say whether you agree with the result and why."))
        return redirect("airegister:detail", pk=pk)
    try:
        services.assessment_sign_off(
            actor=request.user,
            record=record,
            agrees=form.cleaned_data["agrees"] == "yes",
            view=form.cleaned_data["view"],
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your view has been recorded beside the assessment."))
    return redirect("airegister:detail", pk=pk)


def dcat(request: HttpRequest) -> JsonResponse:
    """A DCAT-AP.de 3.0 catalogue with the register as its dataset, for harvesting by open-data portals; CI
    validates it with GovData's own SHACL shapes (tests/standards/dcat-ap-de/)."""
    base = settings.LOTSENHAUS_BASE_URL
    operator = settings.LOTSENHAUS_OPERATOR
    own_schema = base + "/static/lotsenhaus/ki-register-schema.json"
    distributions = [
        (reverse("airegister:export_csv"), "text/csv", "CSV", "CSV (aktueller Stand)", own_schema),
        (reverse("airegister:export_json"), "application/json", "JSON", "JSON (aktueller Stand)", own_schema),
        (reverse("airegister:export_csv") + "?history=1", "text/csv", "CSV", "CSV (alle Versionen)", own_schema),
        (
            reverse("airegister:export_json") + "?history=1",
            "application/json",
            "JSON",
            "JSON (alle Versionen)",
            own_schema,
        ),
        (
            reverse("airegister:export_algoritmeregister"),
            "application/json",
            "JSON",
            "JSON nach dem niederländischen Algoritmeregister (Publicatiestandaard 1.0)",
            "https://github.com/MinBZK/Algoritmeregister",
        ),
        (
            reverse("airegister:export_atrs"),
            "application/json",
            "JSON",
            "JSON nach dem britischen Algorithmic Transparency Recording Standard (ATRS 3.0)",
            "https://www.gov.uk/government/collections/algorithmic-transparency-recording-standard-hub",
        ),
    ]
    licence = {"@id": "http://dcat-ap.de/def/licenses/dl-by-de/2.0"}
    # Changes only when the data does (the newest publication), typed as xsd:dateTime (issue 18).
    latest = selectors.register_last_published()
    modified = {"@value": latest.isoformat(), "@type": "http://www.w3.org/2001/XMLSchema#dateTime"} if latest else None
    # The publisher as an IRI of its own (settings), so that portals can tell publishers apart.
    publisher = {
        "@id": settings.LOTSENHAUS_DCAT_PUBLISHER or base + "/#betreiber",
        "@type": "foaf:Organization",
        "foaf:name": operator["name"],
    }
    catalogue_id = base + reverse("airegister:dcat")
    dataset_id = base + reverse("airegister:public_list") + "#datensatz"
    dataset = {
        "@id": dataset_id,
        "@type": "dcat:Dataset",
        "dct:title": {"@value": "KI-Transparenzregister", "@language": "de"},
        "dct:description": {
            "@value": "Einsatz künstlicher Intelligenz in der Verwaltung: Zweck, Daten, Aufsicht, "
            "Risikoklasse nach der KI-Verordnung.",
            "@language": "de",
        },
        "dcat:landingPage": {"@id": base + reverse("airegister:public_list")},
        "dct:publisher": {"@id": publisher["@id"]},
        "dcat:contactPoint": {
            "@type": "http://www.w3.org/2006/vcard/ns#Organization",
            "http://www.w3.org/2006/vcard/ns#fn": operator["name"],
            "http://www.w3.org/2006/vcard/ns#hasEmail": {"@id": "mailto:" + operator["email"]},
        },
        "dcat:theme": {"@id": "http://publications.europa.eu/resource/authority/data-theme/GOVE"},
        "dct:license": licence,
        **({"dct:modified": modified} if modified else {}),
        "dcatde:contributorID": {"@id": settings.LOTSENHAUS_DCAT_CONTRIBUTOR},
        "dcat:distribution": [
            {
                "@type": "dcat:Distribution",
                "dct:title": title,
                "dcat:accessURL": {"@id": base + path},
                "dcat:downloadURL": {"@id": base + path},
                # IRIs from the controlled vocabularies (IANA media types, EU file types), not text.
                "dcat:mediaType": {"@id": f"https://www.iana.org/assignments/media-types/{media}"},
                "dct:format": {"@id": f"http://publications.europa.eu/resource/authority/file-type/{file_type}"},
                "dct:license": licence,
                # The attribution the licence dl-by-de/2.0 requires.
                "dcatde:licenseAttributionByText": operator["name"],
                "dct:conformsTo": {"@id": conforms_to},
            }
            for path, media, file_type, title, conforms_to in distributions
        ],
    }
    catalogue = {
        "@id": catalogue_id,
        "@type": "dcat:Catalog",
        "dct:title": {"@value": f"Offene Daten: {operator['name']}", "@language": "de"},
        "dct:description": {
            "@value": "Offene Daten der Plattform Lotsenhaus: das KI-Transparenzregister.",
            "@language": "de",
        },
        "dct:publisher": {"@id": publisher["@id"]},
        "foaf:homepage": {"@id": base + "/"},
        "dct:license": licence,
        **({"dct:modified": modified} if modified else {}),
        "dcat:dataset": {"@id": dataset_id},
    }
    document = {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "dcatde": "http://dcat-ap.de/def/dcatde/",
            "foaf": "http://xmlns.com/foaf/0.1/",
        },
        "@graph": [catalogue, dataset, publisher],
    }
    return JsonResponse(document, content_type="application/ld+json", json_dumps_params={"ensure_ascii": False})
