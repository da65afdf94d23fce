"""The loans line's policies (贷款): rates, quota limits, terms, eligibility rule switches, credit limits,
deadlines, liquidity. Part of `fund.policy.definitions.DEFINITIONS`; the conventions are in `fund.policy.kinds`."""

from __future__ import annotations

from .kinds import (
    DEMO_NOTE,
    MONEY,
    RATE,
    RATE_2024,
    RATE_2024_NOTE,
    RATE_2025,
    RATE_2025_NOTE,
    RATIO,
    ROUNDING_MODES,
    SWITCH,
    YUAN,
    Group,
    Kind,
    PolicyDefinition,
    Seed,
    d,
)

LOAN_RULES = (
    ("account_normal", "账户状态正常", "借款人公积金账户状态为正常。"),
    ("deposit_months", "连续缴存月数", "借款人申请前连续足额缴存满政策规定的月数。"),
    ("no_unpaid_loan", "无未结清公积金贷款", "家庭（借款人及配偶）无未结清的住房公积金贷款，也无在办的贷款申请。"),
    ("not_blacklisted", "未列入失信黑名单", "借款人及共同借款人均未列入禁止贷款的失信黑名单。"),
    ("credit", "征信良好", "征信报告无不良记录，且核查期间内无连续或累计逾期超限（连三累六）。"),
    ("co_borrowers", "共同借款人核验", "共同借款人账户正常、未列入黑名单、征信良好。"),
    ("project_admitted", "期房楼盘已准入", "购买期房的，所购楼盘须经中心准入。"),
    ("home_count", "住房套数", "第三套及以上住房不予贷款（套数按不动产登记认定）。"),
    ("subsidy", "贴息条件", "购买首套住房的低收入家庭标记为符合贴息条件。"),
)

