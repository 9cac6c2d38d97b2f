"""Server-side SVG charts: no script, and every chart comes with its data as a table (BITV)."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

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


def bars(items: list[tuple[str, float]], value_format: str = "{:g}") -> dict[str, Any]:
    top = max((value for _label, value in items), default=0) or 1
    drawn = [
        Bar(
            label,
            value,
            index * ROW,
            round(max(value / top * CHART_WIDTH, 2 if value else 0), 1),
            value_format.format(value),
        )
        for index, (label, value) in enumerate(items)
    ]
    return {"bars": drawn, "height": max(len(drawn) * ROW, ROW), "width": CHART_WIDTH, "bar_height": BAR_HEIGHT}


def line(points: list[tuple[str, Decimal]], baseline: Decimal, target: Decimal) -> dict[str, Any]:
    """A KPI's measurements over time, with the baseline and the target as reference lines."""
    width, height, pad = 640, 200, 24
    values = [float(v) for _d, v in points] + [float(baseline), float(target)]
    low, high = min(values), max(values)
    span = (high - low) or 1.0

    def y(value: float) -> float:
        return round(height - pad - (value - low) / span * (height - 2 * pad), 1)

    step = (width - 2 * pad) / max(len(points) - 1, 1)
    coords = [(round(pad + index * step, 1), y(float(value))) for index, (_d, value) in enumerate(points)]
    return {
        "width": width,
        "height": height,
        "polyline": " ".join(f"{x},{yy}" for x, yy in coords),
        "dots": coords,
        "baseline_y": y(float(baseline)),
        "target_y": y(float(target)),
        "pad": pad,
        "right": width - pad,
    }
