"""Reasons that close the account (销户提取): retirement (03), loss of working ability (04), hukou moved out
or settling abroad (05), death (08, by heirs), and leaving the city without local hukou (99-leave).

The whole balance is paid with interest settled to the day; the account closes as 提取销户 (05).
Retirement and leaving the city are decided in seconds from social-insurance and hukou data.
"""

from __future__ import annotations

from fund.catalogue.registry import Channel, Material, ServiceItem, Visits
from fund.integrations.models import System

from ..models import Relation
from .base import Context, Input, Reason, Rule, Verdict, fail, ok
from .rules import (
    ALIVE,
    BANK_CARD,
    HOUSEHOLD,
    ID_CARD,
    IDENTITY,
    MARRIAGE,
    NO_LOCAL_EMPLOYER,
    NOT_RECENT_TRANSFER_IN,
    SEALED,
    relation_holds,
    whole_balance,
)

BASIS = ("《住房公积金管理条例》第二十四条",)


def _retired(ctx: Context) -> Verdict:
    record = ctx.social_insurance()
    if record is not None and record.retired:
        day = f"{record.retirement_date:%Y-%m-%d}" if record.retirement_date else "已"
        return ok(f"社保数据显示 {day} 办理退休", "社保数据显示您已退休", call_id=record.call_id)
    return fail("社保数据未显示已办理退休", "社保数据中没有您的退休记录，需人工核验退休证明",
                call_id=getattr(record, "call_id", None))


RETIREMENT = Reason(
    key="03", code="03", label="离休、退休", summary="离休或退休，提取全部余额并销户",
    closes_account=True, auto=True, frequency="一次性销户提取",
    rules=(IDENTITY, ALIVE, Rule("retired", "退休核验", _retired)),
    limit=whole_balance,
    item=ServiceItem(
        code="TQ-03", name="离休、退休提取住房公积金", category="提取", order=3,
        summary="职工离休、退休的，可提取全部住房公积金余额并注销账户。",
        conditions=("已办理离休、退休手续；", "提取全部余额（含利息）并销户。"),
        materials=(ID_CARD, BANK_CARD,
                   Material(code="retire_cert", name="离退休证或退休审批表", shared_by=System.SOCIAL_INSURANCE)),
        legal_basis=BASIS, time_limit="即时办结",
        channels=frozenset({Channel.WINDOW, Channel.ONLINE, Channel.INSTANT, Channel.CROSS_PROVINCE}),
        visits=Visits.NONE,
    ),
)


DISABILITY = Reason(
    key="04", code="04", label="完全丧失劳动能力并终止劳动关系", summary="完全丧失劳动能力，并与单位终止劳动关系",
    closes_account=True, auto=False, frequency="一次性销户提取",
    rules=(IDENTITY, SEALED, NO_LOCAL_EMPLOYER), limit=whole_balance,
    item=ServiceItem(
        code="TQ-04", name="完全丧失劳动能力并终止劳动关系提取住房公积金", category="提取", order=4,
        conditions=("经劳动能力鉴定完全丧失劳动能力；", "已与单位终止劳动关系，个人账户已封存。"),
        materials=(ID_CARD, BANK_CARD,
                   Material(code="ability", name="劳动能力鉴定结论书", original=True),
                   Material(code="termination", name="终止劳动关系证明", original=False, keeper="中心留存")),
        legal_basis=BASIS, time_limit="3 个工作日", channels=frozenset({Channel.WINDOW}),
    ),
)


def _hukou_moved_out(ctx: Context) -> Verdict:
    record = ctx.identity()
    if record is not None and not record.hukou_local:
        where = f"户籍地现为{record.hukou_city_name}" if record.hukou_city_name else "户口已注销"
        return ok(f"公安数据显示{where}，不在本市", "已核验户口迁出本市", call_id=record.call_id)
    return fail("公安数据显示户籍仍在本市", "户籍仍在本市，请提供户口迁出或注销户口证明",
                call_id=getattr(record, "call_id", None))


EMIGRATION = Reason(
    key="05", code="05", label="户口迁出本市或出境定居", summary="户口迁出本市或出境定居",
    closes_account=True, auto=False, frequency="一次性销户提取",
    rules=(IDENTITY, Rule("hukou", "户口迁出核验", _hukou_moved_out), SEALED), limit=whole_balance,
    item=ServiceItem(
        code="TQ-05", name="户口迁出本市或出境定居提取住房公积金", category="提取", order=5,
        conditions=("户口已迁出本市或已出境定居；", "个人账户已封存。"),
        materials=(ID_CARD, BANK_CARD,
                   Material(code="emigration", name="户口迁出证明或出境定居证明（注销户口证明）", original=True)),
        legal_basis=BASIS, time_limit="3 个工作日", channels=frozenset({Channel.WINDOW}),
    ),
)


