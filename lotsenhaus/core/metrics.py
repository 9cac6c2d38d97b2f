"""Prometheus metrics at ``/metrics`` (issue 20), written with ``prometheus_client``.

Two kinds:

- **Counted in the process**: request latency per route, e-mails sent and failed. ``lotsenhaus serve`` runs
  gunicorn with several workers, so it gives them a shared directory (``PROMETHEUS_MULTIPROC_DIR``) and the
  scrape adds up every worker's numbers; a worker that exits is marked dead in ``gunicorn_conf.child_exit``.
- **Read from the database at each scrape**: the task queue (depth, age of the oldest waiting task, running and
  failed tasks per queue) and whatever the domain apps register with :func:`register_gauge` (embeddings
  pending, the search index's lag, e-mails waiting). These are the same on every node, so any node answers.

The endpoint is off until ``LOTSENHAUS_METRICS_TOKEN`` (``Authorization: Bearer …``) or
``LOTSENHAUS_METRICS_NETWORKS`` (addresses of the scraper, for requests that did not come through the proxy) is
set; otherwise it answers 404, as if it did not exist.
"""

import ipaddress
import os
import secrets
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Count, Min
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

# Buckets around the targets of issue 21 (p95 150 ms, p99 400 ms) and the 1 s of issue 22.
LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.4, 0.6, 1.0, 2.5, 5.0, 10.0)

REQUEST_SECONDS = Histogram(
    "lotsenhaus_http_request_duration_seconds",
    "Time from the first middleware to the response, per URL pattern.",
    ["route", "method", "status"],
    buckets=LATENCY_BUCKETS,
    registry=None,  # put into the registry of each scrape (below), never into prometheus_client's global one
)
EMAILS_SENT = Counter("lotsenhaus_emails_sent", "E-mails handed to the mail server.", ["kind"], registry=None)
EMAILS_FAILED = Counter("lotsenhaus_emails_failed", "E-mails the mail server did not take.", ["kind"], registry=None)


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    REQUEST_SECONDS.labels(route=route, method=method, status=str(status)).observe(seconds)


@contextmanager
def email_sent(kind: str) -> Iterator[None]:
    """Wrap the sending of one message: counts it as sent, or as failed when sending raises (and re-raises)."""
    try:
        yield
    except Exception:
        EMAILS_FAILED.labels(kind=kind).inc()
        raise
    EMAILS_SENT.labels(kind=kind).inc()


@dataclass(frozen=True)
class Gauge:
    name: str
    documentation: str
    read: Callable[[], float | dict[tuple[str, ...], float]]
    labels: Sequence[str] = ()


_GAUGES: list[Gauge] = []


def register_gauge(
    name: str,
    documentation: str,
    read: Callable[[], float | dict[tuple[str, ...], float]],
    labels: Sequence[str] = (),
) -> None:
    """A value read from the database at each scrape; domain apps register theirs in ``AppConfig.ready``."""
    if all(g.name != name for g in _GAUGES):
        _GAUGES.append(Gauge(name, documentation, read, tuple(labels)))


def _task_queues() -> dict[str, dict[tuple[str, ...], float]]:
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    # The default queue is always reported, with 0 when empty, so that alerts see a value rather than none.
    depth: dict[tuple[str, ...], float] = {("default",): 0}
    age: dict[tuple[str, ...], float] = {("default",): 0}
    running: dict[tuple[str, ...], float] = {("default",): 0}
    failed: dict[tuple[str, ...], float] = {("default",): 0}
    rows = DBTaskResult.objects.values("queue_name", "status").annotate(n=Count("id"), oldest=Min("enqueued_at"))
    for row in rows:
        key = (row["queue_name"],)
        if row["status"] == "READY":
            depth[key] = row["n"]
            age[key] = max(0.0, (now - row["oldest"]).total_seconds()) if row["oldest"] else 0.0
        elif row["status"] == "RUNNING":
            running[key] = row["n"]
        elif row["status"] == "FAILED":
            failed[key] = row["n"]
    return {"depth": depth, "age": age, "running": running, "failed": failed}


class DatabaseCollector(Collector):
    def collect(self) -> Iterator[Metric]:
        try:
            queues = _task_queues()
        except DatabaseError:
            queues = {}
        for part, documentation in (
            ("depth", "Tasks waiting for a worker, per queue."),
            ("age", "Seconds the oldest waiting task has waited, per queue."),
            ("running", "Tasks a worker is running, per queue."),
            ("failed", "Tasks that failed and are kept in the task table, per queue."),
        ):
            name = "lotsenhaus_task_queue_age_seconds" if part == "age" else f"lotsenhaus_tasks_{part}"
            family = GaugeMetricFamily(name, documentation, labels=["queue"])
            for key, number in sorted(queues.get(part, {}).items()):
                family.add_metric(list(key), number)
            yield family
        for gauge in _GAUGES:
            try:
                value = gauge.read()
            except DatabaseError:
                continue
            family = GaugeMetricFamily(gauge.name, gauge.documentation, labels=list(gauge.labels))
            if isinstance(value, dict):
                for key, number in sorted(value.items()):
                    family.add_metric(list(key), number)
            else:
                family.add_metric([], value)
            yield family


def _registry() -> CollectorRegistry:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
    else:
        for collector in (REQUEST_SECONDS, EMAILS_SENT, EMAILS_FAILED):
            registry.register(collector)
    registry.register(DatabaseCollector())
    return registry


def _allowed(request: HttpRequest) -> bool:
    token = settings.LOTSENHAUS_METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    if token and given.startswith("Bearer ") and secrets.compare_digest(given[7:].encode(), token.encode()):
        return True
    networks = settings.LOTSENHAUS_METRICS_NETWORKS
    # A request relayed by the proxy comes from the proxy's address: the network rule is only for direct ones.
    if networks and "X-Forwarded-For" not in request.headers:
        try:
            address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
        except ValueError:
            return False
        return any(address in ipaddress.ip_network(n, strict=False) for n in networks)
    return False


@require_safe
@never_cache
def metrics_view(request: HttpRequest) -> HttpResponse:
    if not _allowed(request):
        raise Http404
    return HttpResponse(generate_latest(_registry()), content_type=CONTENT_TYPE_LATEST)
