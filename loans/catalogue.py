"""The loans line's service-catalogue items (事项清单: 贷款类): a loan for a new home, a second-hand home, and
self-building or overhauling one's home (DK-01..03), with the co-borrower and guarantee materials; full
prepayment (DK-04) and the payoff certificate (DK-05), both 跨省通办.

`register_loan_items()` registers them (LoansConfig.ready); the guide, the one-time notice and the window's
acceptance form read them from there. A material shared government data replaces names its system
(`shared_by`): identity, marriage, the property register and the credit report are checked by the centre."""

from fund.catalogue.registry import Channel, Material, ServiceItem, Visits, register_item
from fund.integrations.models import System

from .models import HomeKind

REGULATION = "《住房公积金管理条例》"
LOCAL_RULES = "本市个人住房公积金贷款管理办法"

ID_CARD = Material(code="id_card", name="借款人居民身份证", shared_by=System.IDENTITY)
MARRIAGE = Material(code="marriage", name="婚姻状况证明（结婚证、离婚证或单身声明）", shared_by=System.MARRIAGE,
                    note="民政婚姻登记信息共享核验；单身声明当场签署")
CREDIT = Material(code="credit_consent", name="个人征信查询授权书", provider="借款人及配偶", keeper="中心留存",
                  note="当场签署，中心查询人行征信报告，无需自行打印")
INCOME = Material(code="income", name="家庭收入证明", keeper="中心留存", condition="月收入高于缴存基数折算收入时",
                  note="按缴存基数认定收入的无需提供")
REPAYMENT_CARD = Material(code="repayment_card", name="借款人本人还款银行卡", note="用于签订委托扣款协议")
CO_ID = Material(code="co_id_card", name="共同借款人居民身份证", provider="共同借款人", shared_by=System.IDENTITY,
                 condition="有共同借款人时")
CO_RELATION = Material(code="co_relation", name="共同借款人与借款人关系证明（户口簿等）", provider="共同借款人",
                       condition="共同借款人为父母或子女时", shared_by=System.IDENTITY, note="户籍亲属关系共享核验")
CO_CONSENT = Material(code="co_consent", name="共同借款人承诺书", provider="共同借款人", keeper="中心留存",
                      condition="有共同借款人时", note="当场签署")
GUARANTEE = Material(code="guarantee", name="担保材料（保证人身份证、保证合同或担保机构保函）", provider="保证人",
                     keeper="中心留存", condition="以保证方式担保或抵押登记前阶段性保证时")

COMMON_CONDITIONS = (
    "正常连续足额缴存住房公积金满规定月数，账户状态正常；",
    "家庭无未结清的住房公积金贷款，同一家庭同时只能有一笔在办贷款申请；",
    "借款人及共同借款人未列入诚信黑名单，征信报告无“连三累六”逾期记录；",
    "首套、二套按不动产登记信息认定，家庭已有两套及以上住房的不予贷款；",
    "贷款额度取还款能力、房价比例、账户余额倍数与最高额度中的最低者。",
)

ITEM_FOR_KIND: dict[str, ServiceItem] = {}


def _item(code: str, kind: str, name: str, order: int, summary: str, home: tuple[Material, ...],
          conditions: tuple[str, ...] = ()) -> ServiceItem:
    item = ServiceItem(
        code=code, name=name, category="贷款", order=order, summary=summary,
        applicants="在本市缴存住房公积金的职工（可与配偶、父母或子女共同借款）",
        conditions=(*conditions, *COMMON_CONDITIONS),
        materials=(ID_CARD, MARRIAGE, CREDIT, INCOME, *home, REPAYMENT_CARD, CO_ID, CO_RELATION, CO_CONSENT,
                   GUARANTEE),
        legal_basis=(REGULATION, LOCAL_RULES),
        time_limit="窗口受理的当场审批；网上申请受理后按政策规定的工作日内审批",
        channels=frozenset({Channel.WINDOW, Channel.ONLINE}), visits=Visits.AT_MOST_ONCE,
        extra={"受理渠道": "综合窗口、个人网厅、开发企业售楼处（购房人网上确认）、受托银行网点"},
    )
    ITEM_FOR_KIND[kind] = item
    return item


