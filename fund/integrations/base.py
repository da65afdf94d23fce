"""What every outside-system client shares: result and error types, and the one place calls are logged.

An interface is an abstract subclass of `Integration` naming its `system` and marking each of its
operations with `@operation`. Any concrete subclass (sandbox, HTTP, or a test's own) that implements an
operation gets it wrapped automatically, so each call writes exactly one `IntegrationCall` row with the
request, the response or error, and the latency — no implementation can forget to log, and none repeats the
logging code. The row's id comes back on the result (`call_id`), or on the raised `IntegrationError`, so a
business decision can store the ids it relied on as evidence.

Transactions: no operation runs inside a business transaction. The same wrapper refuses it with
`CalledInTransaction` (a programming error, never shown to a user): a payment could leave the bank and the
record of it roll back, a slow agency would hold the caller's row locks for its whole answer, and the log row,
written in the caller's transaction, would vanish with a rollback. Callers ask first, outside any transaction,
then lock and re-check; messages are sent on commit. The test case's own wrapping blocks do not count
(`fund.transactions.in_business_transaction`).
"""

from __future__ import annotations

import dataclasses
import functools
import time
from abc import ABC
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from fund.transactions import in_business_transaction

F = TypeVar("F", bound=Callable[..., Any])

# The city whose hukou and homes count as "local". A setting may name it; the default is the seed's city.
DEFAULT_CITY_CODE = "370800"


def local_city_code() -> str:
    return getattr(settings, "FUND_CITY_CODE", DEFAULT_CITY_CODE)


@dataclass(frozen=True, kw_only=True)
class Result:
    """Base of every operation's result. `call_id` is the `IntegrationCall` that produced it."""

    call_id: int | None = None


ResultT = TypeVar("ResultT")


def from_row(cls: type[ResultT], row: Any, **values: Any) -> ResultT:
    """A sandbox's answer read from its own table's row: each field of the dataclass `cls` from the row's
    attribute of the same name, unless `values` gives it (a code turned into its enum, a column named
    otherwise, a figure worked out). `call_id` is the call log's to set. A field the row lacks and `values`
    does not give fails loudly, so a new field cannot be left out of a sandbox's answer unnoticed."""
    names = [f.name for f in dataclasses.fields(cls) if f.name != "call_id" and f.name not in values]  # type: ignore[arg-type]
    return cls(**{name: getattr(row, name) for name in names}, **values)


