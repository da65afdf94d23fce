"""The bundles (一件事) the centre offers, each defined from the part codes the lines register."""

from .registry import Bundle, BundleField, register_bundle

NEW_EMPLOYEE = Bundle(
    code="YJS-01", name="新职工入职一件事", order=1, portals=("unit", "staff"),
    summary="单位为新入职职工一次办理：设立个人账户、确定首次缴存月份（纳入单位该月汇缴），并短信告知职工。",
    applicants="缴存单位（单位经办人或综合窗口代办）",
    parts=("deposits.member_open", "deposits.first_month", "deposits.welcome_sms"),
    fields=(
        BundleField("unit_number", "单位账号", portals=("staff",)),
        BundleField("id_number", "职工身份证号码"),
        BundleField("name", "职工姓名"),
        BundleField("base", "缴存基数（元）", kind="money"),
        BundleField("phone", "职工手机号码", kind="phone", required=False, help="开户后短信告知职工"),
        BundleField("bank_card", "职工银行卡号", kind="card", required=False),
    ),
)

RETIREMENT = Bundle(
    code="YJS-02", name="退休一件事", order=2, portals=("member", "staff"),
    summary="职工退休一次办理：退休提取全部余额、注销个人账户（随提取办结），并出具个人缴存证明。",
    parts=("withdrawals.retirement", "deposits.closing", "deposits.certificate"),
    fields=(
        BundleField("account_number", "个人账号", portals=("staff",)),
        BundleField("payee_card", "收款银行卡号", kind="card", required=False, help="不填则付至账户登记的银行卡"),
    ),
)

LOAN_MORTGAGE = Bundle(
    code="YJS-03", name="贷款+不动产抵押登记一件事", order=3, portals=("member", "staff"),
    summary="购买新建商品住房的职工一次申请住房公积金贷款，并同时向不动产登记机构提交抵押登记申请"
            "（期房为抵押权预告登记）。",
    parts=("loans.application", "loans.mortgage_request"),
    fields=(
        BundleField("account_number", "借款人个人账号", portals=("staff",)),
        BundleField("project", "楼盘名称", required=False, max_length=120, help="期房须为已准入的楼盘；现房可不填"),
        BundleField("home_address", "房屋坐落", max_length=200),
        BundleField("purchase_contract", "购房合同/网签备案号", required=False, max_length=60,
                    help="期房必填，用于办理抵押权预告登记"),
        BundleField("certificate_number", "不动产权证号", required=False, max_length=60,
                    help="已取得不动产权证的现房必填，用于办理抵押登记"),
        BundleField("price", "房屋总价（元）", kind="money"),
        BundleField("area", "建筑面积（㎡）", kind="money", required=False),
        BundleField("monthly_income", "家庭月收入（元）", kind="money"),
        BundleField("amount_requested", "申请金额（元）", kind="money"),
        BundleField("term_months", "贷款期限（月）"),
    ),
)


def register_bundles() -> None:
    for bundle in (NEW_EMPLOYEE, RETIREMENT, LOAN_MORTGAGE):
        register_bundle(bundle)
