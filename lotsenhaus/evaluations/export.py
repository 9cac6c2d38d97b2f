"""The evaluation matrix as XLSX and PDF: the same rows as on the page, for the procurement file."""

import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from lotsenhaus.core.documents import Facts, Paragraph, Report, Section, Table
from lotsenhaus.core.exports import defuse

from .models import CriterionKind
from .scoring import Matrix, Row, percent


def _n(value: Decimal | None, places: int = 2) -> str:
    return formats.number_format(value, places, force_grouping=True) if value is not None else "–"


def status_text(row: Row) -> str:
    if row.excluded:
        return _("excluded: %(criteria)s") % {"criteria": ", ".join(row.excluded_by)}
    if row.note == "no_scores":
        return _("no valid scores")
    if row.note == "no_price":
        return _("price missing")
    parts = [_("rank %(rank)s") % {"rank": row.rank}]
    if row.tied:
        parts.append(_("tie"))
    if row.in_band:
        parts.append(_("in the tolerance band"))
    if row.winner:
        parts.append(_("best"))
    return ", ".join(parts)


def summary_rows(matrix: Matrix, names: dict[int, str]) -> list[list[str]]:
    ordered = sorted(matrix.rows, key=lambda r: (r.rank is None, r.rank or 0, names[r.candidate_id]))
    return [
        [
            names[r.candidate_id],
            _n(r.mean),
            _n(r.spread),
            str(len(r.by_evaluator)),
            _n(r.price),
            _n(r.z, 4),
            status_text(r),
        ]
        for r in ordered
    ]


def _header() -> list[str]:
    return [
        _("Startup"),
        _("Performance points L (mean)"),
        _("Spread"),
        _("Counted scores"),
        _("Price P (EUR, net)"),
        _("Z = L / P per 1,000 €"),
        _("Result"),
    ]


# Numbers are stored as numbers (Excel and LibreOffice sum and sort them) and shown with the reader's own
# separators through the cell format (issue 18: they were German-formatted text).
MONEY = "#,##0.00"
POINTS = "0.00"
RATIO = "0.0000"


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def _bold_header(sheet: Any, row: int) -> None:
    from openpyxl.styles import Font

    for cell in sheet[row]:
        cell.font = Font(bold=True)


def to_xlsx(
    *,
    evaluation: Any,
    matrix: Matrix,
    names: dict[int, str],
    evaluators: dict[int, str],
    scores: Sequence[Any] = (),
) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Matrix")[:31]
    sheet.append([_("Evaluation matrix"), defuse(evaluation.need.title)])
    sheet.append([_("Method"), evaluation.get_price_method_display()])
    sheet.append([])
    sheet.append(_header())
    _bold_header(sheet, sheet.max_row)
    sheet.freeze_panes = f"B{sheet.max_row + 1}"
    ordered = sorted(matrix.rows, key=lambda r: (r.rank is None, r.rank or 0, names[r.candidate_id]))
    for r in ordered:
        values = [_number(r.mean), _number(r.spread), len(r.by_evaluator), _number(r.price), _number(r.z)]
        sheet.append([defuse(names[r.candidate_id]), *values, status_text(r)])
        line = sheet.max_row
        for column, number_format in ((2, POINTS), (3, POINTS), (5, MONEY), (6, RATIO)):
            sheet.cell(row=line, column=column).number_format = number_format
    detail = workbook.create_sheet(_("Scores per evaluator")[:31])
    detail.append([_("Startup"), _("Evaluator"), _("Performance points L")])
    _bold_header(detail, 1)
    for row in matrix.rows:
        for evaluator_id, points in row.by_evaluator.items():
            detail.append([defuse(names[row.candidate_id]), defuse(evaluators.get(evaluator_id, "?")), float(points)])
            detail.cell(row=detail.max_row, column=3).number_format = POINTS
    criteria = workbook.create_sheet(_("Scores per criterion")[:31])
    criteria.append([_("Startup"), _("Criterion"), _("Evaluator"), _("Points"), _("Passed"), _("Comment")])
    _bold_header(criteria, 1)
    for score in scores:
        passed = None if score.passed is None else (_("yes") if score.passed else _("no"))
        criteria.append(
            [
                defuse(score.candidate.startup.organisation.name),
                defuse(score.criterion.name),
                defuse(str(score.evaluator.user)),
                score.points,
                passed,
                defuse(score.comment),
            ]
        )
    header_rows = {sheet: 4, detail: 1, criteria: 1}
    for worksheet, header in header_rows.items():
        for column in worksheet.columns:
            width = max(len(str(cell.value or "")) for cell in column)
            worksheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 60)
        # Printed for the procurement file: A4 landscape, all columns on one page width, the header row on every
        # page (LibreOffice split the matrix over six pages without this).
        worksheet.page_setup.orientation = "landscape"
        worksheet.page_setup.paperSize = worksheet.PAPERSIZE_A4
        worksheet.sheet_properties.pageSetUpPr.fitToPage = True
        worksheet.page_setup.fitToWidth = 1
        worksheet.page_setup.fitToHeight = 0
        worksheet.print_title_rows = f"{header}:{header}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_report(
    *,
    evaluation: Any,
    matrix: Matrix,
    names: dict[int, str],
    evaluators: dict[int, str],
    criteria: list[Any],
    author: Any,
) -> Report:
    facts = [
        (_("Need"), evaluation.need.title),
        (_("Status"), evaluation.get_status_display()),
        (_("Scale"), evaluation.get_scale_max_display()),
        (_("Method"), evaluation.get_price_method_display()),
    ]
    if evaluation.price_method == "extended":
        facts.append((_("Tolerance band"), percent(evaluation.tolerance_percent)))
        facts.append((_("Decision criterion"), evaluation.get_decision_rule_display()))
    criteria_rows = [
        [c.name, c.get_kind_display(), percent(c.weight) if c.kind == CriterionKind.WEIGHTED else "–"] for c in criteria
    ]
    detail = [
        [names[row.candidate_id], evaluators.get(e, "?"), _n(points)]
        for row in matrix.rows
        for e, points in row.by_evaluator.items()
    ]
    return Report(
        title=_("Evaluation matrix"),
        subtitle=evaluation.need.title,
        sections=[
            Section(_("Frame"), [Facts(facts)]),
            Section(_("Criteria"), [Table([_("Criterion"), _("Kind"), _("Weight")], criteria_rows)]),
            Section(_("Result"), [Table(_header(), summary_rows(matrix, names))]),
            Section(
                _("Scores per evaluator"),
                [
                    Paragraph(
                        _(
                            "Only evaluators who submitted count; a declared conflict removes a person's scores "
                            "for that startup."
                        )
                    ),
                    Table([_("Startup"), _("Evaluator"), _("Performance points L")], detail)
                    if detail
                    else Paragraph("–"),
                ],
            ),
        ],
        footer=_("Evaluation matrix · %(title)s · %(date)s · %(author)s · confidential")
        % {
            "title": evaluation.need.title,
            "date": formats.date_format(timezone.localdate(), "DATE_FORMAT"),
            "author": author,
        },
        landscape=True,
    )
