"""A data-sharing gateway (前置机) on 127.0.0.1 that answers every outside system as its sandbox does.

`POST /gw/<system>/<operation>` with a JSON object of arguments: the gateway converts the arguments by the
operation's declared types, runs the sandbox implementation of that operation (unlogged: the test is about
the HTTP client's call, which logs itself) and answers `{"ok": true, "data": …}`, or `{"ok": false, "code":
"not_found" | "rejected", …}` for the sandbox's `NotFound` / `Rejected` — the contract
`fund.integrations.http` documents. So the same inputs through the HTTP client and through the sandbox must
give the same results, which is what tests/integrations/test_contract.py checks.

The sandbox runs on the test's own database connection, lent to the server's thread while the test waits
for the answer (as Django's live server does), so it sees the test's uncommitted rows; one request at a time.

A test may also make the gateway misbehave: `gateway.fail_next(status=503)`, `gateway.fail_next(body=b"…")`
(a raw body: not JSON, a truncated one …) or `gateway.hang_next()` (never answers until the gateway stops).
"""

from __future__ import annotations

import dataclasses
import inspect
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, get_args, get_origin, get_type_hints

from django.db import connections, transaction
from django.utils.module_loading import import_string

from fund.integrations import IMPLEMENTATIONS
from fund.integrations.base import NotFound, Rejected


@dataclass(frozen=True)
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


def operations_of(cls: type) -> dict[str, Callable[..., Any]]:
    """The operations an integration class implements (name → its unlogged function)."""
    found: dict[str, Callable[..., Any]] = {}
    for klass in reversed(cls.__mro__):
        for name, attr in vars(klass).items():
            if getattr(attr, "__integration_operation__", None) is not None:
                found[name] = getattr(cls, name)
    return {name: getattr(fn, "__wrapped__", fn) for name, fn in found.items()}


def _from_json(tp: Any, value: Any) -> Any:
    """JSON → the argument's declared type (str, bool, Decimal, date, a TextChoices enum), strictly."""
    if tp is Decimal:
        if not isinstance(value, str):
            raise TypeError("money must travel as a string")
        return Decimal(value)
    if get_origin(tp) is list:  # list[str]: the owners of an off-plan home
        if not isinstance(value, list):
            raise TypeError("not an array")
        (item,) = get_args(tp)
        return [_from_json(item, v) for v in value]
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):  # a batch's items: objects of the declared fields
        if not isinstance(value, dict):
            raise TypeError("not an object")
        hints = get_type_hints(tp)
        names = {f.name for f in dataclasses.fields(tp)}
        if set(value) != names:
            raise TypeError("fields do not match")
        return tp(**{n: _from_json(hints[n], v) for n, v in value.items()})
    if tp is date:
        return date.fromisoformat(value)
    if tp is bool:
        if not isinstance(value, bool):
            raise TypeError("not a boolean")
        return value
    if isinstance(tp, type) and issubclass(tp, str):
        if not isinstance(value, str):
            raise TypeError("not a string")
        return tp(value)
    raise TypeError(f"no JSON form for {tp!r}")


def _to_json(value: Any) -> Any:
    """A result → JSON: dataclasses as objects (without `call_id`), tuples as arrays, Decimals as strings and
    dates and datetimes in ISO 8601 with every digit (the client must not lose the microseconds)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _to_json(getattr(value, f.name)) for f in dataclasses.fields(value) if f.name != "call_id"}
    if isinstance(value, list | tuple):
        return [_to_json(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, str):
        return str(value)  # a TextChoices member as its plain code
    return value


@dataclass
class FakeGateway:
    base_url: str = ""
    received: list[Received] = field(default_factory=list)
    _misbehave: list[tuple[str, Any]] = field(default_factory=list)
    _release: threading.Event = field(default_factory=threading.Event)

    errors: list[str] = field(default_factory=list)  # the fake's own failures, for a test to show

    def fail_next(self, *, status: int = 200, body: bytes | None = None, declared_length: int | None = None) -> None:
        """The next request gets this status and raw body instead of the sandbox's answer; `declared_length`
        announces more bytes than are sent (the connection then closes mid-body)."""
        self._misbehave.append(("fail", (status, body, declared_length)))

    def hang_next(self) -> None:
        """The next request gets no answer until the gateway stops (the client's timeout must end the wait)."""
        self._misbehave.append(("hang", None))

    def answer(self, system: str, operation: str, arguments: Any) -> tuple[int, dict[str, Any]]:
        paths = IMPLEMENTATIONS.get(system)
        ops = operations_of(import_string(paths["sandbox"])) if paths else {}
        if operation not in ops:
            return 404, {"ok": False, "code": "unknown", "message": f"没有这个接口：{system}/{operation}"}
        fn = ops[operation]
        hints = get_type_hints(fn)
        params = {n: p for n, p in inspect.signature(fn).parameters.items() if n != "self"}
        if not isinstance(arguments, dict) or set(arguments) - set(params):
            return 400, {"ok": False, "code": "bad_request", "message": "参数不正确"}
        try:
            kwargs = {n: _from_json(hints[n], v) for n, v in arguments.items()}
        except (TypeError, ValueError, ArithmeticError) as exc:
            return 400, {"ok": False, "code": "bad_request", "message": f"参数不正确：{exc}"}
        if any(p.default is inspect.Parameter.empty and n not in kwargs for n, p in params.items()):
            return 400, {"ok": False, "code": "bad_request", "message": "缺少参数"}
        impl = import_string(paths["sandbox"])()
        try:
            with transaction.atomic():  # what the logging wrapper gives a sandbox call: a savepoint of its own
                result = fn(impl, **kwargs)
        except NotFound as exc:
            return 200, {"ok": False, "code": "not_found", "message": exc.message}
        except Rejected as exc:
            return 200, {"ok": False, "code": "rejected", "message": exc.message}
        return 200, {"ok": True, "data": _to_json(result)}


def _handler(gateway: FakeGateway, connection: Any) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 — the name http.server calls
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            try:
                body: Any = json.loads(raw)
            except ValueError:
                body = raw
            gateway.received.append(Received("POST", self.path, dict(self.headers.items()), body))
            if gateway._misbehave:
                kind, detail = gateway._misbehave.pop(0)
                if kind == "hang":
                    gateway._release.wait()
                    return
                status, payload, declared = detail
                self._send(status, payload if payload is not None else b'{"ok": false}', declared)
                return
            _, _, system, operation = (self.path.split("/", 3) + ["", "", "", ""])[:4]
            connections["default"] = connection  # the test's connection, while the test waits for this answer
            try:
                status, answer = gateway.answer(system, operation, body)
            except Exception as exc:  # a bug in the fake or the sandbox: answer, and let the test say what
                gateway.errors.append(f"{type(exc).__name__}: {exc}")
                status, answer = 500, {"ok": False, "code": "error", "message": str(exc)}
            self._send(status, json.dumps(answer, ensure_ascii=False).encode())

        def _send(self, status: int, payload: bytes, declared: int | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(declared if declared is not None else len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


@contextmanager
def fake_gateway() -> Iterator[FakeGateway]:
    """Serve a fake gateway on a free port of 127.0.0.1 for the duration; its base URL ends in /gw."""
    gateway = FakeGateway()
    connection = connections["default"]
    connection.inc_thread_sharing()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(gateway, connection))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    gateway.base_url = f"http://127.0.0.1:{server.server_address[1]}/gw"
    try:
        yield gateway
    finally:
        gateway._release.set()
        server.shutdown()
        server.server_close()
        connection.dec_thread_sharing()
