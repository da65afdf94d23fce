"""Demo dormant accounts (呆滞账户) and a campaign: five members of a unit whose deposits stopped years ago, their
accounts sealed then (the demo writes that history back-dated), two without a phone; the campaign lists them,
texts those with a phone, and the branch has recorded one 已联系 and one 查无此人."""

from datetime import date
from decimal import Decimal
from typing import Any

from deposits.models import AccountBusiness, AccountEvent, UnitAccount
from deposits.services.accounts import member_account_open, monthly_deposit_post
from deposits.services.member_lifecycle import member_account_seal
from fund.dates import add_months, add_years, first_of_month
from fund.demo import DemoContext, make_id_number

from .models import DormantAccount, DormantCampaign, DormantOutcome
from .services.dormant import dormant_campaign_start, dormant_outcome_record

MEMBERS = [("周秀英", "13907310401"), ("吴建华", "13907310402"), ("郑桂兰", ""), ("王志强", "13907310404"),
           ("冯玉梅", "")]


def demo_dormant(*, clerk: Any, officer: Any, today: date) -> DormantCampaign | None:
    unit = UnitAccount.objects.filter(employer__branch=clerk.staff_profile.branch).order_by("pk").first()
    if unit is None:
        return None
    stopped = first_of_month(add_years(today, -4))
    for seq, (name, phone) in enumerate(MEMBERS):
        account = member_account_open(
            actor=clerk, unit=unit, id_number=make_id_number(birth=date(1968 + seq, 5, 3), seq=960 + seq,
                                                            male=seq % 2 == 1),
            name=name, base=Decimal("3200.00"), phone=phone, opened_on=add_months(stopped, -24))
        for back in range(6):
            month = add_months(stopped, back - 6)
            monthly_deposit_post(actor=clerk, account=account, month=month, value_date=add_months(month, 1))
        member_account_seal(actor=clerk, account=account, reason="单位破产改制，解除劳动关系")
        # Demo history: the 封存 happened when the deposits stopped, four years ago.
        AccountEvent.objects.filter(account=account, business_type=AccountBusiness.SEAL).update(
            at=AccountEvent.objects.get(account=account, business_type=AccountBusiness.SEAL).at.replace(
                year=stopped.year, month=stopped.month, day=stopped.day))
    campaign = dormant_campaign_start(actor=officer, name=f"{today.year}年呆滞账户清理", on=today)
    items = list(DormantAccount.objects.filter(campaign=campaign).order_by("pk")[:2])
    if len(items) == 2:
        dormant_outcome_record(actor=clerk, item=items[0], outcome=DormantOutcome.REACHED,
                               note="电话联系本人，约定下周到窗口办理提取")
        dormant_outcome_record(actor=clerk, item=items[1], outcome=DormantOutcome.NOT_FOUND,
                               note="原单位已注销，登记电话空号")
    return campaign


def seed_dormant(ctx: DemoContext) -> None:
    """risk/demo.py calls this: the dormant demo and its login hint."""
    demo_dormant(clerk=ctx.staff["clerk01"], officer=ctx.staff["risk"], today=ctx.today)
    ctx.logins.append(("综合窗口", "risk", "风控岗：风险驾驶舱 /staff/risk/dashboard/，呆滞账户清理 /staff/risk/dormant/"))
