"""The deposits line's service-catalogue items (事项清单: 归集类, and the personal deposit certificate).

`register_deposit_items()` registers them with the core's registry; `DepositsConfig.ready()` calls it. The
guide, the one-time notice and the counter's material checklist read them from there. A material that shared
government data replaces names its system (`shared_by`); everything else is paper. Market-regulation data
(营业执照) is not among the systems the centre is connected to, so the business licence stays on paper.
"""

from fund.catalogue.registry import Channel, Material, ServiceItem, Visits, register_item
from fund.integrations.models import System

REGULATION = "《住房公积金管理条例》"
LOCAL_RULES = "本市住房公积金归集管理办法"

WINDOW_ONLINE = frozenset({Channel.WINDOW, Channel.ONLINE})

# Materials several items ask for.
OPERATOR_ID = Material(code="operator_id", name="经办人居民身份证", provider="单位经办人", shared_by=System.IDENTITY)
OPERATOR_AUTHORITY = Material(
    code="operator_authority", name="经办人授权委托书（加盖单位公章）", provider="单位", keeper="中心留存",
    condition="首次办理或更换经办人时", note="以单位网厅数字证书办理的无需提供",
)
MEMBER_ID = Material(code="id_card", name="职工居民身份证", shared_by=System.IDENTITY)

UNIT_OPEN = ServiceItem(
    code="GJ-01", name="单位住房公积金账户设立（单位开户）", category="归集", order=1,
    summary="新设立的单位或新参加住房公积金制度的单位办理缴存登记，开立单位住房公积金账户。",
    applicants="本市行政区域内的国家机关、事业单位、企业、民办非企业单位、社会团体等单位",
    conditions=(
        "依法设立，具有统一社会信用代码；",
        "新设立的单位自设立之日起30日内办理住房公积金缴存登记；",
        "单位和职工缴存比例均在政策规定的范围（5%—12%）内。",
    ),
    materials=(
        Material(code="business_licence", name="营业执照、事业单位法人证书或社会团体登记证书", provider="单位",
                 note="市场监管数据暂未共享，须提供原件核验"),
        Material(code="unit_form", name="住房公积金单位缴存登记表（加盖单位公章）", provider="单位",
                 keeper="中心留存", note="单位网厅在线填报的无需提供"),
        Material(code="bank_account", name="单位银行结算账户开户证明", original=False, provider="单位",
                 keeper="中心留存"),
        OPERATOR_AUTHORITY,
        OPERATOR_ID,
    ),
    legal_basis=(REGULATION, LOCAL_RULES),
    time_limit="窗口即时办结；网厅申请 1 个工作日内审核",
    channels=WINDOW_ONLINE,
    visits=Visits.NONE,
)

MEMBER_OPEN = ServiceItem(
    code="GJ-02", name="职工住房公积金账户设立（个人开户）", category="归集", order=2,
    summary="单位为新录用职工办理住房公积金缴存登记，开立个人账户；一人只能有一个个人账户。",
    applicants="已开户单位的经办人（为本单位职工办理）",
    conditions=(
        "单位已开立住房公积金账户且状态正常；",
        "单位自录用职工之日起30日内办理缴存登记，职工自录用次月起缴存；",
        "职工在全市范围内无其他正常状态的个人账户（一人一户），已有封存账户的办理启封或转移。",
    ),
    materials=(
        Material(code="member_list", name="职工开户清册（加盖单位公章）", provider="单位", keeper="中心留存",
                 note="单位网厅在线录入的无需提供"),
        MEMBER_ID,
        OPERATOR_ID,
    ),
    legal_basis=(REGULATION, LOCAL_RULES),
    time_limit="即时办结",
    channels=WINDOW_ONLINE,
    visits=Visits.NONE,
)

