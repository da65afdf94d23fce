"""Settings choose the implementation per system; the HTTP one speaks the gateway's JSON contract.

The HTTP tests run a throwaway gateway on 127.0.0.1 in a thread, so the real urllib code path is exercised
without reaching outside the machine.
"""

import json
import threading
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from fund.integrations import (
    IMPLEMENTATIONS,
    entrusted_bank,
    get_client,
    identity_registry,
    property_registry,
    sms_gateway,
)
from fund.integrations.bank import HttpBank, SandboxBank
from fund.integrations.base import NotFound, Unavailable
from fund.integrations.identity import HttpIdentityRegistry, Identity, SandboxIdentityRegistry
from fund.integrations.models import IntegrationCall
from fund.integrations.property import HttpPropertyRegistry
from fund.integrations.sms import HttpSmsGateway, SandboxSmsGateway


def test_sandbox_is_the_default():
    assert isinstance(identity_registry(), SandboxIdentityRegistry)
    assert isinstance(entrusted_bank(), SandboxBank)


@override_settings(FUND_INTEGRATIONS="http")
def test_http_is_chosen_for_every_system_by_the_setting():
    for system in IMPLEMENTATIONS:
        client = get_client(system)
        assert client.backend == "http" and client.system == system
    assert isinstance(entrusted_bank(), HttpBank)
    assert isinstance(property_registry(), HttpPropertyRegistry)


@override_settings(FUND_INTEGRATIONS="sandbox", FUND_INTEGRATIONS_OVERRIDES={"sms": "http"})
def test_a_per_system_override_wins():
    assert isinstance(sms_gateway(), HttpSmsGateway)
    assert isinstance(identity_registry(), SandboxIdentityRegistry)


@override_settings(FUND_INTEGRATIONS="http", FUND_INTEGRATIONS_OVERRIDES={"sms": "sandbox"})
def test_an_override_can_keep_one_system_in_the_sandbox():
    assert isinstance(sms_gateway(), SandboxSmsGateway)
    assert isinstance(identity_registry(), HttpIdentityRegistry)


@override_settings(FUND_INTEGRATIONS="ftp")
def test_an_unknown_backend_is_a_configuration_error():
    with pytest.raises(ImproperlyConfigured):
        get_client("bank")
    with pytest.raises(ImproperlyConfigured):
        get_client("weather")


class _Gateway(BaseHTTPRequestHandler):
    received: list[tuple[str, dict[str, Any]]] = []

    def do_POST(self) -> None:  # noqa: N802 — the name http.server calls
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.received.append((self.path, body))
        if body.get("id_number") == "370802199001011237":
            answer: dict[str, Any] = {"ok": False, "code": "not_found", "message": "查无此人"}
        else:
            answer = {"ok": True, "data": {
                "id_number": body["id_number"], "name": "网关张三", "sex": "1", "birth_date": "1990-03-07",
                "alive": True, "death_date": None, "hukou_city_code": "370800", "hukou_city_name": "济宁市",
                "hukou_local": True,
            }}
        payload = json.dumps(answer, ensure_ascii=False).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def gateway() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Gateway.received = []
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/gw"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.django_db
def test_http_posts_json_to_system_and_operation_and_decodes_typed_results(gateway):
    with override_settings(FUND_INTEGRATIONS="http", FUND_INTEGRATIONS_HTTP_BASE=gateway):
        found = identity_registry().lookup(id_number="370802199003070011")

    assert _Gateway.received == [("/gw/identity/lookup", {"id_number": "370802199003070011"})]
    assert isinstance(found, Identity)
    assert found.birth_date == date(1990, 3, 7) and found.death_date is None and found.hukou_local is True
    row = IntegrationCall.objects.get(pk=found.call_id)
    assert (row.backend, row.system, row.operation, row.ok) == ("http", "identity", "lookup", True)
    assert row.latency_ms > 0


@pytest.mark.django_db
def test_http_not_found_answer_raises_and_is_logged(gateway):
    with override_settings(FUND_INTEGRATIONS="http", FUND_INTEGRATIONS_HTTP_BASE=gateway):
        with pytest.raises(NotFound, match="查无此人") as exc:
            identity_registry().lookup(id_number="370802199001011237")
    row = IntegrationCall.objects.get(pk=exc.value.call_id)
    assert not row.ok and row.backend == "http"


@pytest.mark.django_db
@override_settings(FUND_INTEGRATIONS="http", FUND_INTEGRATIONS_HTTP_BASE="")
def test_http_without_a_configured_gateway_is_unavailable_and_logged():
    with pytest.raises(Unavailable, match="未配置") as exc:
        identity_registry().lookup(id_number="370802199003070011")
    assert IntegrationCall.objects.get(pk=exc.value.call_id).ok is False
