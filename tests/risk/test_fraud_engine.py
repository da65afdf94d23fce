"""The fraud checks and the screening engine together: a fraud check registered in the registry gets its default
rule, the engine stores its finding as a hit in the audit queue once, and the dashboard counts it among fraud hits.
(The checks' own hit / near-miss tests call them directly: tests/risk/test_fraud_*.py; the engine's own tests use
the audit checks: tests/risk/test_screening_*.py.)"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from risk.models import ScreeningHit, ScreeningRule
from risk.selectors.hits import queue_summary
from risk.services.screening import subject_screen
from tests.clock import today
from withdrawals.models import Withdrawal

pytestmark = pytest.mark.django_db


def hardship(world: Any, account: Any, number: str, record: str, *, state: str) -> Withdrawal:
    return Withdrawal.objects.create(
        number=number, account=account, branch=world.branch_a, reason="09", reason_code="09", channel="window",
        payee_name=account.person.name, payee_card="6217000010000000018", state=state,
        details={"expenses": "30000.00",
                 "medical": {"hospital": "示范市第一人民医院", "record_number": record, "diagnosis": "急性髓系白血病"}},
        decided_at=timezone.now() - timedelta(days=3) if state != "submitted" else None, submitted_by=world.clerk)


def test_a_fraud_check_fires_through_its_default_rule_once_and_counts_on_the_dashboard(world, screening_rules):
    rule = ScreeningRule.objects.get(check_code="fraud.medical_record")
    assert rule.enabled and rule.category == "fraud" and rule.level == "4"  # 底线红线: its payout would be held
    hardship(world, world.account_a, "TQT90000001", "ZY-0001", state="paid")
    second = hardship(world, world.account_b, "TQT90000002", "ZY-0001", state="review")
    near_miss = hardship(world, world.account_b, "TQT90000003", "ZY-0002", state="rejected")

    subject_screen(second)
    subject_screen(second)  # screening again finds the same hit, not a new one
    subject_screen(near_miss)

    [hit] = ScreeningHit.objects.filter(rule=rule)
    assert hit.subject_id == second.pk and hit.key == "TQT90000001" and hit.state == "open"
    assert hit.evidence["matched_on"] == ["病案号"]
    summary = queue_summary(world.director, on=today())
    assert summary["fraud_open"] == 1
