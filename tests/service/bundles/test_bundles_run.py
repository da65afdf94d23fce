"""一件事: each bundle's success path, and a bundle whose second part refuses writes nothing anywhere."""

from datetime import date
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from fund.bundles.registry import (
    Bundle,
    BundleField,
    BundlePart,
    register_bundle,
    register_bundle_part,
    unregister_bundle,
    unregister_bundle_part,
)
from fund.bundles.services import bundle_run
from fund.demo import make_id_number
from tests.service.bundles.conftest import identity

pytestmark = pytest.mark.django_db

NEW_ID = make_id_number(birth=date(1998, 5, 4), seq=71)


def _new_employee(**overrides: Any) -> dict[str, Any]:
    identity(NEW_ID, "新职工甲")
    return {"id_number": NEW_ID, "name": "新职工甲", "base": "6000", "phone": "13800009999", **overrides}


def _counts() -> dict[str, int]:
    """Rows of every table but the outside-call log (the checks ask outside systems before the transaction)."""
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()
            if m._meta.managed and not m._meta.proxy and m._meta.label != "integrations.IntegrationCall"}


def test_it_opens_a_new_employee_account_with_first_month_and_text_in_one_application(bw: Any, django_capture_on_commit_callbacks: Any, monkeypatch: Any) -> None:
    from deposits.models import MemberAccount
    from fund.people import tasks
    from fund.tracking.models import Application

    texts: list[dict[str, str]] = []
    monkeypatch.setattr(tasks.send_sms, "delay", lambda **kw: texts.append(kw))
    with django_capture_on_commit_callbacks(execute=True):
        run = bundle_run(actor=bw.unit_a_op, code="YJS-01", inputs=_new_employee())
    account = MemberAccount.objects.get(person__id_number=NEW_ID)
    assert account.unit == bw.unit_a
    assert [p.code for p in run.parts.all()] == ["deposits.member_open", "deposits.first_month", "deposits.welcome_sms"]
    first = run.parts.get(code="deposits.first_month").summary
    assert f"{account.first_month:%Y年%m月}" in first and "汇缴单" in first
    assert texts and texts[0]["phone"] == "13800009999" and account.number in texts[0]["text"]
    app = Application.objects.get(kind="bundles.run", source_number=run.number)
    assert (app.employer_id, app.outcome, app.channel) == (bw.unit_a.employer_id, "done", "online")


def test_it_writes_nothing_when_a_later_part_refuses(bw: Any, django_capture_on_commit_callbacks: Any) -> None:
    def refuse(ctx: Any) -> Any:
        raise ValidationError({"base": ["缴存基数超过本单位上限"]})

    register_bundle_part(BundlePart("test.refuse", "测试分项", "", run=refuse))
    register_bundle(Bundle(code="YJS-T1", name="测试一件事", summary="", portals=("unit",),
                           parts=("deposits.member_open", "test.refuse"), fields=(BundleField("name", "姓名"),)))
    inputs = _new_employee()
    try:
        before = _counts()
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            with pytest.raises(ValidationError) as refused:
                bundle_run(actor=bw.unit_a_op, code="YJS-T1", inputs=inputs)
        assert _counts() == before
        assert callbacks == []
        assert refused.value.message_dict == {"base": ["测试分项：缴存基数超过本单位上限"]}
    finally:
        unregister_bundle("YJS-T1")
        unregister_bundle_part("test.refuse")


def test_it_refuses_a_new_employee_whose_name_is_not_the_registered_one(bw: Any) -> None:
    inputs = _new_employee(name="别人")
    before = _counts()
    with pytest.raises(ValidationError) as refused:
        bundle_run(actor=bw.unit_a_op, code="YJS-01", inputs=inputs)
    assert refused.value.message_dict["name"] == ["职工个人账户设立：公安身份核验未通过：姓名与身份证号码不一致"]
    assert _counts() == before


def test_it_runs_retirement_withdrawal_closing_and_certificate_together(bw: Any, django_capture_on_commit_callbacks: Any) -> None:
    from deposits.models import AccountEvent
    from fund.printing.models import Document
    from withdrawals.models import Withdrawal

    with django_capture_on_commit_callbacks(execute=False):
        run = bundle_run(actor=bw.member_a, code="YJS-02", inputs={}, client_token="t-1")
    withdrawal = Withdrawal.objects.get(account=bw.account_a)
    assert (withdrawal.reason, withdrawal.closes_account, withdrawal.channel) == ("03", True, "online")
    assert AccountEvent.objects.filter(account=bw.account_a, summary__contains=withdrawal.number).exists()
    document = Document.objects.get(kind="deposits.deposit_certificate", subject=bw.account_a.person)
    parts = {p.code: p for p in run.parts.all()}
    assert parts["withdrawals.retirement"].subject_id == withdrawal.pk
    assert parts["deposits.certificate"].subject_id == document.pk
    assert run.person_id == bw.account_a.person_id and run.identity_call_ids
    # The same form again gives the first run back, nothing twice.
    again = bundle_run(actor=bw.member_a, code="YJS-02", inputs={}, client_token="t-1")
    assert again.pk == run.pk and Withdrawal.objects.filter(account=bw.account_a).count() == 1


def test_it_refuses_retirement_for_another_members_account_at_the_window_of_another_branch(bw: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        bundle_run(actor=bw.clerk_b, code="YJS-02", inputs={"account_number": bw.account_a.number})
    assert "account_number" in refused.value.message_dict
