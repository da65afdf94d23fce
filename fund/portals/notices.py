"""通知公告 on the public home: each notice has its own page (/notices/<slug>/).

Kept here as data until the centre has a notice list to publish from; newest first.
"""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Notice:
    slug: str
    tag: str
    title: str
    published: date
    paragraphs: tuple[str, ...]


NOTICES: tuple[Notice, ...] = (
    Notice(
        slug="2025-deposit-base",
        tag="缴存",
        title="关于2025年度住房公积金缴存基数和缴存比例调整工作的通知",
        published=date(2025, 6, 20),
        paragraphs=(
            "各缴存单位：",
            "2025年度住房公积金缴存基数调整工作即日起开始。缴存基数为职工本人上一年度月平均工资，"
            "不得高于本市上一年度职工月平均工资的3倍，不得低于本市现行最低工资标准。",
            "单位和职工缴存比例均在5%至12%之间，由单位自主确定。缴存比例须单位和职工一致。",
            "单位可登录单位网厅办理基数调整，也可持相关材料到综合窗口办理。具体材料与流程见办事指南“缴存基数调整”。",
        ),
    ),
    Notice(
        slug="2025-loan-rate",
        tag="政策",
        title="2025年5月8日起下调个人住房公积金贷款利率，5年以上首套利率调整为2.6%",
        published=date(2025, 5, 7),
        paragraphs=(
            "根据中国人民银行决定，自2025年5月8日起下调个人住房公积金贷款利率0.25个百分点。",
            "5年以下（含5年）和5年以上首套个人住房公积金贷款利率分别调整为2.1%和2.6%；"
            "5年以下（含5年）和5年以上第二套个人住房公积金贷款利率分别调整为不低于2.525%和3.075%。",
            "2025年5月8日前已发放的贷款，自2026年1月1日起按调整后的利率执行。",
        ),
    ),
    Notice(
        slug="2025-down-payment",
        tag="提取",
        title="关于支持缴存人提取住房公积金支付购房首付款的通知",
        published=date(2025, 3, 15),
        paragraphs=(
            "为支持缴存人合理住房需求，缴存人在本市购买新建商品住房的，可申请提取本人及配偶住房公积金账户余额，"
            "用于支付购房首付款。",
            "提取金额不超过购房首付款金额，且须保留账户余额不少于规定数额。具体条件与所需材料见办事指南“购房提取”。",
            "可通过个人网厅或到综合窗口办理；能通过数据共享核验的材料无需另行提供。",
        ),
    ),
)


def notice_get(slug: str) -> Notice | None:
    return next((notice for notice in NOTICES if notice.slug == slug), None)