NEW_HOME = _item(
    "DK-01", HomeKind.NEW, "购买新建商品住房申请住房公积金贷款", 1,
    "购买新建商品住房（含期房）的缴存职工申请个人住房公积金贷款；期房须在已准入的楼盘。",
    (Material(code="purchase_contract", name="商品房买卖合同（网签备案）", keeper="中心留存",
              shared_by=System.PROPERTY, note="网签备案信息共享核验"),
     Material(code="down_payment", name="首付款发票或收据", original=False, keeper="中心留存")),
    ("购买期房的，楼盘须已通过住房公积金贷款准入；",),
)
SECOND_HAND = _item(
    "DK-02", HomeKind.SECOND_HAND, "购买二手住房申请住房公积金贷款", 2,
    "购买本市二手住房的缴存职工申请个人住房公积金贷款；房龄与贷款期限之和不超过政策上限。",
    (Material(code="certificate", name="所购房屋不动产权证书", shared_by=System.PROPERTY, note="不动产登记信息共享核验"),
     Material(code="sale_contract", name="二手房买卖合同（网签备案）", keeper="中心留存"),
     Material(code="seller_account", name="售房人收款银行账户", original=False, provider="售房人",
              keeper="中心留存")),
    ("房屋建成年限与贷款期限之和不超过政策上限；",),
)
SELF_BUILD = _item(
    "DK-03", HomeKind.SELF_BUILD, "自建、翻建、大修自住住房申请住房公积金贷款", 3,
    "在自有宅基地上自建、翻建或大修自住住房的缴存职工申请个人住房公积金贷款。",
    (Material(code="certificate", name="宅基地或房屋不动产权证书", shared_by=System.PROPERTY),
     Material(code="build_permit", name="规划或建设许可批准文件", keeper="中心留存"),
     Material(code="budget", name="工程预算书及施工合同", keeper="中心留存")),
)


# After the loan: full prepayment and the payoff certificate, both done online and across provinces (跨省通办).
FULL_PREPAYMENT = ServiceItem(
    code="DK-04", name="住房公积金贷款提前结清", category="贷款", order=4,
    summary="借款人提前一次性还清住房公积金贷款的全部本息；可在个人网厅预览应还金额后办理。",
    applicants="住房公积金贷款借款人本人",
    conditions=("贷款无逾期，或结清时一并归还逾期本息和罚息；", "从本人还款银行卡或住房公积金账户扣款。"),
    materials=(ID_CARD, REPAYMENT_CARD),
    legal_basis=(REGULATION, LOCAL_RULES),
    time_limit="即时办结",
    channels=frozenset({Channel.WINDOW, Channel.ONLINE, Channel.CROSS_PROVINCE}), visits=Visits.NONE,
)
PAYOFF_CERTIFICATE = ServiceItem(
    code="DK-05", name="住房公积金贷款结清证明打印", category="贷款", order=5,
    summary="贷款结清后打印加盖业务专用章的结清证明，附验证码和二维码，可在线核验；用于办理抵押注销。",
    applicants="住房公积金贷款借款人本人",
    conditions=("贷款已结清。",),
    materials=(ID_CARD,),
    legal_basis=(REGULATION,),
    time_limit="即时办结",
    channels=frozenset({Channel.WINDOW, Channel.ONLINE, Channel.CROSS_PROVINCE}), visits=Visits.NONE,
    extra={"核验方式": "扫描证明上的二维码，或在“证明核验”页面输入验证码"},
)


def item_for(home_kind: str) -> ServiceItem:
    return ITEM_FOR_KIND[home_kind]


def register_loan_items() -> None:
    """Register this line's items; calling it again (autoreload runs `ready` twice) replaces them."""
    for item in (*ITEM_FOR_KIND.values(), FULL_PREPAYMENT, PAYOFF_CERTIFICATE):
        register_item(item)
