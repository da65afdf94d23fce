"""Changing policy: only a centre-wide director, only from tomorrow, only valid values, always audited."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone

from fund.audit.models import AuditEvent
from fund.policy.models import PolicyValue
from fund.policy.selectors import PolicyUnknown, policy_value
from fund.policy.services import policy_value_set, policy_value_withdraw

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, int]:
    return PolicyValue.objects.count(), AuditEvent.objects.filter(action__startswith="policy.").count()


def _schedule(actor: Any, **overrides: Any) -> PolicyValue:
    arguments = {
        "name": "loan_cap_single", "value": "700000", "effective_from": timezone.localdate() + timedelta(days=5),
        "note": "示市公积金委〔2026〕3号", "actor": actor,
    }
    arguments.update(overrides)
    return policy_value_set(**arguments)


def test_it_schedules_a_value_and_writes_an_audit_row(director: Any, tomorrow: date) -> None:
    row = _schedule(director, effective_from=tomorrow)

    assert row.created_by == director and row.number == 700000 and row.effective_from == tomorrow
    event = AuditEvent.objects.get(action="policy.value.scheduled")
    assert event.actor == director
    assert event.target_type == "policy.policyvalue" and event.target_id == str(row.pk)
    assert event.old == {"value": "600,000.00 元", "effective_from": "2015-01-01"}
    assert event.new["value"] == "700,000.00 元" and event.new["effective_from"] == tomorrow.isoformat()
    assert event.reason == "示市公积金委〔2026〕3号"


def test_percent_values_are_stored_as_fractions(director: Any, tomorrow: date) -> None:
    _schedule(director, name="loan_rate_first_over5", value="0.0255", effective_from=tomorrow)
    assert str(policy_value("loan_rate_first_over5", tomorrow)) == "0.02550"


@pytest.mark.parametrize("days", [0, -1, -400])
def test_it_refuses_today_and_past_dates(director: Any, today: date, days: int) -> None:
    before = _counts()
    with pytest.raises(ValidationError) as caught:
        _schedule(director, effective_from=today + timedelta(days=days))
    assert "生效日期不能早于" in caught.value.message_dict["effective_from"][0]
    assert _counts() == before


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("loan_cap_single", "6000000", "贷款最高额度（单人）须在 10,000.00 元 至 5,000,000.00 元 之间"),
        ("loan_cap_single", "-5", "贷款最高额度（单人）须在"),
        ("loan_cap_single", "1e30", "贷款最高额度（单人）须在"),
        ("deposit_unit_ratio_max", "0.15", "单位缴存比例上限须在 5.00% 至 12.00% 之间"),
        ("deposit_unit_ratio_max", "12", "单位缴存比例上限须在"),
        ("loan_cap_single", "六十万", "贷款最高额度（单人）的数值格式不正确"),
        ("loan_max_term_years", "25.5", "贷款最长年限必须是整数"),
        ("deposit_rounding_mode", "ceiling", "月缴存额舍入方式只能取以下值之一"),
        ("loan_cap_single", "900000", "不能高于同日生效的贷款最高额度（有共同借款人）"),
        ("deposit_member_ratio_max", "0.04", "个人缴存比例上限须在"),
        ("deposit_member_ratio_min", "0.12", None),
    ],
)
def test_it_refuses_bad_values_with_field_messages(director: Any, name: str, value: str, message: str | None) -> None:
    before = _counts()
    if message is None:  # a legal edge: the lower bound may equal the upper bound
        _schedule(director, name=name, value=value)
        return
    with pytest.raises(ValidationError) as caught:
        _schedule(director, name=name, value=value)
    assert message in " ".join(caught.value.message_dict["value"])
    assert _counts() == before


def test_a_lower_bound_may_not_pass_its_upper_bound(director: Any, tomorrow: date) -> None:
    _schedule(director, name="deposit_unit_ratio_max", value="0.10", effective_from=tomorrow)
    with pytest.raises(ValidationError) as caught:
        _schedule(director, name="deposit_unit_ratio_min", value="0.11", effective_from=tomorrow + timedelta(days=1))
    assert "不能高于同日生效的单位缴存比例上限（10.00%）" in caught.value.message_dict["value"][0]


def test_it_collects_every_field_error_at_once(director: Any, today: date) -> None:
    with pytest.raises(ValidationError) as caught:
        _schedule(director, value="x", effective_from=today, note="  ")
    assert set(caught.value.message_dict) == {"value", "effective_from", "note"}
    assert caught.value.message_dict["note"] == ["请填写调整依据（政策文件文号或原因）"]


def test_it_refuses_a_second_live_value_for_the_same_date(director: Any, tomorrow: date) -> None:
    _schedule(director, effective_from=tomorrow)
    with pytest.raises(ValidationError) as caught:
        _schedule(director, value="650000", effective_from=tomorrow)
    assert "请先撤回" in caught.value.message_dict["effective_from"][0]


def test_it_refuses_unknown_names(director: Any) -> None:
    with pytest.raises(PolicyUnknown):
        _schedule(director, name="loan_cap_everyone")


@pytest.mark.parametrize("who", ["clerk", "branch_director", "member"])
def test_it_refuses_anyone_but_a_centre_wide_director(request: pytest.FixtureRequest, who: str) -> None:
    user = request.getfixturevalue(who)
    before = _counts()
    with pytest.raises(PermissionDenied):
        _schedule(user)
    assert _counts() == before


def test_an_inactive_director_is_refused(director: Any) -> None:
    director.is_active = False
    director.save(update_fields=["is_active"])
    with pytest.raises(PermissionDenied):
        _schedule(director)


def test_withdraw_marks_the_row_and_audits(director: Any) -> None:
    row = _schedule(director)
    withdrawn = policy_value_withdraw(value_id=row.pk, reason="文号有误", actor=director, name="loan_cap_single")
    assert withdrawn.withdrawn_at is not None and withdrawn.withdrawn_by == director
    event = AuditEvent.objects.get(action="policy.value.withdrawn")
    assert event.reason == "文号有误" and event.target_id == str(row.pk)

    with pytest.raises(ValidationError, match="已撤回"):
        policy_value_withdraw(value_id=row.pk, reason="再次", actor=director)


def test_withdraw_refuses_a_value_already_in_force(director: Any) -> None:
    in_force = PolicyValue.objects.get(name="loan_rate_first_upto5", effective_from=date(2025, 5, 8))
    with pytest.raises(ValidationError, match="已经生效"):
        policy_value_withdraw(value_id=in_force.pk, reason="试图撤回", actor=director)
    assert policy_value("loan_rate_first_upto5") == in_force.number


def test_withdraw_refuses_others_and_needs_a_reason(director: Any, clerk: Any) -> None:
    row = _schedule(director)
    with pytest.raises(PermissionDenied):
        policy_value_withdraw(value_id=row.pk, reason="x", actor=clerk)
    with pytest.raises(ValidationError) as caught:
        policy_value_withdraw(value_id=row.pk, reason=" ", actor=director)
    assert caught.value.message_dict == {"reason": ["请填写撤回原因"]}
    with pytest.raises(PolicyValue.DoesNotExist):
        policy_value_withdraw(value_id=row.pk, reason="x", actor=director, name="loan_cap_joint")


def test_the_database_refuses_edits_and_deletes() -> None:
    row = PolicyValue.objects.filter(name="loan_cap_single").first()
    assert row is not None
    with pytest.raises(DatabaseError), transaction.atomic():
        PolicyValue.objects.filter(pk=row.pk).update(number=1)
    with pytest.raises(DatabaseError), transaction.atomic():
        PolicyValue.objects.filter(pk=row.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        PolicyValue.objects.filter(pk=row.pk).update(withdrawn_at="2020-01-01T00:00:00Z", note="x")