BASE_ADJUST = ServiceItem(
    code="GJ-03", name="住房公积金缴存基数调整", category="归集", order=3,
    summary="每年7月按职工上一年度月平均工资调整缴存基数（调基），可在单位网厅下载模板、填写后上传。",
    applicants="已开户单位的经办人",
    conditions=(
        "缴存基数为职工本人上一年度月平均工资；",
        "缴存基数不高于上一年度全市职工月平均工资的3倍，不低于本市最低工资标准；",
        "单位和职工缴存比例均在5%—12%之间；",
        "上传的调整清册中任一行不符合规定的，整份清册不予调整，并逐行列明原因。",
    ),
    materials=(
        Material(code="base_list", name="缴存基数调整清册（加盖单位公章）", provider="单位", keeper="中心留存",
                 note="网厅上传 Excel 清册的无需提供纸质件"),
        Material(code="wage_proof", name="上一年度职工工资发放明细或工资总额证明", original=False, provider="单位",
                 keeper="中心留存", condition="基数较上年变动超过30%或中心抽查时"),
        OPERATOR_AUTHORITY,
        OPERATOR_ID,
    ),
    legal_basis=(REGULATION, LOCAL_RULES),
    time_limit="即时办结（清册校验通过后当月生效）",
    channels=WINDOW_ONLINE,
    visits=Visits.NONE,
)

REMITTANCE = ServiceItem(
    code="GJ-04", name="住房公积金汇缴", category="归集", order=4,
    summary="单位按月为职工足额缴存住房公积金：核定当月汇缴清单，通过委托收款或转账缴款，到账后记入职工个人账户。",
    applicants="已开户单位的经办人",
    conditions=(
        "单位账户状态正常；",
        "月缴存额为职工缴存基数乘以单位、个人缴存比例之和，单位和个人部分分别计算；",
        "单位于每月约定缴存日前缴存当月住房公积金，逾期未缴的列入催缴。",
    ),
    materials=(
        Material(code="collection_agreement", name="委托银行收款协议", provider="单位", keeper="中心留存",
                 condition="首次选择委托收款方式时"),
        Material(code="transfer_slip", name="银行转账凭证", original=False, provider="单位", keeper="中心留存",
                 condition="以转账方式缴存且款项未能自动匹配时"),
    ),
    legal_basis=(REGULATION, LOCAL_RULES),
    time_limit="款项到账后即时入账",
    channels=WINDOW_ONLINE,
    visits=Visits.NONE,
)

BACK_PAY = ServiceItem(
    code="GJ-05", name="住房公积金补缴", category="归集", order=5,
    summary="单位为职工补缴以前月份漏缴、少缴的住房公积金，写明补缴原因。",
    applicants="已开户单位的经办人",
    conditions=(
        "补缴月份在职工与本单位存在劳动关系期间；",
        "补缴金额按补缴月份的缴存基数和比例计算；",
        "缓缴期满的单位应补缴缓缴期间的住房公积金。",
    ),
    materials=(
        Material(code="back_pay_list", name="住房公积金补缴清册（加盖单位公章）", provider="单位",
                 keeper="中心留存", note="单位网厅在线录入的无需提供"),
        Material(code="back_pay_reason", name="补缴原因说明（加盖单位公章）", provider="单位", keeper="中心留存"),
        Material(code="wage_proof", name="补缴月份的工资发放证明", original=False, provider="单位",
                 keeper="中心留存", condition="补缴以前年度月份时"),
        OPERATOR_ID,
    ),
    legal_basis=(REGULATION, LOCAL_RULES),
    time_limit="1 个工作日",
    channels=WINDOW_ONLINE,
    visits=Visits.AT_MOST_ONCE,
)

DEFERRAL = ServiceItem(
    code="GJ-06", name="缓缴住房公积金或降低缴存比例", category="归集", order=6,
    summary="确有困难的单位，经本单位职工代表大会或者工会讨论通过，并经审批后，可以降低缴存比例或者缓缴；待经济效益好转后恢复并补缴。",
    applicants="已开户单位",
    conditions=(
        "单位生产经营确有困难，无力按规定比例缴存；",
        "经本单位职工代表大会或者工会讨论通过；",
        "降低后的缴存比例不低于政策下限，缓缴和降比期限按政策规定执行；",
        "缓缴期满后应当补缴缓缴期间的住房公积金。",
    ),
    materials=(
        Material(code="application", name="缓缴（降低缴存比例）申请书（加盖单位公章）", provider="单位",
                 keeper="中心留存"),
        Material(code="union_resolution", name="职工代表大会或者工会讨论通过的决议", provider="单位",
                 keeper="中心留存"),
        Material(code="financial_statements", name="上一年度及近期财务报表", original=False, provider="单位",
                 keeper="中心留存"),
        Material(code="business_licence", name="营业执照", original=False, provider="单位", keeper="中心留存"),
        OPERATOR_AUTHORITY,
        OPERATOR_ID,
    ),
    legal_basis=(REGULATION, LOCAL_RULES),
    time_limit="受理后 10 个工作日内作出审批决定",
    channels=WINDOW_ONLINE,
    visits=Visits.AT_MOST_ONCE,
    extra={"审批": "初审、审批两级，审批结果在单位网厅查询"},
)

