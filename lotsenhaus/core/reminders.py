"""Daily reminders: apps register a function that queues their reminder tasks and says how many.

``lotsenhaus send-reminders`` runs them all, so one cron line covers pilots, events and the advisory track
without core knowing any of them.
"""

from collections.abc import Callable

_PRODUCERS: dict[str, Callable[[], int]] = {}


def register(name: str, producer: Callable[[], int]) -> None:
    _PRODUCERS[name] = producer


def queue_all() -> dict[str, int]:
    return {name: producer() for name, producer in sorted(_PRODUCERS.items())}