class IntegrationError(Exception):
    """An outside system refused or failed. The message is Chinese and may be shown to staff."""

    code = "error"

    def __init__(self, message: str, *, call_id: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.call_id = call_id


class NotFound(IntegrationError):
    """The system has no record of what was asked for."""

    code = "not_found"


class Rejected(IntegrationError):
    """The system understood the request and refused it (a conflicting replay, a wrong state …)."""

    code = "rejected"


class Unavailable(IntegrationError):
    """The system could not be reached or answered nonsense; retrying later may help."""

    code = "unavailable"


class CalledInTransaction(RuntimeError):
    """An outside system was called inside a business transaction: a bug in the caller, not bad input."""


@dataclass(frozen=True)
class OperationSpec:
    name: str
    reference: str | None  # the keyword argument whose value is stored as the call's reference
    redact: tuple[str, ...]  # keyword arguments whose values never reach the log (a one-time code's text)
    query: bool = False  # only reads the outside system: a sandbox answers it without a transaction of its own
    summarize: bool = False  # log lists (a batch's items) as their count and first rows, not in full


def operation(
    *, reference: str | None = None, redact: tuple[str, ...] = (), query: bool = False, summarize: bool = False,
) -> Callable[[F], F]:
    """Mark an interface method as an operation of the outside system; implementations get logged.

    `query=True` says the operation changes nothing there. A sandbox runs a query outside any transaction when
    its caller has none (one statement each, no BEGIN and COMMIT around them: the 秒批 rules make four such
    calls per withdrawal); every other operation, and any call inside a test case's wrapping transaction (the
    only one a call may run in), runs in an atomic block of its own.

    `summarize=True` (batch operations) logs each list in the request and the result as its length and first
    rows: a 20 000-item batch logged in full twice costs more than the sandbox's work on it, and every item's
    answer is kept by the caller's own rows (and the bank's) anyway."""

    def mark(fn: F) -> F:
        spec = OperationSpec(name=fn.__name__, reference=reference, redact=redact, query=query, summarize=summarize)
        # A marker on the function itself, read back with getattr by the logging wrapper.
        fn.__integration_operation__ = spec  # type: ignore[attr-defined]
        return fn

    return mark


# True while an operation runs, so an implementation that calls another of its operations logs once.
_in_call: ContextVar[bool] = ContextVar("fund_integration_in_call", default=False)


class Integration(ABC):
    """Base of the interfaces. Subclasses set `system` (interfaces) and `backend` (implementations)."""

    system: ClassVar[str]
    backend: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name, attr in list(vars(cls).items()):
            if not callable(attr) or getattr(attr, "__isabstractmethod__", False):
                continue
            if getattr(attr, "__integration_logged__", False):
                continue
            spec = _spec_for(cls, name)
            if spec is not None:
                setattr(cls, name, _logged(spec, attr))


def _spec_for(cls: type, name: str) -> OperationSpec | None:
    for klass in cls.__mro__:
        spec = getattr(vars(klass).get(name), "__integration_operation__", None)
        if spec is not None:
            return spec
    return None


def _jsonable(value: Any) -> Any:
    """Plain JSON types for the log: dataclasses to dicts, Decimals and dates to strings."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = {k: v for k, v in dataclasses.asdict(value).items() if k != "call_id"}
    encoder = DjangoJSONEncoder()

    def walk(v: Any) -> Any:
        if isinstance(v, dict):
            return {str(k): walk(x) for k, x in v.items()}
        if isinstance(v, list | tuple):
            return [walk(x) for x in v]
        if v is None or isinstance(v, bool | int | float | str):
            return v
        return encoder.default(v)

    return walk(value)


def _logged(spec: OperationSpec, fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def wrapper(self: Integration, **kwargs: Any) -> Any:
        if _in_call.get():
            return fn(self, **kwargs)
        if in_business_transaction():
            raise CalledInTransaction(
                f"{self.system}.{spec.name} was called inside a transaction; call outside systems before "
                "opening it (then lock and re-check) or on commit"
            )
        from .models import IntegrationCall

        token = _in_call.set(True)
        started = time.perf_counter()

        def log(**outcome: Any) -> IntegrationCall:
            # One log row a call, failed or not; the latency is taken when the row is written.
            return IntegrationCall.objects.create(
                system=self.system,
                operation=spec.name,
                backend=self.backend,
                reference=_reference(spec, kwargs),
                request=_request(spec, kwargs),
                latency_ms=_elapsed_ms(started),
                **outcome,
            )

        try:
            if self.backend == "sandbox" and not (spec.query and not transaction.get_connection().in_atomic_block):
                # A transaction for the sandbox's own writes and locks; inside a test case's transaction, a
                # savepoint, so a database error inside the sandbox leaves the transaction usable for the log.
                with transaction.atomic():
                    result = fn(self, **kwargs)
            else:
                result = fn(self, **kwargs)
        except Exception as exc:
            call = log(response=None, ok=False, error=(str(exc) or type(exc).__name__)[:2000])
            if isinstance(exc, IntegrationError):
                exc.call_id = call.pk
            raise
        finally:
            _in_call.reset(token)
        if not isinstance(result, Result):
            raise TypeError(f"{type(self).__name__}.{spec.name} must return a Result, not {type(result).__name__}")
        call = log(response=_response(spec, result), ok=True)
        return dataclasses.replace(result, call_id=call.pk)

    # A marker on the function itself, read back with getattr so a method is never wrapped twice.
    wrapper.__integration_logged__ = True  # type: ignore[attr-defined]
    return wrapper


def _request(spec: OperationSpec, kwargs: dict[str, Any]) -> Any:
    shown = {k: (f"（已隐去，{len(str(v))}字）" if k in spec.redact else v) for k, v in kwargs.items()}
    if spec.summarize:
        shown = {k: (_few(v) if isinstance(v, list | tuple) else v) for k, v in shown.items()}
    return _jsonable(shown)


SUMMARY_ROWS = 3


def _few(rows: list[Any] | tuple[Any, ...]) -> dict[str, Any]:
    return {"count": len(rows), "first": [_jsonable(row) for row in rows[:SUMMARY_ROWS]]}


def _response(spec: OperationSpec, result: Any) -> Any:
    if not spec.summarize:
        return _jsonable(result)
    fields = {f.name: getattr(result, f.name) for f in dataclasses.fields(result) if f.name != "call_id"}
    return _jsonable({k: (_few(v) if isinstance(v, list | tuple) else v) for k, v in fields.items()})


def _reference(spec: OperationSpec, kwargs: dict[str, Any]) -> str:
    if spec.reference is None:
        return ""
    return str(kwargs.get(spec.reference, ""))[:100]


def _elapsed_ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 3)
