"""A JSON Schema for one registration, built from the Dutch register's own publication standard 1.0.

Each property's ``type`` ("string", "enum", "array"), ``max_length`` and ``permitted_values`` become the schema's
types, ``maxLength`` and ``enum``; a property with ``"required": true`` is required (the standard writes
``"required": "false"`` as a string once, for ``source_data_grouping``: not required). Arrays of groupings
require their items' ``required`` parts. The one deviation: ``lang`` accepts the ISO 639-3 code of the
record's language, which for Lotsenhaus is "deu" (the standard lists only "nld" so far).
"""

import json
from pathlib import Path
from typing import Any

STANDARD = json.loads((Path(__file__).parent / "nl-algoritmeregister-1.0.json").read_text())
LANGUAGE_DEVIATION = ["nld", "deu"]


def _property(spec: dict[str, Any]) -> dict[str, Any]:
    kind = spec["type"]
    if kind == "enum":
        return {"enum": list(spec["permitted_values"])}
    if kind == "array":
        items = spec.get("items")
        if items:
            return {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {name: _property(part) for name, part in items.items()},
                    "required": [name for name, part in items.items() if part.get("required") is True],
                    "additionalProperties": False,
                },
            }
        values = spec.get("permitted_values")
        return {"type": "array", "items": {"enum": values} if values else {"type": "string"}}
    schema: dict[str, Any] = {"type": "string"}
    if "max_length" in spec:
        schema["maxLength"] = spec["max_length"]
    return schema


def registration_schema() -> dict[str, Any]:
    properties = {name: _property(spec) for name, spec in STANDARD["properties"].items()}
    properties["lang"] = {"enum": LANGUAGE_DEVIATION}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": properties,
        "required": [name for name, spec in STANDARD["properties"].items() if spec.get("required") is True],
        "additionalProperties": False,
    }
