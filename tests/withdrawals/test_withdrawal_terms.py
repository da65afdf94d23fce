"""Forms that say their rules: each withdrawal form states, before submission, the limits that apply to this
person, derived from the reason's rules and today's policy (not text written into the page); and the window
hands the applicant an acceptance receipt (受理回执) with the number to follow the application by."""

import subprocess
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from fund.printing.models import Document, DocumentStatus
from tests.clients import page as login
from tests.withdrawals.conftest import MEDICAL, set_policy_today, submit_decided
from withdrawals.models import Withdrawal, WithdrawalState
from withdrawals.pdf import ACCEPTANCE, acceptance_request
from withdrawals.reasons import REASONS

pytestmark = pytest.mark.django_db


def terms_block(html: str) -> str:
    start = html.index("data-terms")
    return html[start:html.index("</div>", start)]


@pytest.mark.parametrize(("cap", "months", "expected"), [
    ("15000.00", "6", ["年度限额 15,000.00 元，本年已提取 0.00 元，本年还可提取 15,000.00 元", "须缴存满 6 个月，您已缴存 12 个月"]),
    ("24000.00", "18", ["年度限额 24,000.00 元", "须缴存满 18 个月，您已缴存 12 个月，还差 6 个月"]),
])
def test_the_rent_form_states_the_annual_limit_and_months_required_from_policy(wd: Any, cap: str, months: str,
                                                                               expected: list[str]) -> None:
    set_policy_today("withdrawal_rent_cap_per_year", cap)
    set_policy_today("withdrawal_rent_min_deposit_months", months)
    shown = terms_block(login(wd.world.member_a).get(reverse("member:withdrawal_apply", args=["07"])).content.decode())
    for sentence in expected:
        assert sentence in shown


def test_the_terms_count_what_this_person_already_took_this_year(wd: Any, django_capture_on_commit_callbacks: Any) -> None:
    set_policy_today("withdrawal_rent_cap_per_year", "15000.00")
    w = submit_decided(django_capture_on_commit_callbacks, actor=wd.world.member_a, account=wd.account, reason="07",
                       amount="1500.00")
    assert w.state == WithdrawalState.PAID, w.decision_note
    shown = terms_block(login(wd.world.member_a).get(reverse("member:withdrawal_apply", args=["07"])).content.decode())
    assert "本年已提取 1,500.00 元，本年还可提取 13,500.00 元" in shown


def test_the_window_form_shows_the_same_terms_for_the_applicant(wd: Any) -> None:
    set_policy_today("withdrawal_repeat_months", "12")
    page = login(wd.world.clerk).get(f"/staff/withdrawals/new/?account={wd.account.pk}&reason=07").content.decode()
    assert "适用于该职工的提取规定" in page and "须缴存满 3 个月" in terms_block(page)
    page = login(wd.world.clerk).get(f"/staff/withdrawals/new/?account={wd.account.pk}&reason=06").content.decode()
    assert "偿还贷款提取每 12 个月可办理一次" in terms_block(page)


def test_every_reason_states_a_term_for_each_rule_that_reads_policy(wd: Any) -> None:
    """Each rule that names a policy figure says it beforehand: the terms come from the rules themselves."""
    from django.utils import timezone

    for reason in REASONS.values():
        terms = reason.terms(wd.account, timezone.localdate())
        assert len(terms) == sum(1 for rule in reason.rules if rule.term is not None), reason.key
        assert all(t and "None" not in t for t in terms), (reason.key, terms)
    assert any("个月内申请" in t for t in REASONS["01"].terms(wd.account, timezone.localdate()))  # purchase window


def pdf_text(document: Document) -> str:
    with document.file.open("rb") as handle:
        data = handle.read()
    return "".join(subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode().split())


def test_the_window_hands_the_applicant_an_acceptance_receipt_with_the_number(
    wd: Any, django_capture_on_commit_callbacks: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    clerk = login(wd.world.clerk)
    url = f"/staff/withdrawals/new/?account={wd.account.pk}&reason=09"
    data = {"client_token": "w-accept", "expenses": "20000.00", "amount": "8000.00", **MEDICAL,
            "materials": ["diagnosis", "medical_bills"]}
    with django_capture_on_commit_callbacks(execute=True):
        done = clerk.post(url, data)
    w = Withdrawal.objects.get()
    assert done.status_code == 302
    document = Document.objects.get(kind=ACCEPTANCE, context__number=w.number)
    assert document.status == DocumentStatus.READY, document.error
    assert document.subject_id == wd.person.pk
    text = pdf_text(document)
    for expected in ("住房公积金提取业务受理回执", w.number, "8,000.00元", "人民币捌仟元整", "诊断证明", "医疗费用票据",
                     document.code_display):
        assert expected in text, expected
    assert wd.person.id_number not in text  # masked on paper
    detail = clerk.get(reverse("staff:withdrawal", args=[w.pk])).content.decode()
    assert 'data-documents="acceptance"' in detail and reverse("document_download", args=[document.pk]) in detail
    assert reverse("staff:withdrawal_acceptance", args=[w.pk]) in detail  # the window may print it again


def test_it_refuses_an_acceptance_receipt_for_an_online_application(wd: Any, django_capture_on_commit_callbacks: Any) -> None:
    w = submit_decided(django_capture_on_commit_callbacks, actor=wd.world.member_a, account=wd.account, reason="07",
                       amount="1000.00")
    with pytest.raises(ValidationError, match="综合窗口"):
        acceptance_request(withdrawal=w, requested_by=wd.world.clerk)
    detail = login(wd.world.clerk).get(reverse("staff:withdrawal", args=[w.pk])).content.decode()
    assert reverse("staff:withdrawal_acceptance", args=[w.pk]) not in detail  # not offered where it would fail
    assert not Document.objects.filter(kind=ACCEPTANCE).exists()


def test_only_the_window_prints_an_acceptance_receipt(wd: Any, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        login(wd.world.clerk).post(f"/staff/withdrawals/new/?account={wd.account.pk}&reason=09", {
            "client_token": "w-2", "expenses": "20000.00", **MEDICAL, "amount": "8000.00", "materials": ["diagnosis", "medical_bills"]})
    w = Withdrawal.objects.get()
    url = reverse("staff:withdrawal_acceptance", args=[w.pk])
    assert url not in login(wd.reviewer).get(reverse("staff:withdrawal", args=[w.pk])).content.decode()
    assert login(wd.reviewer).post(url).status_code == 403
    assert login(wd.world.clerk_b).post(url).status_code == 404


def test_the_frequency_sentence_names_the_policy_figure_in_force(wd: Any) -> None:
    set_policy_today("withdrawal_repeat_months", "6")
    member = login(wd.world.member_a)
    assert "提取频次：一次性提取每 6 个月一次" in member.get(reverse("member:withdrawal_apply", args=["06"])).content.decode()
    listing = member.get(reverse("member:withdrawals")).content.decode()
    assert "一次性提取每 6 个月一次" in listing and "{withdrawal_" not in listing
