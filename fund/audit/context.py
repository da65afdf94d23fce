"""The request being served, so that audit rows can carry its address without threading it everywhere."""

from contextvars import ContextVar

current_ip: ContextVar[str | None] = ContextVar("current_ip", default=None)
