"""The register's records in the formats of other public registers.

``algoritmeregister`` writes a published record as a registration of the Dutch national algorithm register,
publication standard 1.0 (MinBZK/Algoritmeregister, ``backend/app/config/publication_standard.py``; a copy
with its source in ``tests/standards/``, against which the tests validate every download). The mapping and
what it leaves out are documented in docs/ai-register.md.

``atrs`` writes it as a record of the UK Algorithmic Transparency Recording Standard, template v3.0 (the last
version published as a table of attributes; a copy in ``tests/standards/``): every attribute under the section
the template files it in, tier 1 and tier 2. ``atrs_missing`` names what a use case still lacks for it.
"""

import re
from typing import Any

from .models import UseCaseStatus

# Our status -> the standard's "status" (its permitted values, in Dutch as the standard requires).
NL_STATUS = {
    "idea": "In ontwikkeling",
    "evaluation": "In ontwikkeling",
    "pilot": "In gebruik",
    "production": "In gebruik",
    "retired": "Buiten gebruik",
}
NL_HIGH_RISK = "Hoog-risico AI-systeem"  # category A: the AI Act's high-risk class
NL_IMPACTFUL = "Impactvolle algoritmes"  # category B: results feed into decisions about people or companies
NL_OTHER = "Overige algoritmes"  # category C
NL_STANDARD_VERSION = "1.0"
# ISO 639-3 code of the records' language. The standard's field names ISO 639-3 and says the register may be
# offered in more languages; its permitted values today are only "nld". Our records are German: we write "deu"
# rather than claim Dutch (the one deviation, documented and made explicit in the tests).
NL_LANGUAGE = "deu"
NL_LIMITS = {"name": 100, "organization": 100, "provider": 200, "source_id": 100}


def nl_publication_category(record: dict[str, Any]) -> str:
    if record.get("risk_class") in ("high_risk", "prohibited"):
        return NL_HIGH_RISK
    return NL_IMPACTFUL if record.get("impactful") else NL_OTHER


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def algoritmeregister(record: dict[str, Any], *, fallback_contact: str) -> dict[str, Any]:
    """One published record (``PublishedVersion.record``) as an Algoritmeregister 1.0 registration.

    The standard requires a contact address. Records published before Lotsenhaus required one carry none; they
    name ``fallback_contact`` (the unit that runs the register) instead of breaking the file."""
    dpia = record.get("dpia_done")
    entry: dict[str, Any] = {
        "name": _cut(record["name"], NL_LIMITS["name"]),
        "description_short": record["short_description"],
        "organization": _cut(record["organisation"]["name"], NL_LIMITS["organization"]),
        "status": NL_STATUS[record["status"]],
        "begin_date": (record.get("start_date") or "")[:7],
        "end_date": (record.get("end_date") or "")[:7],
        "contact_email": record.get("contact_email") or fallback_contact,
        "website": record["url"],
        "publication_category": nl_publication_category(record),
        "url": record["url"],
        "goal": record.get("purpose") or "",
        "human_intervention": record.get("human_oversight") or "",
        "risks": record.get("risks") or "",
        "lawful_basis": record.get("legal_basis") or "",
        "impacttoetsen": "Data Protection Impact Assessment (DPIA) / Datenschutz-Folgenabschätzung durchgeführt."
        if dpia
        else "",
        "source_data": record.get("data_sources") or "",
        "methods_and_models": record.get("long_description") or "",
        "provider": _cut(record.get("provider") or "", NL_LIMITS["provider"]),
        "lang": NL_LANGUAGE,
        "standard_version": NL_STANDARD_VERSION,
        "source_id": record["id"],
    }
    return {key: value for key, value in entry.items() if value != ""}


# --- UK ATRS v3.0 --------------------------------------------------------------------------------------------

ATRS_STANDARD_VERSION = "3.0"
# Our status -> the template's "Phase" (v3.0 options; v4.0 splits "Pilot/beta" into private and public beta).
ATRS_PHASE = {
    "idea": "Idea",
    "evaluation": "Design and development",
    "pilot": "Pilot/beta",
    "production": "Production",
    "retired": "Retired",
}
# The use case's fields that fill a required ATRS attribute, in the order of the template. A record lacking one
# of them is not offered as an ATRS record (the workspace names what is missing). "dpia_done" or
# "impact_assessment" fills "impact_assessment"; contact_email is required before publication anyway.
ATRS_REQUIRED = [
    "contact_email", "team", "responsible_owner", "scope", "purpose", "process", "provided_information",
    "usage_scale", "human_oversight", "required_training", "system_architecture", "maintenance", "model_name",
    "model_version", "model_task", "model_input", "model_output", "model_architecture", "model_performance",
    "model_datasets", "data_sources", "data_modality", "data_quantities", "personal_data", "data_completeness",
    "data_access_url", "data_collection", "data_sharing", "data_storage", "impact_assessment", "risks",
]  # fmt: skip
DPIA_SENTENCE = "Data protection impact assessment (DPIA, Datenschutz-Folgenabschätzung) carried out."


