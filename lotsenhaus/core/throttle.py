"""Fixed-window counters in the shared cache (the database cache, so every web node and worker counts together).

Rates are written as allauth writes them: ``"20/m"``, ``"5/5m"``, ``"100/h"``, ``"500/d"``.
"""

import time

from django.core.cache import cache
from django.utils.translation import gettext as _

from .exceptions import ApplicationError

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """``"5/5m"`` → (5, 300). A rate of ``0/…`` or an empty one means no limit (amount 0)."""
    if not rate:
        return 0, 1
    amount, _slash, per = rate.partition("/")
    per = per.split("/")[0] or "m"
    digits = per[:-1] if per[-1] in UNITS else per
    unit = UNITS.get(per[-1], 1)
    return int(amount), (int(digits) if digits else 1) * unit


def _key(scope: str, ident: str, period: int) -> str:
    return f"throttle:{scope}:{ident}:{int(time.time() // period)}"


def hit(scope: str, ident: str, rate: str) -> bool:
    """Count one event; False once the rate is exceeded in the current window (always True without a limit)."""
    amount, period = parse_rate(rate)
    if amount <= 0:
        return True
    key = _key(scope, ident, period)
    cache.add(key, 0, period)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, period)
        count = 1
    return count <= amount


def once(scope: str, ident: str, seconds: int) -> bool:
    """True the first time in ``seconds`` (for notices that must not be repeated on every attempt)."""
    return cache.add(f"once:{scope}:{ident}", 1, seconds)


def refuse_over(scope: str, ident: str, rate: str) -> None:
    """Count one anonymous submission and refuse it, in plain words, once the rate is used up."""
    if not hit(scope, ident, rate):
        raise ApplicationError(
            _("You have sent too many messages in a short time. Please try again later."), code="rate_limited"
        )
