"""Reading startup lists from CSV or XLSX and checking every row before anything is written."""

import io
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from lotsenhaus.core.exports import csv_rows

from .models import Hosting

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
# Accepted column headers (lower case, German and English) -> field.
HEADERS = {
    "name": "name", "startup": "name", "unternehmen": "name",
    "website": "website", "webseite": "website", "url": "website",
    "kurzbeschreibung": "short_description", "beschreibung": "short_description",
    "short description": "short_description",
    "sitz": "seat", "seat": "seat", "ort": "seat",
    "gründungsjahr": "founding_year", "founding year": "founding_year",
    "teamgröße": "team_size", "team size": "team_size", "mitarbeitende": "team_size",
    "serverstandort": "hosting", "hosting": "hosting",
    "e-mail": "contact_email", "email": "contact_email", "kontakt": "contact_email",
}  # fmt: skip
HOSTING_VALUES = {
    "de": Hosting.DE, "deutschland": Hosting.DE, "germany": Hosting.DE,
    "eu": Hosting.EU, "europa": Hosting.EU, "europäische union": Hosting.EU,
    "elsewhere": Hosting.ELSEWHERE, "außerhalb der eu": Hosting.ELSEWHERE, "drittland": Hosting.ELSEWHERE,
}  # fmt: skip
LEGAL_FORMS = re.compile(r"\b(gmbh|ug|haftungsbeschränkt|ag|kg|gbr|e\.?\s?v|se|ltd|inc|co)\b\.?")


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message says why, in German."""


def normalise_name(name: str) -> str:
    """“Aktenblick GmbH”, “aktenblick gmbh.” and “Aktenblick” are the same startup."""
    lowered = LEGAL_FORMS.sub(" ", name.lower())
    return re.sub(r"[^a-z0-9äöüß]+", "", lowered)


def domain_of(url: str) -> str:
    host = re.sub(r"^[a-z]+://", "", url.strip().lower()).split("/")[0].split(":")[0]
    return host.removeprefix("www.")


def read_table(name: str, content: bytes) -> list[dict[str, str]]:
    if len(content) > MAX_BYTES:
        raise ImportFileError(_("The file is larger than 5 MB."))
    if name.lower().endswith(".xlsx"):
        if not content.startswith(b"PK"):
            raise ImportFileError(_("The file is not a valid Excel file."))
        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
            raw = [["" if cell is None else str(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
        except Exception as exc:
            raise ImportFileError(_("The file is not a valid Excel file.")) from exc
    elif name.lower().endswith(".csv"):
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                text = content.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ImportFileError(_("The file could not be read as text."))
        raw = csv_rows(text)
    else:
        raise ImportFileError(_("Please upload a CSV or XLSX file."))
    raw = [row for row in raw if any(cell.strip() for cell in row)]
    if not raw:
        raise ImportFileError(_("The file is empty."))
    header = [HEADERS.get(cell.strip().lower(), "") for cell in raw[0]]
    if "name" not in header:
        raise ImportFileError(_("The first row must name the columns; a column “Name” is required."))
    if len(raw) - 1 > MAX_ROWS:
        raise ImportFileError(_("At most %(count)s rows can be imported at once.") % {"count": MAX_ROWS})
    return [
        {field: (row[i].strip() if i < len(row) else "") for i, field in enumerate(header) if field} for row in raw[1:]
    ]


def check_rows(
    rows: list[dict[str, str]], existing_names: set[str], existing_domains: set[str]
) -> list[dict[str, Any]]:
    """Each row with its errors; valid rows carry the cleaned values that will be written."""
    checked = []
    seen_names: set[str] = set()
    seen_domains: set[str] = set()
    url_ok, email_ok = URLValidator(schemes=["http", "https"]), EmailValidator()
    for number, row in enumerate(rows, start=2):
        errors: list[str] = []
        values: dict[str, Any] = {"name": row.get("name", "")[:200]}
        if not values["name"]:
            errors.append(_("The name is missing."))
        website = row.get("website", "")
        if website:
            if "://" not in website:
                website = "https://" + website
            try:
                url_ok(website)
            except ValidationError:
                errors.append(_("“%(value)s” is not a valid web address.") % {"value": row.get("website")})
        values["website"] = website
        hosting = row.get("hosting", "").strip().lower()
        if hosting and hosting not in HOSTING_VALUES:
            errors.append(
                _("Unknown hosting value “%(value)s” (allowed: Deutschland, EU, außerhalb der EU).")
                % {"value": row.get("hosting")}
            )
        values["hosting_locations"] = [HOSTING_VALUES[hosting]] if hosting in HOSTING_VALUES else []
        for field, low, high in (("founding_year", 1900, 2100), ("team_size", 0, 100000)):
            text = row.get(field, "")
            values[field] = None
            if text:
                try:
                    values[field] = int(float(text.replace(",", ".")))
                    if not low <= values[field] <= high:
                        raise ValueError
                except ValueError:
                    errors.append(
                        _("“%(value)s” is not a valid number for %(field)s.") % {"value": text, "field": field}
                    )
        email = row.get("contact_email", "")
        if email:
            try:
                email_ok(email)
            except ValidationError:
                errors.append(_("“%(value)s” is not a valid e-mail address.") % {"value": email})
        values["contact_email"] = email
        values["short_description"] = row.get("short_description", "")[:350]
        values["seat"] = row.get("seat", "")[:100]
        key, domain = normalise_name(values["name"]), domain_of(website) if website else ""
        if values["name"] and (key in existing_names or (domain and domain in existing_domains)):
            errors.append(_("Already in the catalogue (same name or web domain)."))
        elif values["name"] and (key in seen_names or (domain and domain in seen_domains)):
            errors.append(_("Appears twice in this file."))
        seen_names.add(key)
        if domain:
            seen_domains.add(domain)
        checked.append({"row": number, "values": values, "errors": errors})
    return checked
