"""Demo deposits: three units with about fifty members and a year of monthly deposits."""

from datetime import date
from decimal import Decimal

from fund.dates import add_months, first_of_month
from fund.demo import DEMO_PASSWORD, DemoContext, make_credit_code, make_id_number
from fund.people.services import member_login_create, operator_create

from .services import member_account_open, monthly_deposit_post, unit_account_open

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "霞", "平",
         "刚", "桂英", "建华", "晓东", "文", "海燕", "志强", "玉兰", "国庆", "雪"]
# name, branch, ratio, members, months left unpaid (this month's bill is always still to do;
# 北湖物流 is three months behind, so the arrears list has someone on it), and the person who is the unit's
# operator and contact: a person's name, as the header and the records show it (never one made from the unit's).
UNITS = [
    ("示范市第一人民医院", 0, Decimal("0.12"), 20, 1, "孙丽娟"),
    ("示范市高新科技有限公司", 1, Decimal("0.10"), 18, 1, "马国栋"),
    ("北湖物流股份有限公司", 2, Decimal("0.08"), 12, 3, "林晓燕"),
]


def seed(ctx: DemoContext) -> None:
    clerk = ctx.staff["clerk01"]
    opened = add_months(first_of_month(ctx.today), -13)
    seq = 0
    for index, (name, branch, ratio, size, unpaid, operator) in enumerate(UNITS, start=1):
        bank_account = _unit_account_at_the_bank(name, make_credit_code(index), f"3705016{index:011d}")
        unit = unit_account_open(
            actor=clerk, branch=ctx.branches[branch], name=name, credit_code=make_credit_code(index),
            address=f"示范市{ctx.branches[branch].name[:-3]}路{index * 17}号", contact_name=operator,
            contact_phone=f"0537-31{index:05d}", bank_name="中国建设银行示范市分行", bank_account=bank_account,
            unit_ratio=ratio, member_ratio=ratio, pay_day=15, opened_on=opened,
        )
        ctx.employers.append(unit.employer)
        operator_create(
            actor=clerk, username=f"unit{index:02d}", name=operator, password=DEMO_PASSWORD,
            phone=f"1390537{index:04d}", employer=unit.employer,
        )
        ctx.logins.append(("单位网厅", f"unit{index:02d}", f"{operator}，{name}经办人"))
        for _ in range(size):
            seq += 1
            male = ctx.rng.random() < 0.55
            birth = date(ctx.rng.randint(1968, 2001), ctx.rng.randint(1, 12), ctx.rng.randint(1, 28))
            person_name = ctx.rng.choice(SURNAMES) + ctx.rng.choice(GIVEN)
            base = Decimal(ctx.rng.randrange(3000, 15000, 50))
            account = member_account_open(
                actor=clerk, unit=unit, id_number=make_id_number(birth=birth, seq=seq, male=male), name=person_name,
                base=base, phone=f"138{seq:08d}", opened_on=opened,
            )
            ctx.people.append(account.person)
            month = account.first_month
            while month <= add_months(first_of_month(ctx.today), -unpaid):
                pay_day = date(month.year, month.month, unit.pay_day)
                if pay_day > ctx.today:
                    break
                monthly_deposit_post(actor=clerk, account=account, month=month, value_date=pay_day)
                month = add_months(month, 1)
    _adopt_sandbox_bank_accounts(ctx)
    # The first three members can sign in to the personal online hall.
    for person in ctx.people[:3]:
        member_login_create(person=person, password=DEMO_PASSWORD)
        ctx.logins.append(("个人网厅", person.id_number, f"职工 {person.name}"))


def _unit_account_at_the_bank(name: str, credit_code: str, number: str) -> str:
    """The unit's account at the sandbox bank (opening checks it there): the one a previous seed gave the
    unit, or a new one."""
    from fund.integrations.models import SandboxBankAccount

    row, _ = SandboxBankAccount.objects.get_or_create(
        holder_id=credit_code, defaults={"account_number": number, "name": name, "bank_name": "中国建设银行示范市分行",
                                         "balance": Decimal("5000000.00")},
    )
    return row.account_number


def _adopt_sandbox_bank_accounts(ctx: DemoContext) -> None:
    """Give the demo units and members the bank accounts the bank sandbox knows, so that collection (委托收款)
    and payouts work in the demo. (Seeding is idempotent: the command's own sandbox seed later keeps these.)"""
    from django.conf import settings

    from fund.integrations.models import SandboxBankAccount
    from fund.integrations.seed import seed_sandbox

    from .models import MemberAccount, UnitAccount

    summary = seed_sandbox(people=ctx.people, employers=ctx.employers, city_code=settings.FUND_CITY_CODE)
    for unit in UnitAccount.objects.filter(employer__in=ctx.employers).select_related("employer"):
        number = SandboxBankAccount.objects.get(holder_id=unit.employer.credit_code).account_number
        UnitAccount.objects.filter(pk=unit.pk).update(bank_account=number)
    for account in MemberAccount.objects.filter(person__in=ctx.people).select_related("person"):
        MemberAccount.objects.filter(pk=account.pk).update(bank_card=summary.cards[account.person.id_number])
