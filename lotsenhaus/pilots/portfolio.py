"""Portfolio figures for the unit: funnel, time in each state, conversion, pilots by authority, technology, startup."""

from collections import Counter, defaultdict
from dataclasses import dataclass
from statistics import median
from typing import Any

from lotsenhaus.core.vocabulary import Technology
from lotsenhaus.needs.models import Outcome, Status
from lotsenhaus.needs.selectors import life_cycle_events, status_counts

from .models import Pilot

FUNNEL = [
    Status.DRAFT,
    Status.IN_REVIEW,
    Status.PUBLISHED,
    Status.EXPLORATION,
    Status.EVALUATION,
    Status.PILOT,
    Status.CLOSED,
    Status.WITHDRAWN,
]


@dataclass
class Figures:
    funnel: list[tuple[str, int]]
    durations: list[tuple[str, float | None, int]]
    conversion: list[tuple[str, int, int, float | None]]
    by_authority: list[tuple[str, int, int]]
    by_technology: list[tuple[str, int, int]]
    by_startup: list[tuple[str, int, int]]


def _stays(created: dict[int, Any], events: list[tuple[int, str, str, Any]]) -> dict[str, list[float]]:
    """Days spent in each state, for stays that have ended (a state left by a change of state)."""
    entered: dict[int, Any] = dict(created)
    stays: dict[str, list[float]] = defaultdict(list)
    for need_id, from_status, _to_status, at in events:
        start = entered.get(need_id)
        if start is not None:
            stays[from_status].append((at - start).total_seconds() / 86400)
        entered[need_id] = at
    return stays


def figures() -> Figures:
    counts = status_counts()
    created, events, outcomes = life_cycle_events()
    stays = _stays(created, events)
    reached: dict[str, set[int]] = defaultdict(set)
    for need_id, _from, to_status, _at in events:
        reached[to_status].add(need_id)
    published = reached[Status.PUBLISHED]
    piloted = reached[Status.PILOT]
    adopted = {pk for pk, outcome in outcomes.items() if outcome == "adopted"}

    def rate(part: set[int], whole: set[int]) -> float | None:
        return round(100 * len(part & whole) / len(whole), 1) if whole else None

    pilots = list(
        Pilot.objects.select_related("need__organisation", "startup__organisation").only(
            "status",
            "need__organisation__name",
            "need__technologies",
            "need__outcome",
            "startup__organisation__name",
        )
    )
    authorities: Counter[str] = Counter()
    technologies: Counter[str] = Counter()
    startups: Counter[str] = Counter()
    won: dict[str, Counter[str]] = {"a": Counter(), "t": Counter(), "s": Counter()}
    labels = dict(Technology.choices)
    for pilot in pilots:
        is_adopted = pilot.need.outcome == Outcome.ADOPTED
        authority = pilot.need.organisation.name
        startup = pilot.startup.organisation.name
        authorities[authority] += 1
        startups[startup] += 1
        won["a"][authority] += is_adopted
        won["s"][startup] += is_adopted
        for code in pilot.need.technologies or ["-"]:
            label = str(labels.get(code, "–"))
            technologies[label] += 1
            won["t"][label] += is_adopted

    def table(counter: Counter[str], key: str) -> list[tuple[str, int, int]]:
        return [(name, n, won[key][name]) for name, n in sorted(counter.items(), key=lambda item: (-item[1], item[0]))]

    return Figures(
        funnel=[(str(Status(s).label), counts.get(s, 0)) for s in FUNNEL],
        durations=[
            (str(Status(s).label), round(median(stays[s]), 1) if stays[s] else None, len(stays[s])) for s in FUNNEL[:-2]
        ],
        conversion=[
            ("published_pilot", len(published & piloted), len(published), rate(piloted, published)),
            ("pilot_adopted", len(piloted & adopted), len(piloted), rate(adopted, piloted)),
            ("published_adopted", len(published & adopted), len(published), rate(adopted, published)),
        ],
        by_authority=table(authorities, "a"),
        by_technology=table(technologies, "t"),
        by_startup=table(startups, "s"),
    )
