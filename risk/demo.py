"""Demo blacklist: persons and units in force, one expired, one lifted.

The listed people and units are made up for the blacklist (not the demo members or employers), so no other
line's demo flow is refused by them.
"""

from datetime import date, timedelta
from typing import Any

from fund.dates import add_years
from fund.demo import DemoContext, make_credit_code, make_id_number

from .demo_fraud import demo_fraud
from .demo_rings import demo_rings
from .demo_screening import demo_screening
from .models import BlacklistEntry, Category, SubjectKind
from .services import blacklist_add, blacklist_lift


def demo_blacklist(*, lister: Any, lifter: Any, today: date) -> list[BlacklistEntry]:
    """Write the demo entries, listed by `lister` (风控), one of them lifted by `lifter` (another officer)."""
    person = SubjectKind.PERSON
    unit = SubjectKind.UNIT
    rows = [
        dict(subject_kind=person, id_number=make_id_number(birth=date(1985, 6, 12), seq=901), name="郭某某",
             category=Category.FRAUD_WITHDRAWAL, listed_on=today - timedelta(days=400),
             reason="伪造购房合同和发票骗提住房公积金 4.8 万元，已追回；不动产登记信息比对发现。"),
        dict(subject_kind=person, id_number=make_id_number(birth=date(1979, 11, 3), seq=902, male=False),
             name="钱某某", category=Category.FRAUD_LOAN, listed_on=today - timedelta(days=90),
             reason="提供虚假收入证明骗取住房公积金贷款，贷款已提前收回。"),
        dict(subject_kind=person, id_number=make_id_number(birth=date(1990, 1, 20), seq=903), name="蒋某某",
             category=Category.MALICIOUS_OVERDUE, listed_on=today - timedelta(days=30), bans_withdrawal=False,
             reason="有还款能力而连续 9 期拒不还款，经催收无效。"),
        dict(subject_kind=unit, credit_code=make_credit_code(951), name="示范市鑫达商贸有限公司",
             category=Category.STOPPED_AFTER_LOAN, listed_on=today - timedelta(days=200),
             reason="3 名职工办理住房公积金贷款后，单位自次月起停缴全部职工住房公积金，经催缴 6 个月未补缴。"),
        dict(subject_kind=unit, credit_code=make_credit_code(952), name="示范市宏远房产中介服务部",
             category=Category.FRAUD_WITHDRAWAL, listed_on=today - timedelta(days=60),
             reason="组织职工以虚假租房合同批量骗提住房公积金。"),
        dict(subject_kind=unit, credit_code=make_credit_code(953), name="示范市北岸建材有限公司",
             category=Category.STOPPED_AFTER_LOAN, listed_on=add_years(today, -6),
             reason="职工贷款后停缴，限制期已满。"),
        dict(subject_kind=person, id_number=make_id_number(birth=date(1988, 4, 8), seq=904), name="韩某某",
             category=Category.FRAUD_WITHDRAWAL, listed_on=today - timedelta(days=150),
             reason="疑似以虚假离职证明提取住房公积金。"),
    ]
    entries = [blacklist_add(actor=lister, **row) for row in rows]
    entries[-1] = blacklist_lift(
        actor=lifter, entry=entries[-1], reason="经复核，离职证明真实有效，原认定有误，予以解除。"
    )
    return entries


def seed(ctx: DemoContext) -> None:
    demo_blacklist(lister=ctx.staff["risk"], lifter=ctx.staff["director"], today=ctx.today)
    demo_fraud(ctx)
    demo_rings(ctx)
    demo_screening(ctx)
    ctx.logins.append(("综合窗口", "risk", "风控岗：诚信黑名单 /staff/risk/blacklist/"))


def seed_after_sandbox(ctx: DemoContext) -> None:
    """After the loans' demo made its loans (one of them overdue): what the risk steps of the close keep."""
    from .demo_dormant import seed_dormant
    from .demo_overdue import demo_overdue
    from .demo_rates import demo_rates

    demo_overdue(ctx)  # after the loans demo made its overdue loan
    demo_rates(today=ctx.today)
    ctx.logins.append(("综合窗口", "risk", "风控岗：个贷逾期率 /staff/risk/rates/，五级分类，风险预警"))
    # After the loans demo too: the dormant members' balances would otherwise lift the fund's liquidity above what the
    # loans demo counts on to leave one disbursement waiting (轮候).
    seed_dormant(ctx)
