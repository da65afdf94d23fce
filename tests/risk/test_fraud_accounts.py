"""The fraud checks on accounts and purchases, each with a hit and a near miss: one person with several
accounts, ratios outside the policy's bounds, bursts of small second-hand purchases."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from deposits.models import MemberAccount, MemberState, UnitAccount
from risk.screening.fraud_purchases import district_of
from risk.screening.registry import check_get
from tests.clock import today
from tests.risk.test_fraud_withdrawals import withdrawal

pytestmark = pytest.mark.django_db


def run(code: str, subject: Any) -> list[Any]:
    check = check_get(code)
    return list(check.screen(subject, check.params))


def swept(code: str) -> list[Any]:
    check = check_get(code)
    return list(check.sweep(today(), check.params))


def test_it_finds_one_person_with_several_accounts(world):
    from tests.conftest import open_member

    # An account of the person left in 其他 (a duplicate from before 一人一户) still holds their money.
    old = world.account_a
    MemberAccount.objects.filter(pk=old.pk).update(state=MemberState.OTHER)
    new = open_member(world.clerk, world.unit_b, 1, id_number=old.person.id_number, name=old.person.name)
    [finding] = run("fraud.several_accounts", new)
    assert {a["number"] for a in finding.evidence["accounts"]} == {old.number, new.number}
    assert {s.pk for s, _ in swept("fraud.several_accounts")} == {old.pk, new.pk}
    # Near miss: once the old one is merged (closed), one account is left.
    MemberAccount.objects.filter(pk=old.pk).update(state=MemberState.MERGED)
    assert run("fraud.several_accounts", new) == [] and swept("fraud.several_accounts") == []
    assert run("fraud.several_accounts", world.account_b) == []


def test_it_finds_ratios_outside_the_policy_bounds(world):
    UnitAccount.objects.filter(pk=world.unit_a.pk).update(unit_ratio=Decimal("0.1500"))
    UnitAccount.objects.filter(pk=world.unit_b.pk).update(unit_ratio=Decimal("0.1200"), member_ratio=Decimal("0.0500"))
    high, edge = UnitAccount.objects.get(pk=world.unit_a.pk), UnitAccount.objects.get(pk=world.unit_b.pk)
    [finding] = run("fraud.ratio_bounds", high)
    assert finding.evidence["field"] == "unit_ratio" and Decimal(finding.evidence["max"]) == Decimal("0.12")
    assert run("fraud.ratio_bounds", edge) == []  # near miss: exactly at the bounds
    assert [s.pk for s, _ in swept("fraud.ratio_bounds")] == [high.pk]


def test_the_district_is_read_from_the_address():
    assert district_of("示范市高新区科技路88号") == "高新区" and district_of("示范市幸福路8号") == ""
    assert district_of("示范市东平县州城街道1号") == "东平县"


def test_it_finds_a_burst_of_small_second_hand_sales_through_one_agent(ln):
    small = {"price": Decimal("180000.00"), "amount_requested": Decimal("120000.00")}
    apps = []
    for _ in range(2):
        apps.append(ln.application(agent_name="示范市宏远房产中介服务部", state="withdrawn", **small))
    # Two through the agent is not yet a burst (near miss) ...
    assert run("fraud.secondhand_burst", apps[-1]) == [] and swept("fraud.secondhand_burst") == []
    # ... nor is a dear sale through the same agent.
    ln.application(agent_name="示范市宏远房产中介服务部", state="withdrawn", price=Decimal("900000.00"))
    assert swept("fraud.secondhand_burst") == []
    # A purchase withdrawal naming the agent (spaces typed differently) is the third.
    w = withdrawal(ln.world, ln.world.account_b, "01", state="review",
                   details={"certificate_number": "C9", "agent": "示范市宏远房产中介服务部 "})
    [finding] = run("fraud.secondhand_burst", w)
    assert finding.evidence["dimension"] == "agent" and finding.evidence["count"] == 3
    assert {(type(s).__name__, s.pk) for s, _ in swept("fraud.secondhand_burst")} == {
        ("LoanApplication", apps[0].pk), ("LoanApplication", apps[1].pk), ("Withdrawal", w.pk)}