def _deceased(ctx: Context) -> Verdict:
    record = ctx.identity()
    if record is not None and not record.alive:
        day = f"{record.death_date:%Y-%m-%d}" if record.death_date else ""
        return ok(f"公安数据显示缴存人已于 {day} 死亡", "已核验缴存人死亡信息", call_id=record.call_id)
    return fail("公安数据未显示缴存人死亡", "未能通过公安数据核验死亡信息", call_id=getattr(record, "call_id", None))


def _heir(ctx: Context) -> Verdict:
    """The heir is the deceased's spouse, parent or child (other heirs need the notarised certificate)."""
    other = ctx.withdrawal.other_id_number
    kind = ctx.detail("heir_relation")
    if kind not in (Relation.SPOUSE, Relation.PARENT, Relation.CHILD):
        return fail("继承人不是配偶、父母或子女，须凭继承权公证书人工审核", "需人工审核继承权证明")
    return relation_holds(ctx, kind, other)


DEATH = Reason(
    key="08", code="08", label="死亡或宣告死亡", summary="缴存人死亡或被宣告死亡，由继承人提取",
    closes_account=True, auto=False, heirs=True, relations=(Relation.HEIR,), frequency="一次性销户提取",
    inputs=(Input("heir_relation", "继承人与缴存人关系", kind="choice",
                  choices=((Relation.SPOUSE, "配偶"), (Relation.PARENT, "父母"), (Relation.CHILD, "子女"), ("other", "其他"))),),
    rules=(Rule("deceased", "死亡核验", _deceased), Rule("heir", "继承关系", _heir)), limit=whole_balance,
    item=ServiceItem(
        code="TQ-08", name="缴存人死亡或被宣告死亡提取住房公积金", category="提取", order=8,
        conditions=("缴存人死亡或被宣告死亡；", "由其继承人或受遗赠人提取全部余额。"),
        materials=(
            Material(code="heir_id", name="继承人居民身份证", shared_by=System.IDENTITY),
            Material(code="death_cert", name="死亡证明或宣告死亡判决书", shared_by=System.IDENTITY,
                     note="公安户籍注销数据共享核验"),
            Material(code="inheritance", name="继承权公证书或法院判决书", original=True,
                     condition="继承人非配偶、父母、子女或有多名继承人时"),
            Material(code="heir_card", name="继承人银行卡", original=True),
            MARRIAGE, HOUSEHOLD,
        ),
        legal_basis=BASIS + ("《中华人民共和国民法典》继承编",), time_limit="5 个工作日",
        channels=frozenset({Channel.WINDOW}), applicants="缴存人的继承人、受遗赠人",
    ),
)


def _not_local_hukou(ctx: Context) -> Verdict:
    record = ctx.identity()
    if record is not None and not record.hukou_local:
        return ok(f"户籍地为{record.hukou_city_name}，非本市户籍", "非本市户籍", call_id=record.call_id)
    return fail("公安数据显示为本市户籍", "本市户籍职工不适用离开本市提取", call_id=getattr(record, "call_id", None))


LEAVE_CITY = Reason(
    key="99-leave", code="99", label="非本市户籍离开本市", summary="非本市户籍职工与单位终止劳动关系并离开本市",
    closes_account=True, auto=True, frequency="一次性销户提取",
    rules=(IDENTITY, ALIVE, Rule("hukou", "户籍核验", _not_local_hukou), SEALED, NO_LOCAL_EMPLOYER,
           NOT_RECENT_TRANSFER_IN),
    limit=whole_balance,
    item=ServiceItem(
        code="TQ-99-LEAVE", name="非本市户籍职工离开本市提取住房公积金", category="提取", order=11,
        conditions=("非本市户籍；", "已与单位终止劳动关系，个人账户已封存；", "在本市无社保参保记录。"),
        materials=(ID_CARD, BANK_CARD,
                   Material(code="si_record", name="社保停保证明", shared_by=System.SOCIAL_INSURANCE)),
        legal_basis=BASIS, time_limit="即时办结",
        channels=frozenset({Channel.WINDOW, Channel.ONLINE, Channel.INSTANT, Channel.CROSS_PROVINCE}), visits=Visits.NONE,
    ),
)

REASONS = (RETIREMENT, DISABILITY, EMIGRATION, DEATH, LEAVE_CITY)
