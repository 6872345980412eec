"""Per-request metadata (IP, user agent, request id) for audit events.

The actor is always passed explicitly to services; only this transport metadata travels in a
context variable so that services need no `request`. Outside a request (worker, commands) it is empty.
"""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestMeta:
    request_id: str = ""
    ip: str | None = None
    user_agent: str = ""


_EMPTY = RequestMeta()
_current: ContextVar[RequestMeta | None] = ContextVar("sinergi_request_meta", default=None)


def current_meta() -> RequestMeta:
    return _current.get() or _EMPTY


def set_meta(meta: RequestMeta):
    return _current.set(meta)


def reset_meta(token) -> None:
    _current.reset(token)
