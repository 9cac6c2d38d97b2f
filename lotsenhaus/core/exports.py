"""CSV and XLSX downloads of any list, with the same rows the person sees on the page."""

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook

FORMATS = {"csv", "xlsx"}
# Spreadsheet programs execute cells that start like a formula; such values are defused (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def defuse(value: Any) -> Any:
    """A value as one spreadsheet cell: numbers and dates stay themselves, text never starts like a formula.

    Every CSV, XLSX or ODS writer of the platform passes every cell through this function.
    """
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, date | Decimal | int | float | bool):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


Column = tuple[Any, Callable[[Any], Any]]


def export_response(rows: Iterable[Any], columns: Sequence[Column], filename: str, fmt: str) -> HttpResponse:
    header = [str(label) for label, _getter in columns]
    values = ([defuse(getter(row)) for _label, getter in columns] for row in rows)
    stamp = timezone.localdate().isoformat()
    if fmt == "xlsx":
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=filename[:31])
        sheet.append(header)
        for line in values:
            sheet.append(line)
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    else:
        buffer_text = io.StringIO()
        writer = csv.writer(buffer_text, delimiter=";")
        writer.writerow(header)
        writer.writerows(values)
        # A byte-order mark lets spreadsheet programs recognise UTF-8 (umlauts).
        response = HttpResponse("\ufeff" + buffer_text.getvalue(), content_type="text/csv; charset=utf-8")
        fmt = "csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response


def wanted_format(request: Any) -> str | None:
    fmt = request.GET.get("export")
    return fmt if fmt in FORMATS else None


def csv_rows(text: str) -> list[list[str]]:
    """Rows of an uploaded CSV. German spreadsheets separate cells with ";" (and write "12,5"), others with ","
    or tabs: the separator used most in the first line wins, ";" on a tie."""
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", "\t", ","), key=first_line.count)
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))
