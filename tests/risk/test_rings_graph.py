"""The link graph (item 6): rings found through shared keys, the near misses, identity across runs."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from risk.models import LinkGraphRun, Ring, RingLink, RingState, RunState
from risk.services.rings import link_graph_run, link_graph_run_create
from tests.conftest import open_member

pytestmark = pytest.mark.django_db

ON = date(2026, 6, 1)
CARD = "6217000010000000001"


def withdrawal(world: Any, account: Any, n: int, *, card: str = "", **fields: Any) -> Any:
    """A bare withdrawal row, paid (so one account may have several): the graph reads the table, so no
    decision or payout is needed."""
    from withdrawals.models import Withdrawal

    fields.setdefault("state", "paid")
    return Withdrawal.objects.create(
        number=f"TQ{n:08d}", account=account, branch=account.unit.employer.branch, reason="07", reason_code="07",
        channel="window", payee_name=account.person.name, payee_card=card or f"62170000{n:011d}",
        submitted_by=world.clerk, **fields)


def members(world: Any, *seqs: int, unit: Any = None) -> list[Any]:
    return [open_member(world.clerk, unit or world.unit_a, seq) for seq in seqs]


def run(on: date = ON) -> LinkGraphRun:
    return link_graph_run(link_graph_run_create(actor=None, business_date=on))


def set_policy(name: str, value: int) -> None:
    from fund.policy.models import PolicyValue

    PolicyValue.objects.create(name=name, number=Decimal(value), effective_from=date(2026, 5, 1), note="测试")


def test_it_finds_a_ring_through_a_card_shared_by_three_unrelated_applicants(world):
    a, b, c = members(world, 31, 32, 33)
    shared = [withdrawal(world, acc, i, card=CARD) for i, acc in enumerate((a, b, c), start=1)]
    withdrawal(world, world.account_b, 9)  # not linked to anyone

    done = run()

    assert done.state == RunState.DONE and done.rings == 1 and done.rings_new == 1
    ring = Ring.objects.get()
    assert ring.state == RingState.OPEN and ring.applications == 3 and ring.people == 3
    assert [r["rule"] for r in ring.reasons] == ["card"]
    assert sorted(ring.members.values_list("number", flat=True)) == sorted(w.number for w in shared)
    link = RingLink.objects.get(ring=ring, kind="card")
    assert link.value == CARD and sorted(link.members) == sorted(f"withdrawal:{w.pk}" for w in shared)


def test_it_does_not_call_a_couple_sharing_a_card_a_ring(world):
    husband, wife = members(world, 41, 42)
    withdrawal(world, husband, 1, card=CARD)
    # The wife withdraws for the home her husband owns: the application names him as her spouse.
    withdrawal(world, wife, 2, card=CARD, relation="spouse", other_id_number=husband.person.id_number)

    done = run()

    assert done.state == RunState.DONE and done.components == 1 and done.rings == 0
    assert not Ring.objects.exists()


def test_it_finds_more_people_than_the_policy_sharing_a_home_and_not_as_many(world):
    set_policy("risk_ring_people", 2)
    a, b, c = members(world, 51, 52, 53)
    withdrawal(world, a, 1, details={"certificate_number": "鲁(2026)示范市不动产权第0000123号"})
    withdrawal(world, b, 2, details={"certificate_number": "鲁（2026）示范市不动产权第 0000123 号"})

    assert run().rings == 0  # two people: as many as the policy allows, not more

    withdrawal(world, c, 3, details={"medical": {"hospital": "示范市人民医院", "record_number": "BA-7788"}})
    withdrawal(world, a, 4, details={"medical": {"hospital": "示范市人民医院 ", "record_number": "ba7788"}})
    later = run()

    ring = Ring.objects.get()
    assert later.rings == 1 and ring.people == 3 and [r["rule"] for r in ring.reasons] == ["size"]
    kinds = set(ring.links.values_list("kind", flat=True))
    assert {"certificate", "medical", "person"} <= kinds  # the same person joins her two applications


def test_a_second_run_keeps_the_ring_and_its_note_and_closes_it_when_gone(world):
    from risk.services.rings import ring_note_set

    a, b, c = members(world, 61, 62, 63)
    rows = [withdrawal(world, acc, i, card=CARD) for i, acc in enumerate((a, b, c), start=1)]
    run()
    ring = Ring.objects.get()
    ring_note_set(actor=world.director, ring=ring, note="已调取三人银行流水")

    again = run()
    assert again.rings == 1 and again.rings_new == 0
    assert Ring.objects.get().pk == ring.pk and Ring.objects.get().note == "已调取三人银行流水"

    # A fourth applicant joins: mostly the same members, so the same ring.
    d = members(world, 64)[0]
    withdrawal(world, d, 4, card=CARD)
    grown = run()
    assert grown.rings_new == 0 and Ring.objects.get().applications == 4

    # The card is corrected on every application: the ring is no longer found and closes (with history).
    from withdrawals.models import Withdrawal

    for i, row in enumerate([*rows, Withdrawal.objects.get(number="TQ00000004")], start=1):
        Withdrawal.objects.filter(pk=row.pk).update(payee_card=f"6217999{i:012d}")
    gone = run()
    ring.refresh_from_db()
    assert gone.rings_closed == 1 and ring.state == RingState.CLOSED and ring.closed_at is not None
    from fund.workflow.models import StatusChange

    assert StatusChange.objects.filter(subject_id=ring.pk, action="risk.ring.closed", new="closed").exists()


def test_the_close_step_runs_once_per_business_date(world):
    from risk.services.rings import link_graph_step

    a, b = members(world, 71, 72)
    withdrawal(world, a, 1, card=CARD)
    withdrawal(world, b, 2, card=CARD)
    assert link_graph_step(ON)["rings"] == 1
    assert link_graph_step(ON)["rings"] == 1
    assert LinkGraphRun.objects.filter(business_date=ON).count() == 1
