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
    archived = record.get("end_date") if record.get("status") == "retired" else None
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
            "team": record.get("team") or "",
            "senior_responsible_owner": record.get("responsible_owner") or "",
            "external_supplier_involvement": "Yes" if provider else "No",
            **({"external_supplier": provider} if provider else {}),
        },
        "description_and_rationale": {
            **({"detailed_description": record["long_description"]} if record.get("long_description") else {}),
            "scope": record.get("scope") or "",
            "benefit": record.get("purpose") or "",
        },
        "decision_making_process": {
            "process_integration": record.get("process") or "",
            "provided_information": record.get("provided_information") or "",
            "frequency_and_scale_of_usage": record.get("usage_scale") or "",
            "human_decisions_and_review": record.get("human_oversight") or "",
            "required_training": record.get("required_training") or "",
            **({"appeals_and_review": record["objection_route"]} if record.get("objection_route") else {}),
        },
        "tool_specification": {
            "system_architecture": record.get("system_architecture") or "",
            "phase": phase,
            "maintenance": record.get("maintenance") or "",
            "models": f"{model} {record.get('model_version') or ''}".strip(),
        },
        "model_specification": [
            {
                "model_name": model,
                "model_version": record.get("model_version") or "",
                "model_task": record.get("model_task") or "",
                "model_input": record.get("model_input") or "",
                "model_output": record.get("model_output") or "",
                "model_architecture": record.get("model_architecture") or "",
                "model_performance": record.get("model_performance") or "",
                # v4.0 merged these two attributes; we ask once and fill both.
                "datasets": record.get("model_datasets") or "",
                "dataset_purposes": record.get("model_datasets") or "",
            }
        ],
        "data_specification": {
            "source_data_name": record.get("data_sources") or "",
            "data_modality": context["data_modality"],
            "data_description": record.get("data_sources") or "",
            "data_quantities": record.get("data_quantities") or "",
            "sensitive_attributes": record.get("personal_data") or "",
            "data_completeness_and_representativeness": record.get("data_completeness") or "",
            "source_data_url": record.get("data_access_url") or "",
            "data_collection": record.get("data_collection") or "",
            "data_sharing_agreements": record.get("data_sharing") or "",
            "data_access_and_storage": record.get("data_storage") or "",
        },
        "risks_mitigations_and_impact_assessments": {
            "impact_assessment": impact,
            "risks_and_mitigations": record.get("risks") or "",
        },
    }
