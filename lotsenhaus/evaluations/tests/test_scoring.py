"""The aggregation rules of the evaluation matrix, on plain data."""

from decimal import Decimal

from lotsenhaus.evaluations.scoring import CriterionData, ScoreData, aggregate

QUALITY = CriterionData(1, "Qualität", "weighted", Decimal(60))
FIT = CriterionData(2, "Umsetzbarkeit", "weighted", Decimal(40))
HOSTING = CriterionData(3, "Hosting in der EU", "exclusion", Decimal(0))
CRITERIA = [QUALITY, FIT, HOSTING]


def sheet(evaluator, candidate, quality, fit, hosting=True):
    return [
        ScoreData(evaluator, candidate, 1, quality, None),
        ScoreData(evaluator, candidate, 2, fit, None),
        ScoreData(evaluator, candidate, 3, None, hosting),
    ]


def run(scores, *, submitted=(1, 2), conflicts=frozenset(), prices=None, method="none", **kwargs):
    matrix = aggregate(
        candidate_ids=[10, 20, 30],
        criteria=CRITERIA,
        scores=scores,
        submitted=list(submitted),
        conflicts=set(conflicts),
        prices=prices or {},
        method=method,
        **kwargs,
    )
    return {row.candidate_id: row for row in matrix.rows}, matrix


def test_weighted_sum_per_evaluator_then_mean_and_spread():
    rows, _ = run(sheet(1, 10, 5, 3) + sheet(2, 10, 3, 3))
    assert rows[10].by_evaluator == {1: Decimal("420.00"), 2: Decimal("300.00")}  # 60*5+40*3, 60*3+40*3
    assert (rows[10].mean, rows[10].spread) == (Decimal("360.00"), Decimal("120.00"))


def test_one_failed_exclusion_criterion_excludes():
    rows, _ = run(sheet(1, 10, 5, 5) + sheet(2, 10, 5, 5, hosting=False) + sheet(1, 20, 1, 1))
    assert rows[10].excluded and rows[10].excluded_by == ["Hosting in der EU"] and rows[10].rank is None
    assert rows[20].rank == 1


def test_scores_count_only_after_submission_and_without_conflict():
    scores = sheet(1, 10, 2, 2) + sheet(2, 10, 5, 5) + sheet(3, 10, 0, 0)
    rows, _ = run(scores, submitted=(1, 2, 3), conflicts={(2, 10)})
    assert rows[10].by_evaluator == {1: Decimal("200.00"), 3: Decimal("0.00")}
    rows, _ = run(scores, submitted=(1,))
    assert rows[10].by_evaluator == {1: Decimal("200.00")}


def test_ties_are_shown_as_ties():
    rows, _ = run(sheet(1, 10, 4, 4) + sheet(1, 20, 4, 4) + sheet(1, 30, 1, 1), submitted=(1,))
    assert (rows[10].rank, rows[20].rank, rows[30].rank) == (1, 1, 3)
    assert rows[10].tied and rows[20].tied and not rows[30].tied
    assert rows[10].winner and rows[20].winner


def test_simple_guideline_value_method_ranks_by_points_per_price():
    scores = sheet(1, 10, 5, 5) + sheet(1, 20, 4, 4)  # L = 500 and 400
    rows, _ = run(scores, submitted=(1,), prices={10: Decimal(50000), 20: Decimal(20000)}, method="simple")
    assert rows[10].z == Decimal("10.0000") and rows[20].z == Decimal("20.0000")
    assert rows[20].winner and rows[10].rank == 2
    assert rows[30].note == "no_scores"


def test_extended_method_decides_within_the_tolerance_band():
    # Z: 10 → 20.0, 20 → 19.0 (5 % below, in the band), 30 → 15.0 (outside 10 %).
    scores = sheet(1, 10, 4, 4) + sheet(1, 20, 5, 5) + sheet(1, 30, 3, 3)
    prices = {10: Decimal(20000), 20: Decimal("26315.79"), 30: Decimal(20000)}
    rows, matrix = run(scores, submitted=(1,), prices=prices, method="extended", tolerance_percent=Decimal(10))
    assert matrix.best_z == Decimal("20.0000") and matrix.band_floor == Decimal("18.0000")
    assert rows[10].in_band and rows[20].in_band and not rows[30].in_band
    assert rows[20].winner  # more performance points inside the band
    rows, _ = run(scores, submitted=(1,), prices=prices, method="extended", decision_rule="price")
    assert rows[10].winner  # the cheaper one inside the band
    rows, _ = run(
        scores, submitted=(1,), prices=prices, method="extended", decision_rule="criterion", decision_criterion_id=2
    )
    assert rows[20].winner and rows[30].rank == 3


def test_a_missing_price_is_named_not_guessed():
    rows, _ = run(sheet(1, 10, 4, 4), submitted=(1,), prices={}, method="simple")
    assert rows[10].note == "no_price" and rows[10].rank is None


def test_weights_are_shown_as_people_write_them():
    from lotsenhaus.evaluations.scoring import percent

    assert (percent(Decimal("100.00")), percent(Decimal("12.50")), percent(Decimal("0.5"))) == (
        "100 %",
        "12.5 %",
        "0.5 %",
    )
