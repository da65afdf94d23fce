"""Demo electronic audit: the default rules, a centre's own rule, the day's business screened, and two hits on
card changes made without the bank's check (one sent to its branch for rectification)."""

from datetime import timedelta

from fund.audit.masking import mask_bank_card
from fund.audit.services import audit_log
from fund.demo import DemoContext


def demo_screening(ctx: DemoContext) -> None:
    from deposits.models import MemberAccount

    from .services.screening import (
        hit_request_rectification,
        rule_add,
        rules_sync,
        screening_sweep,
        subject_screen,
    )

    auditor, clerk = ctx.staff["auditor"], ctx.staff["clerk01"]
    rules_sync()
    rule_add(actor=auditor, check="audit.correction_large", code="city.correction_20000", label="两万元以上错缴更正",
             level="2", params={"amount": "20000"}, effective_from=ctx.today,
             description="本中心规定：两万元以上的错缴更正退款须附单位书面申请和原缴款凭证，初审时核对。")
    screening_sweep(ctx.today)
    hits = []
    for account in MemberAccount.objects.exclude(bank_card="").order_by("id")[:2]:
        audit_log(actor=clerk, action="deposits.member.changed", target=account,
                  new={"bank_card": mask_bank_card(account.bank_card)})
        hits += subject_screen(account)
    if hits:
        hit_request_rectification(actor=auditor, hit=hits[0], request="请补做银行卡户名核验，并由职工本人签字确认变更。",
                                  due=ctx.today + timedelta(days=5), today=ctx.today)
    ctx.logins.append(("综合窗口", "auditor", "稽核岗：稽核工作台 /staff/risk/audit/"))
