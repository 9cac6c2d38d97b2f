"""The evaluation matrix as XLSX and PDF: the same rows as on the page, for the procurement file."""

import io
from decimal import Decimal
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from lotsenhaus.core.documents import Facts, Paragraph, Report, Section, Table
from lotsenhaus.core.exports import defuse

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


def to_xlsx(*, evaluation: Any, matrix: Matrix, names: dict[int, str], evaluators: dict[int, str]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Matrix")[:31]
    rows: list[list[Any]] = [
        [_("Evaluation matrix"), evaluation.challenge.title],
        [_("Method"), evaluation.get_price_method_display()],
        [],
        _header(),
        *summary_rows(matrix, names),
    ]
    for line in rows:
        sheet.append([defuse(value) for value in line])  # names and titles are typed by others: never formulas
    detail = workbook.create_sheet(_("Scores per evaluator")[:31])
    detail.append([_("Startup"), _("Evaluator"), _("Performance points L")])
    for row in matrix.rows:
        for evaluator_id, points in row.by_evaluator.items():
            detail.append([defuse(names[row.candidate_id]), defuse(evaluators.get(evaluator_id, "?")), float(points)])
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
        (_("Need"), evaluation.challenge.title),
        (_("Status"), evaluation.get_status_display()),
        (_("Scale"), evaluation.get_scale_max_display()),
        (_("Method"), evaluation.get_price_method_display()),
    ]
    if evaluation.price_method == "extended":
        facts.append((_("Tolerance band"), percent(evaluation.tolerance_percent)))
        facts.append((_("Decision criterion"), evaluation.get_decision_rule_display()))
    criteria_rows = [
        [c.name, c.get_kind_display(), percent(c.weight) if c.kind == "weighted" else "–"] for c in criteria
    ]
    detail = [
        [names[row.candidate_id], evaluators.get(e, "?"), _n(points)]
        for row in matrix.rows
        for e, points in row.by_evaluator.items()
    ]
    return Report(
        title=_("Evaluation matrix"),
        subtitle=evaluation.challenge.title,
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
            "title": evaluation.challenge.title,
            "date": formats.date_format(timezone.localdate(), "DATE_FORMAT"),
            "author": author,
        },
        landscape=True,
    )
