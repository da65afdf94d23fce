"""Demo history the fraud checks find: two members' major-illness withdrawals on one medical record (Liaoyuan's
pattern), and a purchase withdrawal on an invoice the tax sandbox never issued. Written as rejected
applications (no money moved, nothing in flight), so no other line's demo flow meets them; the screening
engine's sweep or a screen of these rows stores the hits."""

from __future__ import annotations

from typing import Any

from django.utils import timezone


def demo_fraud(ctx: Any) -> list[Any]:
    from deposits.models import MemberAccount
    from withdrawals.models import RuleCheck, Withdrawal, WithdrawalState
    from withdrawals.services.application import next_withdrawal_number

    accounts = list(MemberAccount.objects.filter(state="01").select_related("unit__employer").order_by("-id")[:3])
    if len(accounts) < 3:
        return []
    clerk = ctx.staff["clerk01"]
    record = {"hospital": "示范市第一人民医院", "record_number": "ZY2025104417",
              "diagnosis": "急性髓系白血病（M2型）化疗后骨髓抑制伴肺部感染"}
    rows = [(accounts[0], "09", {"expenses": "43000.00", "medical": record}),
            (accounts[1], "09", {"expenses": "41000.00", "medical": dict(record)}),
            (accounts[2], "01", {"invoice_number": "FP370800999999"})]
    made = []
    for account, reason, details in rows:
        made.append(Withdrawal.objects.create(
            number=next_withdrawal_number(), account=account, branch_id=account.unit.employer.branch_id,
            reason=reason, reason_code=reason[:2], channel="window", payee_name=account.person.name,
            payee_card=account.bank_card or "6217000010000000018", details=details, state=WithdrawalState.REJECTED,
            decider="manual", decision_note="演示：材料存疑，未予提取", submitted_by=clerk,
            decided_at=timezone.now(), ended_at=timezone.now(),
        ))
    # The purchase's decision stored its failed home rule (the screens read what the decision found).
    RuleCheck.objects.create(
        withdrawal=made[2], order=1, rule="home", label="住房核实", passed=False,
        detail="税务系统查无购房发票 FP370800999999", plain="未能核验您的购房发票",
        evidence={"invoice_problem": "unknown", "invoice_number": "FP370800999999"})
    return made