SEAL = ServiceItem(
    code="GJ-07", name="职工个人账户封存、启封", category="归集", order=7,
    summary="职工与单位终止劳动关系的，由单位办理个人账户封存；重新就业的，由新单位办理启封或转入。",
    applicants="已开户单位的经办人",
    conditions=(
        "封存：职工与本单位终止劳动关系，单位自终止之日起30日内办理；",
        "启封：职工与本单位建立劳动关系，其个人账户处于封存状态；",
        "冻结状态的账户不能办理封存或启封。",
    ),
    materials=(
        Material(code="seal_list", name="个人账户封存（启封）清册（加盖单位公章）", provider="单位",
                 keeper="中心留存", note="单位网厅在线办理的无需提供"),
        MEMBER_ID,
        OPERATOR_ID,
    ),
    legal_basis=(REGULATION, LOCAL_RULES),
    time_limit="即时办结",
    channels=WINDOW_ONLINE,
    visits=Visits.NONE,
)

TRANSFER = ServiceItem(
    code="GJ-08", name="住房公积金异地转移接续", category="归集", order=8,
    summary="职工跨城市就业，在转入地申请，经全国住房公积金异地转移接续平台把原账户余额转入新账户，无需回原城市办理。",
    applicants="缴存职工本人",
    conditions=(
        "在转入地已开立个人账户并正常缴存；",
        "转出地个人账户已封存，且未被冻结；",
        "在转出地无未结清的住房公积金贷款。",
    ),
    materials=(
        Material(code="id_card", name="居民身份证", shared_by=System.IDENTITY),
        Material(code="origin_certificate", name="原缴存地住房公积金缴存证明", provider="原缴存地中心",
                 step="转出核验", shared_by=System.TRANSFER, note="由转入地中心经平台发送联系函核对"),
    ),
    legal_basis=(REGULATION, "住房和城乡建设部关于住房公积金异地转移接续的规定"),
    time_limit="转出地确认后 3 个工作日内资金到账",
    channels=frozenset({Channel.WINDOW, Channel.ONLINE, Channel.CROSS_PROVINCE}),
    visits=Visits.NONE,
)

DEPOSIT_CERTIFICATE = ServiceItem(
    code="ZH-01", name="个人住房公积金缴存证明打印", category="综合", order=1,
    summary="打印加盖业务专用章的个人缴存证明（缴存基数、比例、缴至年月、余额及近12个月连续缴存情况），附验证码和二维码，可在线核验。",
    applicants="缴存职工本人；单位经办人可为本单位职工打印",
    conditions=("个人账户已开立；",),
    materials=(Material(code="id_card", name="居民身份证", shared_by=System.IDENTITY, note="窗口刷证核验身份"),),
    legal_basis=(REGULATION,),
    time_limit="即时办结",
    channels=frozenset({Channel.WINDOW, Channel.ONLINE, Channel.CROSS_PROVINCE}),
    visits=Visits.NONE,
    extra={"核验方式": "扫描证明上的二维码，或在“证明核验”页面输入验证码"},
)

DEPOSIT_ITEMS: tuple[ServiceItem, ...] = (
    UNIT_OPEN, MEMBER_OPEN, BASE_ADJUST, REMITTANCE, BACK_PAY, DEFERRAL, SEAL, TRANSFER, DEPOSIT_CERTIFICATE,
)


def register_deposit_items() -> None:
    """Register this line's items; calling it again (autoreload runs `ready` twice) replaces them."""
    for item in DEPOSIT_ITEMS:
        register_item(item)
