"""短信网关: send a text message to a mobile phone."""

from __future__ import annotations

import re
import uuid
from abc import abstractmethod
from dataclasses import dataclass

from .base import Integration, Rejected, Result, operation
from .http import HttpClient
from .models import SandboxSms

MAX_LENGTH = 500
_MOBILE = re.compile(r"^1\d{10}$")


@dataclass(frozen=True, kw_only=True)
class SmsReceipt(Result):
    message_id: str


class SmsGateway(Integration):
    system = "sms"

    @operation(reference="phone", redact=("text",))
    @abstractmethod
    def send(self, *, phone: str, text: str) -> SmsReceipt:
        """Queue the message at the gateway; the receipt's id identifies it there.

        The text is not written to the call log: it may carry a one-time code.
        """


def _check(phone: str, text: str) -> None:
    if not _MOBILE.match(phone):
        raise Rejected("手机号码格式不正确")
    if not text.strip():
        raise Rejected("短信内容不能为空")
    if len(text) > MAX_LENGTH:
        raise Rejected(f"短信内容不能超过{MAX_LENGTH}字")


class SandboxSmsGateway(SmsGateway):
    backend = "sandbox"

    def send(self, *, phone: str, text: str) -> SmsReceipt:
        _check(phone, text)
        row = SandboxSms.objects.create(message_id=uuid.uuid4().hex[:24], phone=phone, text=text)
        return SmsReceipt(message_id=row.message_id)


class HttpSmsGateway(HttpClient, SmsGateway):
    def send(self, *, phone: str, text: str) -> SmsReceipt:
        _check(phone, text)
        return self._post("send", SmsReceipt, phone=phone, text=text)


def sandbox_last_message(phone: str) -> str | None:
    """The last text the sandbox gateway 'sent' to this phone — for tests and the demo, never for business."""
    return SandboxSms.objects.filter(phone=phone).order_by("-sent_at", "-id").values_list("text", flat=True).first()
