"""A JSON Schema for one ATRS record, built from the UK template v3.0 (``uk-atrs-3.0-template.md``).

Each row of the template's tables names an attribute, its category (the record's section: "Owner and
Responsibility" -> ``owner_and_responsibility``), its type and whether it is required. A required attribute must
be present and, for text, not empty; an optional one may be left out; nothing else is allowed. The "Model
Specification" section describes one model, and the template's ``models`` attribute lists several: the section
is an array with one object per model. Deviation: ``date_archived`` is null while a tool is in use.
"""

import re
from pathlib import Path
from typing import Any

TEMPLATE = Path(__file__).parent / "uk-atrs-3.0-template.md"
REPEATED_SECTIONS = {"model_specification"}
NULLABLE = {("metadata", "date_archived")}


def _rows() -> list[dict[str, str]]:
    rows = []
    for line in TEMPLATE.read_text().splitlines():
        if not line.startswith("|") or line.startswith("| ---") or "reference number" in line:
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        rows.append(
            {
                "attribute": cells[1].replace("<br>", "").strip(),
                "category": cells[4],
                "type": cells[5],
                "required": cells[-1],
            }
        )
    return rows


def section_key(category: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", category.lower()).strip("_")


def _type(row: dict[str, str], nullable: bool) -> dict[str, Any]:
    if row["type"] == "integer":
        schema: dict[str, Any] = {"type": "integer"}
    elif row["type"] == "date":
        schema = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    else:
        schema = {"type": "string"}
        if row["required"] == "TRUE":
            schema["minLength"] = 1
    if nullable:
        schema = {"anyOf": [schema, {"type": "null"}]}
    return schema


def record_schema() -> dict[str, Any]:
    sections: dict[str, dict[str, Any]] = {}
    for row in _rows():
        key = section_key(row["category"])
        section = sections.setdefault(
            key, {"type": "object", "properties": {}, "required": [], "additionalProperties": False}
        )
        section["properties"][row["attribute"]] = _type(row, (key, row["attribute"]) in NULLABLE)
        if row["required"] == "TRUE":
            section["required"].append(row["attribute"])
    properties = {
        key: {"type": "array", "minItems": 1, "items": section} if key in REPEATED_SECTIONS else section
        for key, section in sections.items()
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }
