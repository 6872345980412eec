"""Prometheus metrics (prometheus_client): request counts and latency per view, worker and queue gauges.

With several gunicorn processes set PROMETHEUS_MULTIPROC_DIR (an empty, writable directory, wiped at
start) so that one scrape sees the sum of all processes.
"""

import hmac
import ipaddress
import os

from django.conf import settings
from prometheus_client import REGISTRY as DEFAULT_REGISTRY
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest, multiprocess

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

REQUESTS = Counter("sinergi_http_requests_total", "HTTP requests", ["method", "view", "status"])
LATENCY = Histogram(
    "sinergi_http_request_duration_seconds",
    "Time spent in Django per request",
    ["view"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
WORKER_AGE = Gauge(
    "sinergi_worker_heartbeat_age_seconds",
    "Seconds since the worker's last heartbeat (-1: never)",
    multiprocess_mode="max",
)
QUEUE_PENDING = Gauge("sinergi_queue_pending_tasks", "Tasks waiting in the huey queue", multiprocess_mode="max")


def observe_request(*, method: str, view: str, status: int, seconds: float) -> None:
    REQUESTS.labels(method=method, view=view, status=str(status)).inc()
    LATENCY.labels(view=view).observe(seconds)


def _refresh_gauges() -> None:
    from sinergi.core.services import health_report

    _ok, checks = health_report()
    age = checks.get("worker", {}).get("age_seconds")
    WORKER_AGE.set(-1 if age is None else age)
    QUEUE_PENDING.set(checks.get("queue", {}).get("pending") or 0)


def render() -> bytes:
    _refresh_gauges()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry)
    return generate_latest(DEFAULT_REGISTRY)


def is_allowed(*, authorization: str, remote_addr: str) -> bool:
    """A matching bearer token (SINERGI_METRICS_TOKEN) or a client address in SINERGI_METRICS_ALLOW_IPS."""
    token = settings.SINERGI_METRICS_TOKEN
    if token:
        scheme, _, given = authorization.partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode()):
            return True
    try:
        addr = ipaddress.ip_address(remote_addr)
    except ValueError:
        return False
    return any(addr in ipaddress.ip_network(net, strict=False) for net in settings.SINERGI_METRICS_ALLOW_IPS)
