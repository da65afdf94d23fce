"""What a withdrawal leaves behind outside its own rows: the receipt (提取凭证) that the public verify page
vouches for, the payout SMS, the reasons' items in the public guide, and the standing-instruction run in the
beat schedule. Tasks run on commit, eagerly."""

import subprocess
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from fund.integrations.models import IntegrationCall, SandboxBankAccount, SandboxSms
from fund.printing.codes import ALPHABET, format_code
from fund.printing.models import Document, DocumentStatus
from fund.printing.services import mask_name
from tests.clients import page as login
from tests.withdrawals.conftest import submit_decided
from withdrawals.models import Withdrawal, WithdrawalState
from withdrawals.pdf import RECEIPT

pytestmark = pytest.mark.django_db


def rent_paid(wd: Any, capture: Any, amount: str = "1500.00") -> Withdrawal:
    w = submit_decided(capture, actor=wd.world.member_a, account=wd.account, reason="07", amount=amount)
    assert w.state == WithdrawalState.PAID, w.decision_note
    return w


def pdf_text(data: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


def another_code(code: str) -> str:
    """A well-formed code that differs from `code` in its last character."""
    return code[:-1] + next(c for c in ALPHABET if c != code[-1])


# ---- the receipt and the public verify page ----------------------------------------------------------------

@pytest.fixture
def media_root(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_the_receipt_printed_from_the_members_page_verifies_publicly(
    wd, django_capture_on_commit_callbacks, media_root
):
    w = rent_paid(wd, django_capture_on_commit_callbacks)
    member = login(wd.world.member_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = member.post(reverse("member:withdrawal_receipt", args=[w.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("member:withdrawal", args=[w.pk])
    document = Document.objects.get(kind=RECEIPT, context__number=w.number)
    assert document.status == DocumentStatus.READY, document.error
    assert document.subject_id == wd.person.pk and document.context["amount"] == "1,500.00"

    # The member's page lists it with its code and a download link; the PDF carries the number and the code.
    detail = member.get(reverse("member:withdrawal", args=[w.pk])).content.decode()
    assert document.code_display in detail
    download = reverse("document_download", args=[document.pk])
    assert download in detail
    text = pdf_text(b"".join(member.get(download).streaming_content))
    assert w.number in text and "1,500.00" in text and format_code(document.verification_code) in text
    assert "人民币壹仟伍佰元整" in "".join(text.split())  # the amount in capitals, as every receipt carries
    assert wd.person.id_number not in text  # masked on paper too

    public = Client()
    page = public.get(reverse("verify:detail", args=[document.verification_code]))
    assert page.status_code == 200
    shown = page.content.decode()
    assert "验证通过" in shown and "住房公积金提取凭证" in shown and document.sha256 in shown
    assert mask_name(wd.person.name) in shown and document.subject_label in shown
    assert wd.person.name not in shown and wd.person.id_number not in shown  # only masked
    typed = public.get(reverse("verify:form"), {"code": format_code(document.verification_code).lower()})
    assert typed.status_code == 302 and typed["Location"] == reverse("verify:detail", args=[document.verification_code])


def test_a_wrong_code_does_not_verify_the_receipt(wd, django_capture_on_commit_callbacks, media_root):
    w = rent_paid(wd, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        login(wd.world.member_a).post(reverse("member:withdrawal_receipt", args=[w.pk]))
    document = Document.objects.get(kind=RECEIPT, context__number=w.number)
    assert document.status == DocumentStatus.READY
    public = Client()
    for code in (another_code(document.verification_code), "NOT-A-CODE"):
        page = public.get(reverse("verify:detail", args=[code]))
        assert page.status_code == 404, code
        shown = page.content.decode()
        assert "验证通过" not in shown and document.subject_label not in shown and document.sha256 not in shown


def test_no_receipt_before_the_money_is_paid(wd, django_capture_on_commit_callbacks, media_root):
    SandboxBankAccount.objects.filter(pk=wd.bank_account.pk).update(hold_payouts=True)
    w = submit_decided(django_capture_on_commit_callbacks, actor=wd.world.member_a, account=wd.account, reason="07",
                       amount="1500.00")
    assert w.state == WithdrawalState.APPROVED
    with django_capture_on_commit_callbacks(execute=True):
        login(wd.world.member_a).post(reverse("member:withdrawal_receipt", args=[w.pk]))
    assert not Document.objects.filter(kind=RECEIPT, context__number=w.number).exists()


# ---- the payout SMS ----------------------------------------------------------------------------------------

def texts_to(phone: str) -> list[str]:
    return list(SandboxSms.objects.filter(phone=phone).order_by("id").values_list("text", flat=True))


def test_a_paid_withdrawal_texts_the_member_the_amount(wd, django_capture_on_commit_callbacks):
    phone = wd.person.phone
    assert phone
    w = rent_paid(wd, django_capture_on_commit_callbacks, amount="1234.56")
    texts, invitation = [t for t in texts_to(phone) if "评价" not in t], [t for t in texts_to(phone) if "评价" in t]
    assert len(texts) == 1 and len(invitation) == 1  # the payout, and the 好差评 invitation of a finished application
    assert w.number in texts[0] and "1,234.56" in texts[0] and "已转入" in texts[0] and wd.card[-4:] in texts[0]
    calls = IntegrationCall.objects.filter(system="sms", operation="send", reference=phone)
    assert calls.count() == 2 and all(call.ok and "1,234.56" not in str(call.request) for call in calls)  # no text kept


def test_a_failed_payout_texts_the_failure(wd, django_capture_on_commit_callbacks):
    SandboxBankAccount.objects.filter(pk=wd.bank_account.pk).update(fail_payouts=True)
    before = wd.balance
    w = submit_decided(django_capture_on_commit_callbacks, actor=wd.world.member_a, account=wd.account, reason="07",
                       amount="1500.00")
    assert w.state == WithdrawalState.PAYOUT_FAILED and wd.balance == before
    texts = texts_to(wd.person.phone)
    assert len(texts) == 1
    assert w.number in texts[0] and "付款失败" in texts[0] and "已退回公积金账户" in texts[0]
    assert "系统将自动重试" in texts[0] and "已转入" not in texts[0]
    assert IntegrationCall.objects.filter(system="sms", operation="send", reference=wd.person.phone, ok=True).count() == 1


# ---- the public guide ----------------------------------------------------------------------------------------

def test_every_reasons_item_is_in_the_public_guide(client, db):
    from withdrawals.reasons import REASONS

    page = client.get("/guide/")
    assert page.status_code == 200
    shown = page.content.decode()
    for key, reason in REASONS.items():
        item = reason.item
        assert item.name in shown, key
        assert reverse("guide:item", args=[item.code]) in shown, key
        own = client.get(reverse("guide:item", args=[item.code]))
        assert own.status_code == 200 and item.name in own.content.decode(), key
    assert len({r.item.code for r in REASONS.values()}) == len(REASONS)  # one item per reason


# ---- the standing-instruction run in the beat schedule -------------------------------------------------------

def runs_at_least_daily(schedule: Any) -> bool:
    from datetime import timedelta

    from celery.schedules import crontab

    if isinstance(schedule, int | float | Decimal):
        return 0 < schedule <= 86400
    if isinstance(schedule, timedelta):
        return timedelta(0) < schedule <= timedelta(days=1)
    if isinstance(schedule, crontab):
        return (len(schedule.day_of_week) == 7 and len(schedule.day_of_month) == 31
                and len(schedule.month_of_year) == 12 and bool(schedule.hour) and bool(schedule.minute))
    return False


def test_the_standing_run_is_in_the_beat_schedule_at_least_daily(settings):
    from fund.celery import app
    from withdrawals.tasks import standing_run_task

    assert standing_run_task.name == "withdrawals.standing_run"
    entries = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == standing_run_task.name]
    assert len(entries) == 1
    assert runs_at_least_daily(entries[0]["schedule"]), entries[0]["schedule"]
    assert any(e["task"] == standing_run_task.name for e in app.conf.beat_schedule.values())  # what beat reads


def test_the_daily_check_tells_daily_from_weekly():
    from celery.schedules import crontab

    assert runs_at_least_daily(crontab(minute=0, hour=7)) and runs_at_least_daily(3600.0)
    assert not runs_at_least_daily(crontab(minute=0, hour=7, day_of_week="mon"))
    assert not runs_at_least_daily(crontab(minute=0, hour=7, day_of_month="1"))
    assert not runs_at_least_daily(86400.0 * 2)


def test_an_application_sent_to_people_texts_the_member_when_it_will_be_done(wd, django_capture_on_commit_callbacks):
    wd.home(wd.person.id_number, "鲁(2026)示范市不动产权第0000991号")  # a home: rent goes to people
    w = submit_decided(django_capture_on_commit_callbacks, actor=wd.world.member_a, account=wd.account, reason="07",
                       amount="100.00")
    assert w.state == WithdrawalState.REVIEW
    texts = texts_to(wd.person.phone)
    assert len(texts) == 1
    assert w.number in texts[0] and "人工审核" in texts[0] and f"{w.due_on:%Y年%m月%d日}" in texts[0]
