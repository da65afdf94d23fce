"""Demo rings: two groups of members whose (refused) withdrawals share a bank card or a medical record, so the
suspected rings page has something to show before the first nightly close.

The withdrawals are rows as the window leaves a refused application (未通过), made directly: they hold no money
and no rule checks, and a refused withdrawal blocks nothing the other demos do.
"""

from typing import Any

from django.db import transaction

from fund.demo import DemoContext


def demo_rings(ctx: DemoContext) -> Any:
    from deposits.models import MemberAccount
    from fund.people.models import User
    from withdrawals.models import Withdrawal
    from withdrawals.services.application import next_withdrawal_number

    from .models import RunTrigger
    from .services.rings import link_graph_run, link_graph_run_create

    with_login = set(User.objects.filter(person__isnull=False).values_list("person_id", flat=True))
    # The last accounts opened: the other demos take the first ones.
    accounts = [a for a in MemberAccount.objects.filter(state="01").select_related("unit__employer").order_by("-id")[:40]
                if a.person_id not in with_login]
    by_branch: dict[int, list[Any]] = {}
    for account in accounts:
        by_branch.setdefault(account.unit.employer.branch_id, []).append(account)
    one_branch = max(by_branch.values(), key=len)[:3]
    across = [group[-1] for group in by_branch.values()][:2] + [a for a in accounts if a not in one_branch][:2]
    clerk = ctx.staff["clerk01"]
    with transaction.atomic():
        for account in one_branch:
            Withdrawal.objects.create(
                number=next_withdrawal_number(ctx.today), account=account, branch=account.unit.employer.branch,
                reason="07", reason_code="07", channel="window", payee_name=account.person.name,
                payee_card="6217000099887766554", state="rejected", submitted_by=clerk,
                decision_note="租房合同无法核实，不予提取（演示数据）")
        # Four people of different branches with one medical record; two of them paid to one card.
        for i, account in enumerate(across[:4]):
            Withdrawal.objects.create(
                number=next_withdrawal_number(ctx.today), account=account, branch=account.unit.employer.branch,
                reason="09", reason_code="09", channel="window", payee_name=account.person.name,
                payee_card="6217000055554444333" if i < 2 else f"62170000{account.pk:011d}", state="rejected",
                submitted_by=clerk,
                details={"medical": {"hospital": "示范市第一人民医院", "record_number": "ZY2026-0815",
                                     "diagnosis": "恶性肿瘤"}},
                decision_note="病历与医院记录不符，不予提取（演示数据）")
    run = link_graph_run(link_graph_run_create(actor=None, business_date=ctx.today, trigger=RunTrigger.MANUAL))
    ctx.logins.append(("综合窗口", "risk", "风控岗：疑似团伙（关联图谱） /staff/risk/rings/"))
    return run
