"""The fraud checks on withdrawals, each with a hit and a near miss, called as the engine calls them:
`check.screen(subject, check.params)` and `check.sweep(date, check.params)`. Withdrawal rows are written
directly (the checks read rows; the withdrawals line's own tests cover how rows come to be)."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import count
from typing import Any

import pytest
from django.utils import timezone

from deposits.models import CrossRegionTransfer
from fund.demo import make_id_number
from fund.integrations.models import SandboxHome, SandboxInvoice, SandboxMarriage, TransferStatus
from risk.screening.registry import check_get
from tests.clock import today
from tests.conftest import open_member
from withdrawals.models import RuleCheck, Withdrawal

pytestmark = pytest.mark.django_db
SEQ = count(1)


def withdrawal(world: Any, account: Any, reason: str, *, state: str = "paid", details: dict[str, Any] | None = None,
               decided_days_ago: int = 0, **fields: Any) -> Withdrawal:
    decided = timezone.now() - timedelta(days=decided_days_ago)
    return Withdrawal.objects.create(
        number=f"TQT{next(SEQ):08d}", account=account, branch=world.branch_a, reason=reason, reason_code=reason[:2],
        channel="window", payee_name=account.person.name, payee_card="6217000010000000018", details=details or {},
        state=state, decided_at=decided if state != "submitted" else None, submitted_by=world.clerk, **fields)


def screen(code: str, subject: Any) -> list[Any]:
    check = check_get(code)
    assert check is not None and check.category == "fraud"
    return list(check.screen(subject, check.params))


def sweep(code: str) -> list[Any]:
    check = check_get(code)
    return list(check.sweep(today(), check.params))


def decided(w: Withdrawal) -> Withdrawal:
    """Store the verdicts of the withdrawal's home rules as its decision does (the screens read them; only the
    decision asks the registry and the tax service)."""
    from withdrawals.reasons import REASONS, Context

    ctx = Context(w, today())
    round_ = max(w.checks.values_list("round", flat=True), default=0) + 1
    for order, rule in enumerate(REASONS[w.reason].rules, start=1):
        if rule.code in ("home", "owned"):
            v = rule.check(ctx)
            RuleCheck.objects.create(withdrawal=w, round=round_, order=order, rule=rule.code, label=rule.label, passed=v.passed,
                                     detail=v.detail, plain=v.plain, evidence=v.evidence)
    return w


def medical(hospital: str, record: str, diagnosis: str) -> dict[str, Any]:
    return {"expenses": "30000.00", "medical": {"hospital": hospital, "record_number": record, "diagnosis": diagnosis}}


# ---- the same medical record under different people --------------------------------------------------------

def test_it_finds_the_same_medical_record_presented_by_another_person(world):
    first = withdrawal(world, world.account_a, "09", details=medical("示范市第一人民医院", "ZY-0001", "急性髓系白血病"))
    # The same record typed with full-width letters and spaces, under another name.
    second = withdrawal(world, world.account_b, "09", state="review",
                        details=medical("示范市第一人民医院", "ＺＹ- 0001", "急性髓系白血病"))
    [finding] = screen("fraud.medical_record", second)
    assert finding.key == first.number and finding.evidence["matched_on"] == ["病案号"]
    assert finding.evidence["other"]["id_number"] != world.account_a.person.id_number  # masked
    assert {(w.pk, f.key) for w, f in sweep("fraud.medical_record")} == {(first.pk, second.number), (second.pk, first.number)}


def test_it_finds_the_same_long_diagnosis_text_at_one_hospital(world):
    text = "左肺上叶中央型鳞状细胞癌伴纵隔淋巴结转移（T2N2M0）"
    withdrawal(world, world.account_a, "09", details=medical("示范市中心医院", "A1", text))
    second = withdrawal(world, world.account_b, "09", state="review", details=medical("示范市中心医院", "B2", text))
    assert [f.evidence["matched_on"] for f in screen("fraud.medical_record", second)] == [["出院诊断"]]


def test_a_near_miss_of_the_medical_record_is_no_hit(world):
    # The same person again, another hospital's record with the same number, a short common diagnosis.
    withdrawal(world, world.account_a, "09", details=medical("示范市第一人民医院", "ZY-0001", "肺癌"))
    again = withdrawal(world, world.account_a, "09", state="review", details=medical("示范市第一人民医院", "ZY-0001", "肺癌"),
                       decided_days_ago=1)
    elsewhere = withdrawal(world, world.account_b, "09", state="review", details=medical("示范市中医院", "ZY-0001", "肺癌"))
    third = open_member(world.clerk, world.unit_a, 31)
    short = withdrawal(world, third, "09", state="review", details=medical("示范市第一人民医院", "ZY-0002", "肺癌"))
    assert screen("fraud.medical_record", again) == [] and screen("fraud.medical_record", elsewhere) == []
    assert screen("fraud.medical_record", short) == [] and sweep("fraud.medical_record") == []


# ---- the owner differs from the registry; an invoice the tax service does not know ---------------------------

def test_it_finds_a_certificate_not_registered_to_the_owner(world):
    person = world.account_a.person
    SandboxHome.objects.create(certificate_number="鲁(2024)示范市不动产权第0000777号", owner_id_numbers=[person.id_number],
                               address="示范市幸福路777号", city_code="370800", area="90.00", price="500000.00",
                               registered_on=today() - timedelta(days=30))
    forged = withdrawal(world, world.account_a, "01", state="submitted",
                        details={"certificate_number": "鲁(2024)示范市不动产权第0000999号"})
    assert screen("fraud.owner_mismatch", forged) == []  # not decided yet: the screen asks nobody
    [finding] = screen("fraud.owner_mismatch", decided(forged))
    assert finding.key == "鲁(2024)示范市不动产权第0000999号" and finding.evidence["property_call_id"]
    forged.state = "rejected"
    forged.save(update_fields=["state"])
    own = withdrawal(world, world.account_a, "01", state="submitted",
                     details={"certificate_number": "鲁(2024)示范市不动产权第0000777号"})
    assert screen("fraud.owner_mismatch", decided(own)) == []  # near miss: the registry names the owner


def test_the_nightly_sweep_reads_the_decisions_failed_owner_rule(world):
    w = withdrawal(world, world.account_a, "01", state="review", details={"certificate_number": "X1"})
    RuleCheck.objects.create(withdrawal=w, order=4, rule="home", label="住房核实", passed=False, detail="未查到",
                             plain="未查到", evidence={"owner_differs": True, "certificate_number": "X1",
                                                        "property_call_id": 7})
    other = withdrawal(world, world.account_b, "01", state="review", details={"certificate_number": "X2"})
    RuleCheck.objects.create(withdrawal=other, order=4, rule="home", label="住房核实", passed=False, detail="未提供",
                             plain="未提供", evidence={})  # a failure of another kind is not this hit
    assert [(s.pk, f.key) for s, f in sweep("fraud.owner_mismatch")] == [(w.pk, "X1")]


def test_it_finds_an_invoice_the_tax_service_does_not_know(world):
    SandboxInvoice.objects.create(invoice_number="FP0001", buyer_id_number=world.account_a.person.id_number,
                                  buyer_name="甲", seller_name="示范市安居置业有限公司", amount="600000.00",
                                  issued_on=today(), address="示范市幸福路1号")
    unknown = withdrawal(world, world.account_a, "01", state="submitted", details={"invoice_number": "FP9999"})
    [finding] = screen("fraud.invoice_unknown", decided(unknown))
    assert finding.evidence["problem"] == "unknown" and finding.key == "FP9999"
    known = withdrawal(world, world.account_b, "01", state="submitted", details={"invoice_number": "FP0001"})
    assert screen("fraud.invoice_unknown", decided(known)) == []
    SandboxInvoice.objects.filter(invoice_number="FP0001").update(valid=False)
    assert [f.evidence["problem"] for f in screen("fraud.invoice_unknown", decided(known))] == ["void"]


# ---- one home twice within the policy's months --------------------------------------------------------------

def test_the_sweep_finds_one_home_used_twice_within_the_months(world):
    first = withdrawal(world, world.account_a, "01", home_key="CERT-1", decided_days_ago=100)
    second = withdrawal(world, world.account_b, "01", home_key="CERT-1")  # a reviewer approved it anyway
    withdrawal(world, world.account_a, "01", home_key="CERT-2", decided_days_ago=400)
    third = open_member(world.clerk, world.unit_a, 32)
    late = withdrawal(world, third, "01", home_key="CERT-2")  # near miss: 400 days later, past 12 months
    found = {(s.pk, f.key) for s, f in sweep("fraud.same_home")}
    assert found == {(second.pk, first.number)} and late.pk not in {pk for pk, _ in found}


# ---- a withdrawal soon after a transfer-in ------------------------------------------------------------------

def test_it_finds_a_withdrawal_soon_after_a_transfer_in(world):
    CrossRegionTransfer.objects.create(direction="in", account=world.account_a, reference="ZR-R3-1",
                                       other_centre="成都住房公积金管理中心", status=TransferStatus.DONE,
                                       finished_at=timezone.now() - timedelta(days=30), created_by=world.clerk)
    CrossRegionTransfer.objects.create(direction="in", account=world.account_b, reference="ZR-R3-2",
                                       other_centre="成都住房公积金管理中心", status=TransferStatus.DONE,
                                       finished_at=timezone.now() - timedelta(days=800), created_by=world.clerk)
    soon = withdrawal(world, world.account_a, "07", state="review")
    later = withdrawal(world, world.account_b, "07", state="review")  # near miss: the transfer was years ago
    assert [f.key for f in screen("fraud.transfer_in", soon)] == ["ZR-R3-1"]
    assert screen("fraud.transfer_in", later) == []
    assert [(s.pk, f.key) for s, f in sweep("fraud.transfer_in")] == [(soon.pk, "ZR-R3-1")]


# ---- repeated marriage changes before a purchase withdrawal -------------------------------------------------

def test_it_finds_repeated_marriage_changes_before_a_purchase_withdrawal(world):
    me, other = world.account_a.person.id_number, world.account_b.person.id_number
    third = make_id_number(birth=date(1992, 2, 2), seq=733, male=False)
    SandboxMarriage.objects.create(party_a=me, party_b=third, married_on=today() - timedelta(days=2000),
                                   ended_on=today() - timedelta(days=200), ended_by="divorce")
    SandboxMarriage.objects.create(party_a=me, party_b=other, married_on=today() - timedelta(days=60))
    purchase = withdrawal(world, world.account_a, "01", state="submitted", details={"certificate_number": "C1"})
    [finding] = screen("fraud.marriage_changes", purchase)
    assert [c["kind"] for c in finding.evidence["changes"]] == ["divorced", "married"]
    assert finding.evidence["marriage_call_id"]
    # Near miss: the other party married once in the window (the earlier marriage was years before).
    near = withdrawal(world, world.account_b, "01", state="submitted", details={"certificate_number": "C2"})
    assert screen("fraud.marriage_changes", near) == []
    assert screen("fraud.marriage_changes", withdrawal(world, third_account(world), "07", state="submitted")) == []


def third_account(world: Any) -> Any:
    return open_member(world.clerk, world.unit_a, 34)


def test_the_demo_history_makes_fraud_hits(world):
    from types import SimpleNamespace

    from risk.demo_fraud import demo_fraud
    from tests.conftest import open_member

    open_member(world.clerk, world.unit_a, 35)
    first, second, purchase = demo_fraud(SimpleNamespace(staff={"clerk01": world.clerk}))
    assert [f.key for f in screen("fraud.medical_record", second)] == [first.number]
    assert [f.evidence["problem"] for f in screen("fraud.invoice_unknown", purchase)] == ["unknown"]
