"""Dormant accounts (呆滞账户): found set-based on the campaign's date (sealed for the policy's 2 years, no movement
but interest), texted once per account and campaign after the commit, outcomes recorded by staff or read from the
account by close step 160, and counted."""

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from deposits.models import MemberState
from fund.integrations.models import SandboxSms
from fund.ledger.models import BusinessType
from fund.workflow.models import StatusChange
from risk.models import DormantAccount, DormantOutcome
from risk.selectors.dormant import dormant_progress
from risk.services.dormant import (
    dormant_campaign_start,
    dormant_notices_send,
    dormant_outcome_record,
    dormant_step,
)
from tests.conftest import open_member
from tests.risk.dormant_world import START, post, sealed_long_ago

pytestmark = pytest.mark.django_db


def test_it_finds_a_dormant_account_and_texts_it_once(world: Any, officers: Any,
                                                        django_capture_on_commit_callbacks: Any) -> None:
    account = sealed_long_ago(world, world.account_a)
    post(account, BusinessType.GJ_INTEREST, date(2026, 6, 30))  # yearly interest is no sign of life
    phone = account.person.phone
    with django_capture_on_commit_callbacks(execute=True):
        campaign = dormant_campaign_start(actor=officers.risk, name="2027年呆滞账户清理", on=START)
    item = DormantAccount.objects.get(campaign=campaign)
    assert (item.account_id, item.unit_id, item.branch_id) == (account.pk, world.unit_a.pk, world.branch_a.pk)
    assert item.sealed_on == date(2025, 3, 10) and item.last_movement_on == date(2025, 3, 10)
    assert item.balance == account.sub_account.__class__.objects.get(pk=account.sub_account_id).balance
    assert item.notified_phone == phone and item.notified_at is not None
    texts = list(SandboxSms.objects.filter(phone=phone).values_list("text", flat=True))
    assert len(texts) == 1 and "长期封存" in texts[0] and world.branch_a.name in texts[0]
    # A second run, the same night or the next, sends nothing.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert dormant_notices_send(on=START, campaign=campaign) == {"notified": 0, "no_phone": 0}
        assert dormant_step(date(2027, 6, 2))["notified"] == 0
    assert callbacks == [] and SandboxSms.objects.filter(phone=phone).count() == 1


def test_it_leaves_out_an_account_moved_or_sealed_within_the_policy_years(world: Any, officers: Any) -> None:
    moved = sealed_long_ago(world, world.account_a)
    post(moved, BusinessType.GJ_TRANSFER_IN, date(2025, 6, 2))  # a day after the cutoff
    sealed_late = sealed_long_ago(world, world.account_b, on=date(2025, 6, 2))
    campaign = dormant_campaign_start(actor=officers.risk, name="清理", on=START)
    assert not DormantAccount.objects.filter(campaign=campaign).exists()
    assert sealed_late.state == MemberState.SEALED
    # The same two, a day later in the calendar, are dormant.
    later = dormant_campaign_start(actor=officers.risk, name="清理二", on=date(2027, 6, 2))
    assert set(DormantAccount.objects.filter(campaign=later).values_list("account_id", flat=True)) == {
        moved.pk, sealed_late.pk}


def test_it_lists_a_phoneless_account_without_texting_it(world: Any, officers: Any,
                                                         django_capture_on_commit_callbacks: Any) -> None:
    account = sealed_long_ago(world, open_member(world.clerk, world.unit_a, 31, phone=""))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        campaign = dormant_campaign_start(actor=officers.risk, name="清理", on=START)
    item = DormantAccount.objects.get(campaign=campaign, account=account)
    assert item.notified_at is None and callbacks == []
    assert dormant_progress(officers.risk, campaign)["no_phone"] == 1
    # Given a phone later, the person is told on the next night, once.
    account.person.phone = "13800009931"
    account.person.save(update_fields=["phone"])
    with django_capture_on_commit_callbacks(execute=True):
        assert dormant_step(date(2027, 6, 2))["notified"] == 1
    assert SandboxSms.objects.filter(phone="13800009931").count() == 1


def test_outcomes_are_recorded_detected_and_counted(world: Any, officers: Any) -> None:
    a = sealed_long_ago(world, world.account_a)
    b = sealed_long_ago(world, world.account_b)
    c = sealed_long_ago(world, open_member(world.clerk, world.unit_a, 32))
    campaign = dormant_campaign_start(actor=officers.risk, name="清理", on=START)
    items = {i.account_id: i for i in DormantAccount.objects.filter(campaign=campaign)}
    dormant_outcome_record(actor=world.clerk, item=items[a.pk], outcome=DormantOutcome.REACHED, note="电话联系本人，约定来办理")
    dormant_outcome_record(actor=world.clerk_b, item=items[b.pk], outcome=DormantOutcome.NOT_FOUND, note="原单位已破产")
    with pytest.raises(ValidationError) as refused:
        dormant_outcome_record(actor=world.clerk, item=items[c.pk], outcome=DormantOutcome.WITHDRAWN)
    assert "outcome" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        dormant_outcome_record(actor=world.auditor, item=items[c.pk], outcome=DormantOutcome.REACHED)
    # The person reached comes to withdraw and closes the account; the one not found turns up at a new unit.
    MemberAccountModel = type(a)
    MemberAccountModel.objects.filter(pk=a.pk).update(state=MemberState.WITHDRAWN)
    MemberAccountModel.objects.filter(pk=b.pk).update(state=MemberState.NORMAL)
    assert dormant_step(date(2027, 6, 10)) == {"withdrawn": 1, "transferred": 1, "stale": 0, "notified": 0,
                                               "no_phone": 0}
    assert dormant_step(date(2027, 6, 11))["withdrawn"] == 0  # once
    moved = DormantAccount.objects.get(campaign=campaign, account=a)
    assert (moved.outcome, moved.outcome_on, moved.outcome_by) == (DormantOutcome.WITHDRAWN, date(2027, 6, 10), None)
    assert StatusChange.objects.filter(subject_id=moved.pk, field="outcome").values_list("old", "new")[::1] == [
        (DormantOutcome.PENDING, DormantOutcome.REACHED), (DormantOutcome.REACHED, DormantOutcome.WITHDRAWN)]
    progress = dormant_progress(officers.risk, campaign)
    assert (progress["total"], progress["settled"], progress["contacted"]) == (3, 2, 2)
    assert progress["outcomes"] == {"pending": 1, "reached": 0, "not_found": 0, "withdrawn": 1, "transferred": 1}
    assert {r["branch"]: (r["total"], r["settled"]) for r in progress["by_branch"]} == {
        world.branch_a.name: (2, 1), world.branch_b.name: (1, 1)}
    # A branch's clerk counts only their branch's accounts.
    assert dormant_progress(world.clerk_b, campaign)["total"] == 1


def test_it_refuses_a_campaign_from_a_branch_officer(world: Any, officers: Any) -> None:
    with pytest.raises(PermissionDenied):
        dormant_campaign_start(actor=world.clerk, name="清理", on=START)
    with pytest.raises(ValidationError) as refused:
        dormant_campaign_start(actor=officers.risk, name="", on=START, ends_on=date(2027, 5, 1))
    assert set(refused.value.message_dict) == {"name", "ends_on"}