LOAN_DEFINITIONS: tuple[PolicyDefinition, ...] = (
    PolicyDefinition(
        name="loan_rate_first_upto5", label="首套住房贷款年利率（5年以下含5年）", group=Group.LOANS,
        description="首套个人住房公积金贷款，期限 5 年以下（含 5 年）的年利率。",
        seeds=(Seed("0.0235", RATE_2024, RATE_2024_NOTE), Seed("0.021", RATE_2025, RATE_2025_NOTE)), **RATE,
    ),
    PolicyDefinition(
        name="loan_rate_first_over5", label="首套住房贷款年利率（5年以上）", group=Group.LOANS,
        description="首套个人住房公积金贷款，期限 5 年以上的年利率。",
        seeds=(Seed("0.0285", RATE_2024, RATE_2024_NOTE), Seed("0.026", RATE_2025, RATE_2025_NOTE)), **RATE,
    ),
    PolicyDefinition(
        name="loan_rate_second_upto5", label="二套住房贷款年利率（5年以下含5年）", group=Group.LOANS,
        description="第二套个人住房公积金贷款，期限 5 年以下（含 5 年）的年利率。",
        seeds=(Seed("0.02775", RATE_2024, RATE_2024_NOTE), Seed("0.02525", RATE_2025, RATE_2025_NOTE)),
        **RATE,
    ),
    PolicyDefinition(
        name="loan_rate_second_over5", label="二套住房贷款年利率（5年以上）", group=Group.LOANS,
        description="第二套个人住房公积金贷款，期限 5 年以上的年利率。",
        seeds=(Seed("0.03325", RATE_2024, RATE_2024_NOTE), Seed("0.03075", RATE_2025, RATE_2025_NOTE)),
        **RATE,
    ),
    PolicyDefinition(
        name="loan_cap_single", code="GRZFDKZGED", label="贷款最高额度（单人）", group=Group.LOANS,
        description="借款人单独申请时的个人住房公积金贷款最高额度。",
        minimum=d("10000"), maximum=d("5000000"), not_above="loan_cap_joint",
        seeds=(Seed("600000.00"),), **MONEY,
    ),
    PolicyDefinition(
        name="loan_cap_joint", label="贷款最高额度（有共同借款人）", group=Group.LOANS,
        description="有共同借款人（如夫妻双方均缴存）时的个人住房公积金贷款最高额度。",
        minimum=d("10000"), maximum=d("5000000"), not_below="loan_cap_single",
        seeds=(Seed("800000.00"),), **MONEY,
    ),
    PolicyDefinition(
        name="loan_balance_multiple", label="贷款额度账户余额倍数", unit="倍", kind=Kind.DECIMAL, places=2,
        group=Group.LOANS,
        description="贷款额度不超过借款人及共同借款人住房公积金账户余额之和的倍数。",
        minimum=d("1"), maximum=d("50"), seeds=(Seed("15"),),
    ),
    PolicyDefinition(
        name="loan_ratio_first", code="GRZFDKZGDKBL", label="首套住房最高贷款比例", group=Group.LOANS,
        description="首套住房贷款额度不超过房价的比例。",
        minimum=d("0.10"), maximum=d("1.00"), seeds=(Seed("0.80"),), **RATIO,
    ),
    PolicyDefinition(
        name="loan_ratio_second", label="二套住房最高贷款比例", group=Group.LOANS,
        description="第二套住房贷款额度不超过房价的比例。",
        minimum=d("0.10"), maximum=d("1.00"), seeds=(Seed("0.70"),), **RATIO,
    ),
    PolicyDefinition(
        name="loan_repayment_capacity_ratio", label="还款能力系数", group=Group.LOANS,
        description="家庭月收入中可用于偿还贷款的比例；扣除现有月还款额后按期限和利率折算可贷本金。",
        minimum=d("0.10"), maximum=d("0.80"), seeds=(Seed("0.50"),), **RATIO,
    ),
    PolicyDefinition(
        name="loan_quota_rounding_unit", label="贷款额度取整单位", group=Group.LOANS,
        description="可贷额度按此单位取整。",
        minimum=d("1"), maximum=d("10000"), seeds=(Seed("1000.00"),), **MONEY,
    ),
    PolicyDefinition(
        name="loan_quota_rounding_mode", label="贷款额度取整方式", unit="", kind=Kind.CHOICE, group=Group.LOANS,
        description="可贷额度取整的方式。",
        choices=ROUNDING_MODES, seeds=(Seed("down"),),
    ),
    PolicyDefinition(
        name="loan_min_term_months", label="贷款最短期限", unit="个月", kind=Kind.INTEGER, group=Group.LOANS,
        description="个人住房公积金贷款的最短期限。",
        minimum=d("1"), maximum=d("60"), seeds=(Seed("12"),),
    ),
    PolicyDefinition(
        name="loan_max_co_borrowers", label="共同借款人人数上限", unit="人", kind=Kind.INTEGER, group=Group.LOANS,
        description="一笔贷款可有的共同借款人（配偶、父母、子女等直系亲属）最多人数。",
        minimum=d("0"), maximum=d("5"), seeds=(Seed("3"),),
    ),
    PolicyDefinition(
        name="loan_max_term_years", code="GRZFDKZCNX", label="贷款最长年限", unit="年", kind=Kind.INTEGER,
        group=Group.LOANS,
        description="个人住房公积金贷款的最长期限。",
        minimum=d("1"), maximum=d("30"), seeds=(Seed("30"),),
    ),
    PolicyDefinition(
        name="loan_age_limit_male", label="男性借款人年龄与期限之和上限", unit="岁", kind=Kind.INTEGER,
        group=Group.LOANS,
        description="男性借款人年龄加贷款期限不得超过此数。",
        minimum=d("50"), maximum=d("75"), seeds=(Seed("65"),),
    ),
    PolicyDefinition(
        name="loan_age_limit_female", label="女性借款人年龄与期限之和上限", unit="岁", kind=Kind.INTEGER,
        group=Group.LOANS,
        description="女性借款人年龄加贷款期限不得超过此数。",
        minimum=d("50"), maximum=d("75"), seeds=(Seed("60"),),
    ),
    PolicyDefinition(
        name="loan_building_age_term_limit", label="二手房房龄与期限之和上限", unit="年", kind=Kind.INTEGER,
        group=Group.LOANS,
        description="购买二手住房时，房屋建成年限加贷款期限不得超过此数。",
        minimum=d("20"), maximum=d("70"), seeds=(Seed("50"),),
    ),
    PolicyDefinition(
        name="loan_min_deposit_months", label="申请贷款连续缴存月数", unit="个月", kind=Kind.INTEGER,
        group=Group.LOANS,
        description="申请贷款前须正常连续足额缴存的最少月数。",
        minimum=d("0"), maximum=d("60"), seeds=(Seed("6"),),
    ),
    PolicyDefinition(
        name="loan_penalty_markup", label="逾期罚息上浮比例", group=Group.LOANS,
        description="逾期罚息利率在合同利率基础上加收的比例：每日罚息 = 逾期本息 × 合同年利率 × (1 + 本比例) ÷ 360。",
        minimum=d("0.30"), maximum=d("0.50"), seeds=(Seed("0.50"),), **RATIO,
    ),
    PolicyDefinition(
        name="loan_window_hours", label="窗口贷款受理办结时限", unit="小时", kind=Kind.INTEGER, group=Group.LOANS,
        description="窗口受理的贷款业务当场办结的时限。",
        minimum=d("1"), maximum=d("24"), seeds=(Seed("2"),),
    ),
    PolicyDefinition(
        name="loan_online_days", label="网上贷款申请办结时限", unit="工作日", kind=Kind.INTEGER, group=Group.LOANS,
        description="网上提交的贷款申请自受理起办结的工作日数。",
        minimum=d("1"), maximum=d("30"), seeds=(Seed("4"),),
    ),
    PolicyDefinition(
        name="loan_disbursement_days", label="抵押后放款时限", unit="工作日", kind=Kind.INTEGER, group=Group.LOANS,
        description="抵押（预抵押）登记完成后发放贷款的工作日数。",
        minimum=d("1"), maximum=d("10"), seeds=(Seed("1"),),
    ),
    PolicyDefinition(
        name="loan_approval_large_threshold", label="贷款分管副主任审批起点金额", group=Group.LOANS,
        description="申请金额超过此数的贷款，审批后还须由分管副主任审批（按金额分级授权）。",
        minimum=d("10000"), maximum=d("5000000"), seeds=(Seed("500000.00"),), **MONEY,
    ),
    PolicyDefinition(
        name="loan_liquidity_reserve_ratio", label="放款备付金比例", group=Group.LOANS,
        description="放款前须留存的备付资金占住房公积金缴存余额（201 科目）的比例：可用于放款的资金 = 住房公积金存款"
                    "（101 科目）− 缴存余额 × 本比例 − 已放行尚未付款的贷款；不足时贷款进入轮候，按审批先后放款。",
        minimum=d("0"), maximum=d("0.50"), seeds=(Seed("0.05"),), **RATIO,
    ),
    PolicyDefinition(
        name="loan_credit_window_months", label="征信逾期核查期间", unit="个月", kind=Kind.INTEGER, group=Group.LOANS,
        description="核查借款人征信报告逾期记录的最近月数（连三累六的“近24个月”）。",
        minimum=d("6"), maximum=d("60"), seeds=(Seed("24"),),
    ),
    PolicyDefinition(
        name="loan_credit_consecutive_limit", label="征信连续逾期月数上限", unit="个月", kind=Kind.INTEGER,
        group=Group.LOANS,
        description="核查期间内任一笔贷款连续逾期达到此月数的，不予贷款（连三）。",
        minimum=d("1"), maximum=d("24"), seeds=(Seed("3"),),
    ),
    PolicyDefinition(
        name="loan_credit_cumulative_limit", label="征信累计逾期月数上限", unit="个月", kind=Kind.INTEGER,
        group=Group.LOANS,
        description="核查期间内各笔贷款累计逾期达到此月数的，不予贷款（累六）。",
        minimum=d("1"), maximum=d("60"), seeds=(Seed("6"),),
    ),
    PolicyDefinition(
        name="loan_max_home_order", label="可贷款的住房套数上限", unit="套", kind=Kind.INTEGER, group=Group.LOANS,
        description="家庭（借款人及配偶）在本市已有住房套数加上所购住房不超过此数的，方可贷款；默认 2，即第三套及以上不予贷款。",
        minimum=d("1"), maximum=d("3"), seeds=(Seed("2"),),
    ),
    PolicyDefinition(
        name="loan_subsidy_income_limit", label="贴息贷款家庭月收入上限", unit=YUAN, kind=Kind.DECIMAL, places=2,
        group=Group.LOANS,
        description="购买首套住房、家庭月收入不高于此数的低收入家庭，可享受公积金贷款贴息。",
        minimum=d("0"), maximum=d("100000"), seeds=(Seed("5000.00", note=DEMO_NOTE),),
    ),
    *(
        PolicyDefinition(
            name=f"loan_rule_{key}", label=f"贷款条件：{label}", unit="", kind=Kind.CHOICE, group=Group.LOANS,
            description=f"是否核验此项贷款条件：{about}", choices=SWITCH, seeds=(Seed("on"),),
        )
        for key, label, about in LOAN_RULES
    ),
)
