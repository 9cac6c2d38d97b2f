"""Aggregation of independent scores into the evaluation matrix (UfAB guideline-value methods).

Pure functions over plain data, so every rule can be tested without a database:
- each evaluator's performance points L = Σ weight (%) × points;
- per candidate the mean and the spread (max − min) over the evaluators who submitted and had no conflict;
- one failed exclusion criterion excludes the candidate;
- price by the simple method, Z = L / P (shown per 1,000 € net), or the extended method: every offer whose
  Z is at most the tolerance below the best Z is in the band, and the stated decision criterion picks among them.
Equal values share a rank: ties are shown as ties, never broken silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from statistics import pstdev
from typing import Any

from .models import CriterionKind

TWO = Decimal("0.01")
FOUR = Decimal("0.0001")


@dataclass(frozen=True)
class CriterionData:
    id: int
    name: str
    kind: str  # "exclusion" or "weighted"
    weight: Decimal


@dataclass(frozen=True)
class ScoreData:
    evaluator_id: int
    candidate_id: int
    criterion_id: int
    points: int | None
    passed: bool | None


@dataclass
class Row:
    candidate_id: int
    by_evaluator: dict[int, Decimal] = field(default_factory=dict)
    criterion_means: dict[int, Decimal] = field(default_factory=dict)
    excluded_by: list[str] = field(default_factory=list)
    mean: Decimal | None = None
    spread: Decimal | None = None
    stdev: Decimal | None = None
    price: Decimal | None = None
    z: Decimal | None = None
    in_band: bool = False
    rank: int | None = None
    tied: bool = False
    winner: bool = False
    note: str = ""

    @property
    def excluded(self) -> bool:
        return bool(self.excluded_by)


@dataclass
class Matrix:
    rows: list[Row]
    counted_evaluators: list[int]
    best_z: Decimal | None = None
    band_floor: Decimal | None = None


def percent(value: Decimal) -> str:
    """A weight or tolerance as people write it: 100 %, 12.5 % (Decimal's own "g" format keeps "100.00")."""
    return f"{value.normalize():f} %"


def _q(value: Decimal, step: Decimal) -> Decimal:
    return value.quantize(step, rounding=ROUND_HALF_UP)


def _rank(rows: list[Row], key: dict[int, Decimal], descending: bool) -> None:
    """Competition ranking (1, 1, 3): equal values share a rank and are marked as tied."""
    ordered = sorted(key.items(), key=lambda item: item[1], reverse=descending)
    by_id = {row.candidate_id: row for row in rows}
    previous: Decimal | None = None
    rank = 0
    counts: dict[Decimal, int] = {}
    for _candidate, value in ordered:
        counts[value] = counts.get(value, 0) + 1
    for position, (candidate_id, value) in enumerate(ordered, start=1):
        if value != previous:
            rank = position
            previous = value
        row = by_id[candidate_id]
        row.rank = rank
        row.tied = counts[value] > 1


def aggregate(
    *,
    candidate_ids: list[int],
    criteria: list[CriterionData],
    scores: list[ScoreData],
    submitted: list[int],
    conflicts: set[tuple[int, int]],
    prices: dict[int, Decimal],
    method: str,
    tolerance_percent: Decimal = Decimal(10),
    decision_rule: str = "performance",
    decision_criterion_id: int | None = None,
) -> Matrix:
    names = {c.id: c.name for c in criteria}
    weighted = {c.id: c.weight for c in criteria if c.kind == CriterionKind.WEIGHTED}
    exclusion = {c.id for c in criteria if c.kind == CriterionKind.EXCLUSION}
    counted = set(submitted)
    rows = {cid: Row(candidate_id=cid) for cid in candidate_ids}
    points: dict[tuple[int, int], dict[int, int]] = {}
    for score in scores:
        if score.evaluator_id not in counted or (score.evaluator_id, score.candidate_id) in conflicts:
            continue  # not submitted yet, or conflicted: the score does not count
        row = rows.get(score.candidate_id)
        if row is None:
            continue
        if score.criterion_id in exclusion and score.passed is False:
            row.excluded_by.append(names[score.criterion_id])
        if score.criterion_id in weighted and score.points is not None:
            points.setdefault((score.evaluator_id, score.candidate_id), {})[score.criterion_id] = score.points
    for (evaluator_id, candidate_id), given in points.items():
        total = sum((weighted[cid] * given.get(cid, 0) for cid in weighted), Decimal(0))
        rows[candidate_id].by_evaluator[evaluator_id] = _q(total, TWO)
    for row in rows.values():
        row.excluded_by = sorted(set(row.excluded_by))
        values = list(row.by_evaluator.values())
        if values:
            row.mean = _q(sum(values, Decimal(0)) / len(values), TWO)
            row.spread = max(values) - min(values)
            row.stdev = _q(Decimal(str(pstdev([float(v) for v in values]))), TWO)
        for cid in weighted:
            marks = [
                points[(e, row.candidate_id)].get(cid) for e in row.by_evaluator if (e, row.candidate_id) in points
            ]
            present = [Decimal(p) for p in marks if p is not None]
            if present:
                row.criterion_means[cid] = _q(sum(present, Decimal(0)) / len(present), TWO)
        row.price = prices.get(row.candidate_id)
        if row.excluded:
            row.note = "excluded"
        elif row.mean is None:
            row.note = "no_scores"
        elif method != "none" and not row.price:
            row.note = "no_price"
        elif method != "none" and row.price:
            row.z = _q(row.mean / row.price * 1000, FOUR)

    eligible = [row for row in rows.values() if not row.note]
    matrix = Matrix(rows=list(rows.values()), counted_evaluators=sorted(counted))
    if not eligible:
        return matrix
    if method == "none":
        _rank(eligible, {r.candidate_id: r.mean for r in eligible if r.mean is not None}, descending=True)
    elif method == "simple":
        _rank(eligible, {r.candidate_id: r.z for r in eligible if r.z is not None}, descending=True)
    else:
        best = max(r.z for r in eligible if r.z is not None)
        floor = _q(best * (1 - tolerance_percent / 100), FOUR)
        matrix.best_z, matrix.band_floor = best, floor
        band = [r for r in eligible if r.z is not None and r.z >= floor]
        for r in band:
            r.in_band = True
        if decision_rule == "price":
            key = {r.candidate_id: r.price for r in band if r.price is not None}
            _rank(band, key, descending=False)
        elif decision_rule == "criterion" and decision_criterion_id is not None:
            key = {r.candidate_id: r.criterion_means.get(decision_criterion_id, Decimal(0)) for r in band}
            _rank(band, key, descending=True)
        else:
            _rank(band, {r.candidate_id: r.mean for r in band if r.mean is not None}, descending=True)
        outside = [r for r in eligible if not r.in_band]
        _rank(outside, {r.candidate_id: r.z for r in outside if r.z is not None}, descending=True)
        for r in outside:
            r.rank = (r.rank or 0) + len(band)
    for row in eligible:
        row.winner = row.rank == 1
    return matrix


def to_data(matrix: Matrix) -> dict[str, Any]:
    """The matrix as JSON-safe data (decimals as strings), for the snapshot kept when an evaluation closes."""

    def dec(value: Decimal | None) -> str | None:
        return None if value is None else str(value)

    return {
        "counted_evaluators": matrix.counted_evaluators,
        "best_z": dec(matrix.best_z),
        "band_floor": dec(matrix.band_floor),
        "rows": [
            {
                "candidate_id": r.candidate_id,
                "by_evaluator": {str(k): str(v) for k, v in r.by_evaluator.items()},
                "criterion_means": {str(k): str(v) for k, v in r.criterion_means.items()},
                "excluded_by": r.excluded_by,
                "mean": dec(r.mean),
                "spread": dec(r.spread),
                "stdev": dec(r.stdev),
                "price": dec(r.price),
                "z": dec(r.z),
                "in_band": r.in_band,
                "rank": r.rank,
                "tied": r.tied,
                "winner": r.winner,
                "note": r.note,
            }
            for r in matrix.rows
        ],
    }


def from_data(data: dict[str, Any]) -> Matrix:
    def dec(value: str | None) -> Decimal | None:
        return None if value is None else Decimal(value)

    rows = [
        Row(
            candidate_id=r["candidate_id"],
            by_evaluator={int(k): Decimal(v) for k, v in r["by_evaluator"].items()},
            criterion_means={int(k): Decimal(v) for k, v in r["criterion_means"].items()},
            excluded_by=list(r["excluded_by"]),
            mean=dec(r["mean"]),
            spread=dec(r["spread"]),
            stdev=dec(r["stdev"]),
            price=dec(r["price"]),
            z=dec(r["z"]),
            in_band=r["in_band"],
            rank=r["rank"],
            tied=r["tied"],
            winner=r["winner"],
            note=r["note"],
        )
        for r in data["rows"]
    ]
    return Matrix(
        rows=rows,
        counted_evaluators=list(data["counted_evaluators"]),
        best_z=dec(data["best_z"]),
        band_floor=dec(data["band_floor"]),
    )
