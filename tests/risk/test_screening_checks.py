"""The electronic audit's checks, each with a hit and a near miss, and the engine's rules-as-data: a rule
switched off or not yet in force does not fire, a centre's own rule over a check fires at its own level, and
screening again never stores a finding twice."""

from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from fund.audit.services import audit_log
from fund.policy.models import PolicyValue
from risk.models import ScreeningHit, ScreeningRecord, ScreeningRule
from risk.screening import audit_checks
from risk.screening.registry import Level
from risk.services.screening import rule_add, rule_switch, screening_sweep, subject_screen

pytestmark = pytest.mark.django_db


def policy_row(actor: Any, *, days: int, name: str = "payment_attempts_max") -> PolicyValue:
    return PolicyValue.objects.create(name=name, number=Decimal("5"), effective_from=timezone.localdate() + timedelta(days=days),
                                      note="测试", created_by=actor)


def keys(subject: Any) -> set[str]:
    return {hit.key for hit in ScreeningHit.objects.filter(subject_id=subject.pk, rule__check_code="audit.policy_change")}


def test_a_backdated_policy_value_set_by_a_clerk_is_two_hits_and_a_directors_future_one_none(
        world: Any, screening_rules: None) -> None:
    bad = policy_row(world.clerk, days=-3)
    good = policy_row(world.director, days=1, name="payment_retry_minutes")
    subject_screen(bad)
    subject_screen(good)
    assert keys(bad) == {"backdated", "not_director"}
    assert keys(good) == set()
    hit = ScreeningHit.objects.get(subject_id=bad.pk, key="backdated")
    assert hit.level == Level.SUBMIT and hit.evidence["name"] == "payment_attempts_max"


def test_screening_again_stores_no_duplicate_and_notes_the_screening(world: Any, screening_rules: None) -> None:
    bad = policy_row(world.clerk, days=-3)
    subject_screen(bad)
    subject_screen(bad)
    assert ScreeningHit.objects.filter(subject_id=bad.pk, rule__check_code="audit.policy_change").count() == 2
    assert ScreeningRecord.objects.filter(subject_id=bad.pk).count() == 1


def test_a_rule_switched_off_does_not_fire(world: Any, screening_rules: None) -> None:
    rule = ScreeningRule.objects.get(code="audit.policy_change")
    rule_switch(actor=world.auditor, rule=rule, on=False, from_date=timezone.localdate())
    subject_screen(policy_row(world.clerk, days=-3))
    assert not ScreeningHit.objects.exists()


def test_a_rule_not_yet_in_force_does_not_fire_and_fires_from_its_date(world: Any, screening_rules: None) -> None:
    today = timezone.localdate()
    rule = ScreeningRule.objects.get(code="audit.policy_change")
    rule_switch(actor=world.auditor, rule=rule, on=True, from_date=today + timedelta(days=2))
    bad = policy_row(world.clerk, days=-3)
    subject_screen(bad)
    assert not ScreeningHit.objects.exists()
    subject_screen(bad, on=today + timedelta(days=2))
    assert keys(bad) == {"backdated", "not_director"}


def test_a_centres_own_rule_over_a_check_fires_at_its_level_with_its_params(world: Any, screening_rules: None) -> None:
    rule = rule_add(actor=world.auditor, check="audit.card_change_unverified", code="city.card_change_5min",
                    label="银行卡变更五分钟内无核验", level=Level.REDLINE, params={"minutes": "5"},
                    effective_from=timezone.localdate())
    account = world.account_a
    audit_log(actor=world.clerk, action="deposits.member.changed", target=account, new={"bank_card": "****1234"})
    subject_screen(account)
    hits = ScreeningHit.objects.filter(rule=rule)
    assert [(h.level, h.evidence["changed_by"]) for h in hits] == [(Level.REDLINE, "clerk")]
    assert hits[0].branch_id == world.branch_a.pk and hits[0].id_number == account.person.id_number


def test_it_refuses_a_rule_from_anyone_but_audit_staff_or_with_unknown_params(world: Any, screening_rules: None) -> None:
    with pytest.raises(PermissionDenied):
        rule_add(actor=world.clerk, check="audit.correction_large", code="x", label="x", level="1",
                 effective_from=timezone.localdate())
    with pytest.raises(ValidationError) as err:
        rule_add(actor=world.auditor, check="audit.correction_large", code="x.y", label="大额", level="1",
                 params={"amont": "1"}, effective_from=timezone.localdate())
    assert "amont" in str(err.value.message_dict["params"])


def test_a_card_change_with_the_banks_check_just_before_is_not_a_hit(world: Any, screening_rules: None) -> None:
    from fund.integrations.models import IntegrationCall

    account = world.account_a
    IntegrationCall.objects.create(system="bank", operation="verify_account", backend="sandbox",
                                   reference=account.bank_card, request={}, response={"valid": True}, ok=True,
                                   latency_ms=1.0)
    audit_log(actor=world.clerk, action="deposits.member.changed", target=account, new={"bank_card": "****"})
    subject_screen(account)
    assert not ScreeningHit.objects.exists()
    audit_log(actor=world.clerk, action="deposits.member.changed", target=account, new={"phone": "138****"})
    subject_screen(account)  # a phone change is not a card change
    assert not ScreeningHit.objects.exists()


def test_the_nightly_sweep_screens_the_days_subjects_once(world: Any, screening_rules: None) -> None:
    bad = policy_row(world.clerk, days=-3)
    audit_log(actor=world.clerk, action="policy.value.scheduled", target=bad, new={"name": bad.name})
    today = timezone.localdate()
    assert screening_sweep(today)["hits"] == 2
    assert screening_sweep(today)["hits"] == 0
    assert screening_sweep(today - timedelta(days=1))["subjects"] == 0


# ---- the pure checks, each with a hit and a near miss ------------------------------------------------------------

def test_a_payout_to_a_card_in_another_name_is_a_hit_and_to_the_named_heir_is_not() -> None:
    w = SimpleNamespace(account=SimpleNamespace(person=SimpleNamespace(name="张三")), other_name="李四",
                        payee_name="王五", payee_card="6217000000000000011", relation="self")
    assert [f.key for f in audit_checks.withdrawal_payee_other(w, {})] == ["payee:王五"]
    w.payee_name = "李四"
    assert list(audit_checks.withdrawal_payee_other(w, {})) == []


def test_a_loan_approved_above_its_quota_is_a_hit_and_at_the_quota_is_not() -> None:
    app = SimpleNamespace(approved_amount=Decimal("400000.01"), quota=Decimal("400000.00"), quota_detail={})
    assert [f.key for f in audit_checks.loan_over_quota(app, {})] == ["quota"]
    app.approved_amount = Decimal("400000.00")
    assert list(audit_checks.loan_over_quota(app, {})) == []


def test_a_correction_above_the_rules_amount_is_a_hit_and_at_it_is_not() -> None:
    c = SimpleNamespace(amount=Decimal("50000.01"), bill_id=1, unit="单位", reason="多缴")
    assert [f.key for f in audit_checks.correction_large(c, {"amount": "50000"})] == ["amount"]
    c.amount = Decimal("50000.00")
    assert list(audit_checks.correction_large(c, {"amount": "50000"})) == []