# Attributes copied as text from one field of the published record, by the template's section (the mapping table
# in docs/ai-register.md); atrs() adds what is derived (phase, supplier, impact assessment, dates).
ATRS_TEXT: dict[str, dict[str, str]] = {
    "owner_and_responsibility": {"team": "team", "senior_responsible_owner": "responsible_owner"},
    "description_and_rationale": {"scope": "scope", "benefit": "purpose"},
    "decision_making_process": {
        "process_integration": "process",
        "provided_information": "provided_information",
        "frequency_and_scale_of_usage": "usage_scale",
        "human_decisions_and_review": "human_oversight",
        "required_training": "required_training",
    },
    "tool_specification": {"system_architecture": "system_architecture", "maintenance": "maintenance"},
    "model_specification": {
        "model_version": "model_version",
        "model_task": "model_task",
        "model_input": "model_input",
        "model_output": "model_output",
        "model_architecture": "model_architecture",
        "model_performance": "model_performance",
        # v4.0 merged these two attributes; we ask once and fill both.
        "datasets": "model_datasets",
        "dataset_purposes": "model_datasets",
    },
    "data_specification": {
        "source_data_name": "data_sources",
        "data_description": "data_sources",
        "data_quantities": "data_quantities",
        "sensitive_attributes": "personal_data",
        "data_completeness_and_representativeness": "data_completeness",
        "source_data_url": "data_access_url",
        "data_collection": "data_collection",
        "data_sharing_agreements": "data_sharing",
        "data_access_and_storage": "data_storage",
    },
    "risks_mitigations_and_impact_assessments": {"risks_and_mitigations": "risks"},
}


def _texts(record: dict[str, Any], section: str) -> dict[str, str]:
    return {attribute: record.get(field) or "" for attribute, field in ATRS_TEXT[section].items()}


def atrs_missing(record: dict[str, Any]) -> list[str]:
    """The fields of a use case (or its public record) that a complete ATRS record still needs."""
    missing = []
    for name in ATRS_REQUIRED:
        if name == "impact_assessment" and record.get("dpia_done"):
            continue
        if not str(record.get(name) or "").strip():
            missing.append(name)
    return missing


def _atrs_id(public_id: str) -> int:
    """The template's id is an integer: KI-2026-0003 -> 20260003 (stable, like the register number)."""
    return int("".join(re.findall(r"\d", public_id)))


def atrs(record: dict[str, Any], *, context: dict[str, Any]) -> dict[str, Any]:
    """One published record (``PublishedVersion.record``) as an ATRS v3.0 record, sections as in the template.

    ``context`` carries what the record itself does not: ``organisation_type``, ``capability`` (English labels),
    ``region``, ``first_published`` and ``published`` (ISO dates) and ``risk_label``."""
    provider = record.get("provider") or ""
    impact = " ".join(
        part
        for part in (DPIA_SENTENCE if record.get("dpia_done") else "", record.get("impact_assessment") or "")
        if part
    )
    model = record.get("model_name") or ""
    archived = record.get("end_date") if record.get("status") == UseCaseStatus.RETIRED else None
    tags = [context["capability"], context["risk_label"]]
    phase = ATRS_PHASE[record["status"]]
    return {
        "metadata": {
            "id": _atrs_id(record["id"]),
            "standard_version": ATRS_STANDARD_VERSION,
            "organisation_type": context["organisation_type"],
            "function": "Public administration",
            "capability": context["capability"],
            "task": record.get("model_task") or "",
            "tags": ", ".join(tag for tag in tags if tag),
            "date_of_completion": context["first_published"],
            "date_updated": context["published"],
            "date_archived": archived,
        },
        "title_information": {
            "title": record["name"],
            "organisation_name": record["organisation"]["name"],
            "phase": phase,
            "region": context["region"],
            "one_sentence_description": record["short_description"],
        },
        "tier_1_information": {
            "name": record["name"],
            "description": record["short_description"],
            "website_url": record["url"],
            "contact_email": record.get("contact_email") or "",
        },
        "owner_and_responsibility": {
            "organisation_or_department": record["organisation"]["name"],
            **_texts(record, "owner_and_responsibility"),
            "external_supplier_involvement": "Yes" if provider else "No",
            **({"external_supplier": provider} if provider else {}),
        },
        "description_and_rationale": {
            **({"detailed_description": record["long_description"]} if record.get("long_description") else {}),
            **_texts(record, "description_and_rationale"),
        },
        "decision_making_process": {
            **_texts(record, "decision_making_process"),
            **({"appeals_and_review": record["objection_route"]} if record.get("objection_route") else {}),
        },
        "tool_specification": {
            **_texts(record, "tool_specification"),
            "phase": phase,
            "models": f"{model} {record.get('model_version') or ''}".strip(),
        },
        "model_specification": [{"model_name": model, **_texts(record, "model_specification")}],
        "data_specification": {**_texts(record, "data_specification"), "data_modality": context["data_modality"]},
        "risks_mitigations_and_impact_assessments": {
            "impact_assessment": impact,
            **_texts(record, "risks_mitigations_and_impact_assessments"),
        },
    }
