"""Demo overdue ledger: a 清收岗 collector in each of the first two branches, the ledger kept for today by the close's
step over the loans demo's overdue loan (its last two instalments unpaid: 上门及书面催收), and a phone contact with
a promise to pay on it."""

from datetime import timedelta

from fund.demo import DEMO_PASSWORD, DemoContext
from fund.people.models import Post
from fund.people.services import staff_create

from .models import CaseState, Channel, OverdueCase
from .services.overdue import contact_record, overdue_ledger_step


def demo_overdue(ctx: DemoContext) -> None:
    collectors = [
        staff_create(actor=None, username=username, name=name, branch=ctx.branches[index], posts=[Post.RISK],
                     employee_number=username, password=DEMO_PASSWORD)
        for username, name, index in (("collector01", "黄清收", 0), ("collector02", "林清收", 1))
    ]
    overdue_ledger_step(ctx.today)
    for case in OverdueCase.objects.filter(state=CaseState.OPEN, collector__isnull=False).select_related("collector"):
        contact_record(actor=case.collector, case=case, channel=Channel.PHONE, contacted_on=ctx.today,
                       result="借款人本人接听，称资金周转困难，承诺一周内归还逾期款项",
                       promise_on=ctx.today + timedelta(days=7))
    ctx.logins.append(("综合窗口", collectors[0].username, "清收岗，市直管理部：逾期台账 /staff/risk/overdue/"))
