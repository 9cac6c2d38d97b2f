"""The register's records in the formats of other public registers.

``algoritmeregister`` writes a published record as a registration of the Dutch national algorithm register,
publication standard 1.0 (MinBZK/Algoritmeregister, ``backend/app/config/publication_standard.py``; a copy
with its source in ``tests/standards/``, against which the tests validate every download). The mapping and
what it leaves out are documented in docs/ai-register.md.
"""

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
