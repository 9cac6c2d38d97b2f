"""Issue 18: the evaluation matrix in XLSX stores numbers as numbers with a number format, and carries every
criterion's scores with the jurors' comments."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from lotsenhaus.evaluations import services
from tests.pipeline import build_world, evaluate, explore

pytestmark = pytest.mark.django_db


def test_the_matrix_xlsx_has_numbers_and_per_criterion_scores_with_comments():
    world = build_world()
    _exploration, candidates = explore(world)
    evaluation = evaluate(world, candidates, submit=False, close=False)
    criterion = evaluation.criteria.get()
    for person in (world.owner, world.expert):
        for candidate, points in ((candidates[0], 4), (candidates[1], 3)):
            services.conflict_declare(actor=person, evaluation=evaluation, candidate=candidate, conflicted=False)
            services.scores_save(
                actor=person,
                evaluation=evaluation,
                candidate=candidate,
                values={criterion.pk: {"points": points, "comment": f"Begründung {person.pk}"}},
            )
        services.evaluation_submit(actor=person, evaluation=evaluation)
    for candidate in candidates[:2]:
        services.price_set(actor=world.coordinator, evaluation=evaluation, candidate=candidate, amount=Decimal(48000))
    response = world.client(world.coordinator).get(
        reverse("evaluations:matrix", args=[world.need.pk]), {"export": "xlsx"}
    )
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    matrix = workbook.worksheets[0]
    first = matrix[5]  # title, method, a blank line, the header, then the startups
    assert isinstance(first[1].value, int | float) and isinstance(first[5].value, int | float)  # points, ratio
    assert first[4].value == 48000 and first[4].number_format == "#,##0.00"  # a number, shown as money
    per_criterion = workbook.worksheets[2]
    rows = list(per_criterion.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 4
    assert {row[1] for row in rows} == {criterion.name}
    assert all(isinstance(row[3], int) for row in rows)
    assert {row[5] for row in rows} == {f"Begründung {world.owner.pk}", f"Begründung {world.expert.pk}"}
    # Printed for the procurement file: every sheet on A4 landscape, one page wide, its header row on each page.
    for sheet, header in zip(workbook.worksheets, ("$4:$4", "$1:$1", "$1:$1"), strict=True):
        assert sheet.page_setup.orientation == "landscape"
        assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
        assert sheet.print_title_rows == header
