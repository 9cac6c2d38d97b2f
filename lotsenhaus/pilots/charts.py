"""Server-side SVG charts: no script, and every chart comes with its data as a table (BITV)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.formats import date_format, number_format

BAR_HEIGHT = 14
ROW = 40
CHART_WIDTH = 480


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    y: int
    width: float
    text: str

    @property
    def bar_y(self) -> int:
        return self.y + 20


def _number(value: float | Decimal) -> str:
    """A value in the reader's number format (1.234,5 in German), at most two decimals."""
    rounded = round(float(value), 2)
    return number_format(rounded, decimal_pos=0 if rounded == int(rounded) else None, force_grouping=True)


def bars(items: list[tuple[str, float]]) -> dict[str, Any]:
    top = max((value for _label, value in items), default=0) or 1
    drawn = [
        Bar(
            label,
            value,
            index * ROW,
            round(max(value / top * CHART_WIDTH, 2 if value else 0), 1),
            _number(value),
        )
        for index, (label, value) in enumerate(items)
    ]
    return {"bars": drawn, "height": max(len(drawn) * ROW, ROW), "width": CHART_WIDTH, "bar_height": BAR_HEIGHT}


def line(points: list[tuple[date, Decimal]], baseline: Decimal, target: Decimal, unit: str = "") -> dict[str, Any]:
    """A KPI's measurements over time, with the baseline and the target as labelled reference lines, a value
    axis, each measurement's value and date (issue 17, D34: the chart had no axes and no values)."""
    width, height, left, right_pad, top, bottom = 640, 240, 64, 140, 24, 40
    values = [float(v) for _d, v in points] + [float(baseline), float(target)]
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    plot_bottom = height - bottom

    def y(value: float) -> float:
        return round(plot_bottom - (value - low) / span * (plot_bottom - top), 1)

    right = width - right_pad
    first = left + 24  # the first value's label clear of the axis labels
    step = (right - first) / max(len(points) - 1, 1)
    dots = [
        {
            "x": round(first + index * step, 1),
            "y": y(float(value)),
            "value": _number(value),
            "date": date_format(day, "SHORT_DATE_FORMAT"),
            # Dates under the axis only where they do not overlap: the first, the last and every n-th.
            "show_date": index in (0, len(points) - 1) or index % max(1, len(points) // 4) == 0,
        }
        for index, (day, value) in enumerate(points)
    ]
    ticks = [{"y": y(v), "text": _number(v)} for v in sorted({low, high, (low + high) / 2})]
    suffix = f" {unit}" if unit else ""
    return {
        "width": width,
        "height": height,
        "polyline": " ".join(f"{d['x']},{d['y']}" for d in dots),
        "dots": dots,
        "ticks": ticks,
        "baseline_y": y(float(baseline)),
        "target_y": y(float(target)),
        "baseline_text": _number(baseline) + suffix,
        "target_text": _number(target) + suffix,
        "left": left,
        "right": right,
        "label_x": right + 8,
        "top": top,
        "axis_y": plot_bottom,
        "date_y": plot_bottom + 18,
        "unit": unit,
    }
