"""The outside systems: one interface per system, a sandbox and an HTTP implementation, and a call log.

Business code asks for a client here and never names an implementation::

    from fund.integrations import property_registry
    homes = property_registry().homes(id_number=person.id_number)
    decision.evidence_call_ids.append(homes.call_id)

`settings.FUND_INTEGRATIONS` ("sandbox" or "http") picks the implementation for every system;
`settings.FUND_INTEGRATIONS_OVERRIDES` (e.g. {"sms": "http"}) overrides it per system. Any system on "http"
needs `FUND_INTEGRATIONS_HTTP_BASE`, the gateway's http(s) address: the settings refuse to load without it,
and the system check `fund.E001` says the same for settings that bypass that (`configuration_problems`).

The accessors are named after the interfaces (`identity_registry()`, not `identity()`) because the
submodules `identity`, `bank` … become attributes of this package when imported and would shadow them.
Nothing is imported eagerly: this package is loaded while Django sets up its apps, before models exist.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from .bank import Bank
    from .base import Integration
    from .credit import CreditBureau
    from .identity import IdentityRegistry
    from .marriage import MarriageRegistry
    from .property import PropertyRegistry
    from .sms import SmsGateway
    from .social_insurance import SocialInsuranceBureau
    from .tax import TaxBureau
    from .transfer import TransferPlatform

BACKENDS = ("sandbox", "http")

# system → the two implementations, as dotted paths so that nothing loads before it is asked for.
IMPLEMENTATIONS: dict[str, dict[str, str]] = {
    "identity": {
        "sandbox": "fund.integrations.identity.SandboxIdentityRegistry",
        "http": "fund.integrations.identity.HttpIdentityRegistry",
    },
    "marriage": {
        "sandbox": "fund.integrations.marriage.SandboxMarriageRegistry",
        "http": "fund.integrations.marriage.HttpMarriageRegistry",
    },
    "property": {
        "sandbox": "fund.integrations.property.SandboxPropertyRegistry",
        "http": "fund.integrations.property.HttpPropertyRegistry",
    },
    "tax": {
        "sandbox": "fund.integrations.tax.SandboxTaxBureau",
        "http": "fund.integrations.tax.HttpTaxBureau",
    },
    "social_insurance": {
        "sandbox": "fund.integrations.social_insurance.SandboxSocialInsuranceBureau",
        "http": "fund.integrations.social_insurance.HttpSocialInsuranceBureau",
    },
    "credit": {
        "sandbox": "fund.integrations.credit.SandboxCreditBureau",
        "http": "fund.integrations.credit.HttpCreditBureau",
    },
    "bank": {
        "sandbox": "fund.integrations.bank.SandboxBank",
        "http": "fund.integrations.bank.HttpBank",
    },
    "sms": {
        "sandbox": "fund.integrations.sms.SandboxSmsGateway",
        "http": "fund.integrations.sms.HttpSmsGateway",
    },
    "transfer": {
        "sandbox": "fund.integrations.transfer.SandboxTransferPlatform",
        "http": "fund.integrations.transfer.HttpTransferPlatform",
    },
}


def backend_for(system: str) -> str:
    """"sandbox" or "http" for this system, from the settings."""
    if system not in IMPLEMENTATIONS:
        raise ImproperlyConfigured(f"未知的外部系统：{system}")
    overrides: dict[str, str] = getattr(settings, "FUND_INTEGRATIONS_OVERRIDES", {}) or {}
    backend = overrides.get(system) or getattr(settings, "FUND_INTEGRATIONS", "sandbox") or "sandbox"
    if backend not in BACKENDS:
        raise ImproperlyConfigured(f"外部系统 {system} 的实现应为 sandbox 或 http，而不是 {backend!r}")
    return backend


def configuration_problems(*, backend: str, overrides: Mapping[str, str], http_base: str) -> list[str]:
    """What in these settings would make outside calls fail (empty when nothing): an unknown implementation or
    system, or a system on "http" without a gateway address to post to. Pure, so the settings module can ask
    it before Django is set up."""
    problems = []
    chosen = {"FUND_INTEGRATIONS": backend or "sandbox"}
    for system, value in overrides.items():
        if system not in IMPLEMENTATIONS:
            problems.append(f"FUND_INTEGRATIONS_OVERRIDES 中的外部系统 {system!r} 不存在，可选：{'、'.join(IMPLEMENTATIONS)}")
        chosen[f"FUND_INTEGRATIONS_OVERRIDES[{system!r}]"] = value or backend or "sandbox"
    problems += [f"{name} 应为 sandbox 或 http，而不是 {value!r}" for name, value in chosen.items() if value not in BACKENDS]
    on_http = [s for s in IMPLEMENTATIONS if (overrides.get(s) or backend or "sandbox") == "http"]
    if on_http:
        if not _is_http_url(http_base):
            which = "FUND_INTEGRATIONS=http" if len(on_http) == len(IMPLEMENTATIONS) else f"外部系统 {'、'.join(on_http)} 使用 http 实现"
            problems.append(
                f"{which}，但 FUND_INTEGRATIONS_HTTP_BASE "
                f"{'未配置' if not http_base else f'不是 http(s) 地址（{http_base!r}）'}：每次外部调用都会失败"
            )
    return problems


def _is_http_url(url: str) -> bool:
    try:
        parts = urlsplit(url or "")
        return parts.scheme in ("http", "https") and bool(parts.hostname) and parts.port != 0  # .port checks it
    except ValueError:  # a malformed host or port
        return False


def get_client(system: str) -> Integration:
    """A client for the named system, in the implementation the settings choose."""
    backend = backend_for(system)
    cls: Any = import_string(IMPLEMENTATIONS[system][backend])
    return cls()


def identity_registry() -> IdentityRegistry:
    return cast("IdentityRegistry", get_client("identity"))


def marriage_registry() -> MarriageRegistry:
    return cast("MarriageRegistry", get_client("marriage"))


def property_registry() -> PropertyRegistry:
    return cast("PropertyRegistry", get_client("property"))


def tax_bureau() -> TaxBureau:
    return cast("TaxBureau", get_client("tax"))


def social_insurance_bureau() -> SocialInsuranceBureau:
    return cast("SocialInsuranceBureau", get_client("social_insurance"))


def credit_bureau() -> CreditBureau:
    return cast("CreditBureau", get_client("credit"))


def entrusted_bank() -> Bank:
    return cast("Bank", get_client("bank"))


def sms_gateway() -> SmsGateway:
    return cast("SmsGateway", get_client("sms"))


def transfer_platform() -> TransferPlatform:
    return cast("TransferPlatform", get_client("transfer"))
