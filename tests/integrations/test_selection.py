"""Settings choose the implementation per system, and refuse a choice that cannot work.

What the HTTP implementation sends and understands is in test_contract.py, against a local gateway.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from fund.checks import integrations_configured
from fund.integrations import (
    IMPLEMENTATIONS,
    entrusted_bank,
    get_client,
    identity_registry,
    property_registry,
    sms_gateway,
)
from fund.integrations.bank import HttpBank, SandboxBank
from fund.integrations.base import Unavailable
from fund.integrations.identity import HttpIdentityRegistry, SandboxIdentityRegistry
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


@pytest.mark.django_db
@override_settings(FUND_INTEGRATIONS="http", FUND_INTEGRATIONS_HTTP_BASE="")
def test_http_without_a_configured_gateway_is_unavailable_and_logged():
    with pytest.raises(Unavailable, match="未配置") as exc:
        identity_registry().lookup(id_number="370802199003070011")
    assert IntegrationCall.objects.get(pk=exc.value.call_id).ok is False


@override_settings(FUND_INTEGRATIONS="http", FUND_INTEGRATIONS_HTTP_BASE="")
def test_the_system_check_refuses_http_without_a_gateway_address():
    (error,) = integrations_configured(None)
    assert error.id == "fund.E001" and error.is_serious()
    assert "FUND_INTEGRATIONS=http" in error.msg and "FUND_INTEGRATIONS_HTTP_BASE 未配置" in error.msg


@pytest.mark.parametrize("base", ["gateway.example/api", "ftp://gateway.example", "http://", "http://[::1"])
def test_the_system_check_refuses_a_gateway_address_that_is_not_http(base):
    with override_settings(FUND_INTEGRATIONS="http", FUND_INTEGRATIONS_HTTP_BASE=base):
        assert [e.id for e in integrations_configured(None)] == ["fund.E001"]


@override_settings(FUND_INTEGRATIONS="sandbox", FUND_INTEGRATIONS_OVERRIDES={"sms": "http", "weather": "sandbox"},
                   FUND_INTEGRATIONS_HTTP_BASE="")
def test_the_system_check_names_the_one_system_on_http_and_an_unknown_system():
    messages = [e.msg for e in integrations_configured(None)]
    assert any("weather" in m for m in messages)
    assert any("外部系统 sms 使用 http 实现" in m for m in messages)


@pytest.mark.parametrize(("backend", "base"), [("sandbox", ""), ("http", "https://gateway.example/api"),
                                               ("http", "http://10.1.2.3:8080")])
def test_the_system_check_passes_a_choice_that_can_work(backend, base):
    with override_settings(FUND_INTEGRATIONS=backend, FUND_INTEGRATIONS_HTTP_BASE=base):
        assert integrations_configured(None) == []


def _start(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`manage.py check` in a fresh process with these environment variables (settings read at start)."""
    root = Path(__file__).resolve().parents[2]
    return subprocess.run(
        [sys.executable, str(root / "manage.py"), "check"], cwd=root, capture_output=True, text=True, timeout=120,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "fund.settings.test", **env},
    )


def test_the_settings_refuse_to_start_on_http_without_a_gateway_address():
    refused = _start({"FUND_INTEGRATIONS": "http", "FUND_INTEGRATIONS_HTTP_BASE": ""})
    assert refused.returncode != 0
    assert "ImproperlyConfigured" in refused.stderr and "FUND_INTEGRATIONS_HTTP_BASE 未配置" in refused.stderr

    started = _start({"FUND_INTEGRATIONS": "http", "FUND_INTEGRATIONS_HTTP_BASE": "http://127.0.0.1:9/gw"})
    assert started.returncode == 0, started.stderr
