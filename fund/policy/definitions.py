"""Every number a city may set, declared once: its key, label, unit, kind, bounds and SPEC default.

Values live in `PolicyValue` rows with an effective date; this module lists the definitions, and `fund.policy.kinds` says what a valid value is, how to read and show one, and the
conventions every caller relies on (percentages as fractions, money as Decimal yuan, counts as int).
"""

from __future__ import annotations

from datetime import date

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
    PolicyScalar,
    Seed,
    d,
)

__all__ = ["BY_CODE", "BY_NAME", "DEFINITIONS", "Group", "Kind", "PolicyDefinition", "PolicyScalar", "Seed",
           "definition_find"]

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


DEFINITIONS: tuple[PolicyDefinition, ...] = (
    # ------------------------------------------------------------------ 归集 deposits
    PolicyDefinition(
        name="deposit_unit_ratio_min", code="DWJCBLXX", label="单位缴存比例下限", group=Group.DEPOSITS,
        description="单位为职工缴存住房公积金的最低比例。",
        minimum=d("0.01"), maximum=d("0.12"), not_above="deposit_unit_ratio_max",
        seeds=(Seed("0.05"),), **RATIO,
    ),
    PolicyDefinition(
        name="deposit_unit_ratio_max", code="DWJCBLSX", label="单位缴存比例上限", group=Group.DEPOSITS,
        description="单位为职工缴存住房公积金的最高比例，国家规定不超过 12%。",
        minimum=d("0.05"), maximum=d("0.12"), not_below="deposit_unit_ratio_min",
        seeds=(Seed("0.12"),), **RATIO,
    ),
    PolicyDefinition(
        name="deposit_member_ratio_min", code="GRJCBLXX", label="个人缴存比例下限", group=Group.DEPOSITS,
        description="职工个人缴存住房公积金的最低比例。",
        minimum=d("0.01"), maximum=d("0.12"), not_above="deposit_member_ratio_max",
        seeds=(Seed("0.05"),), **RATIO,
    ),
    PolicyDefinition(
        name="deposit_member_ratio_max", code="GRJCBLSX", label="个人缴存比例上限", group=Group.DEPOSITS,
        description="职工个人缴存住房公积金的最高比例，国家规定不超过 12%。",
        minimum=d("0.05"), maximum=d("0.12"), not_below="deposit_member_ratio_min",
        seeds=(Seed("0.12"),), **RATIO,
    ),
    PolicyDefinition(
        name="deposit_base_cap_multiple", label="缴存基数上限倍数", unit="倍", kind=Kind.DECIMAL, places=2,
        group=Group.DEPOSITS,
        description="缴存基数不得高于本市上年度职工月平均工资的倍数。",
        minimum=d("1"), maximum=d("5"), seeds=(Seed("3"),),
    ),
    PolicyDefinition(
        name="average_monthly_wage", label="上年度职工月平均工资", group=Group.DEPOSITS,
        description="本市上年度城镇非私营单位在岗职工月平均工资，用于计算缴存基数上限。示范值。",
        minimum=d("1000"), maximum=d("100000"), seeds=(Seed("7500.00", note=DEMO_NOTE),), **MONEY,
    ),
    PolicyDefinition(
        name="minimum_monthly_wage", label="最低月工资标准", group=Group.DEPOSITS,
        description="本市最低月工资标准，缴存基数不得低于此数。示范值。",
        minimum=d("500"), maximum=d("10000"), seeds=(Seed("2100.00", note=DEMO_NOTE),), **MONEY,
    ),
    PolicyDefinition(
        name="deposit_rounding_unit", label="月缴存额舍入单位", unit=YUAN, kind=Kind.DECIMAL, places=2,
        group=Group.DEPOSITS,
        description="单位和个人月缴存额分别舍入到的单位：元或分。",
        choices=(("0.01", "分"), ("1", "元")), seeds=(Seed("1"),),
    ),
    PolicyDefinition(
        name="deposit_rounding_mode", label="月缴存额舍入方式", unit="", kind=Kind.CHOICE, group=Group.DEPOSITS,
        description="月缴存额舍入到上述单位的方式。",
        choices=ROUNDING_MODES, seeds=(Seed("half_up"),),
    ),
    PolicyDefinition(
        name="deposit_interest_rate", label="住房公积金存款年利率", group=Group.DEPOSITS,
        description="职工住房公积金账户存款利率（当年归集与上年结转统一），按积数计息，年利率 ÷ 360 为日利率。",
        seeds=(Seed("0.015", date(2016, 2, 21), "银发〔2016〕43号：职工住房公积金账户存款利率统一按一年期定期存款基准利率执行"),),
        **RATE,
    ),
    PolicyDefinition(
        name="new_member_start_offset_months", label="新职工起缴月份", unit="个月", kind=Kind.INTEGER,
        group=Group.DEPOSITS,
        description="新参加工作或新调入的职工，自开户后第几个月起缴存（1 即次月）。",
        minimum=d("0"), maximum=d("3"), seeds=(Seed("1"),),
    ),
    PolicyDefinition(
        name="voluntary_min_age", label="灵活就业人员最低年龄", unit="岁", kind=Kind.INTEGER, group=Group.DEPOSITS,
        description="个体工商户、自由职业者自愿缴存的最低年龄（含）。",
        minimum=d("16"), maximum=d("30"), seeds=(Seed("18"),),
    ),
    PolicyDefinition(
        name="voluntary_max_age_male", label="男性灵活就业人员年龄上限", unit="岁", kind=Kind.INTEGER,
        group=Group.DEPOSITS,
        description="男性自愿缴存人员开户时的年龄须低于此数（不含）。",
        minimum=d("40"), maximum=d("70"), seeds=(Seed("60"),),
    ),
    PolicyDefinition(
        name="voluntary_max_age_female", label="女性灵活就业人员年龄上限", unit="岁", kind=Kind.INTEGER,
        group=Group.DEPOSITS,
        description="女性自愿缴存人员开户时的年龄须低于此数（不含）。",
        minimum=d("40"), maximum=d("70"), seeds=(Seed("55"),),
    ),
    PolicyDefinition(
        name="voluntary_min_social_insurance_months", label="灵活就业人员本市社保缴纳月数", unit="个月",
        kind=Kind.INTEGER, group=Group.DEPOSITS,
        description="自愿缴存人员须在本市缴纳社会保险的最少月数。",
        minimum=d("0"), maximum=d("60"), seeds=(Seed("12"),),
    ),
    PolicyDefinition(
        name="deposit_deferral_max_months", label="缓缴/降比例最长期限", unit="个月", kind=Kind.INTEGER,
        group=Group.DEPOSITS,
        description="单位一次申请缓缴或降低缴存比例最长可覆盖的月数。",
        minimum=d("1"), maximum=d("36"), seeds=(Seed("12"),),
    ),
    PolicyDefinition(
        name="deposit_application_review_days", label="缓缴/降比例审批时限", unit="工作日", kind=Kind.INTEGER,
        group=Group.DEPOSITS,
        description="单位缓缴或降低缴存比例申请，自提交起完成初审、审批的工作日数。",
        minimum=d("1"), maximum=d("30"), seeds=(Seed("5"),),
    ),
    # ------------------------------------------------------------------ 提取 withdrawals
    PolicyDefinition(
        name="withdrawal_rent_cap_per_year", label="租房提取年度限额", group=Group.WITHDRAWALS,
        description="无房职工租房提取每年最高金额。",
        minimum=d("0"), maximum=d("200000"), seeds=(Seed("18000.00"),), **MONEY,
    ),
    PolicyDefinition(
        name="withdrawal_rent_min_deposit_months", label="租房提取最少缴存月数", unit="个月", kind=Kind.INTEGER,
        group=Group.WITHDRAWALS,
        description="申请租房提取前须连续足额缴存的最少月数。",
        minimum=d("0"), maximum=d("60"), seeds=(Seed("3"),),
    ),
    PolicyDefinition(
        name="withdrawal_purchase_window_months", label="购房提取时限", unit="个月", kind=Kind.INTEGER,
        group=Group.WITHDRAWALS,
        description="购房合同签订（或契税缴纳）后多少个月内可申请购房提取。",
        minimum=d("1"), maximum=d("60"), seeds=(Seed("12"),),
    ),
    PolicyDefinition(
        name="withdrawal_same_home_months", label="同一住房再次提取间隔", unit="个月", kind=Kind.INTEGER,
        group=Group.WITHDRAWALS,
        description="同一套住房在此月数内不得重复用于购房提取。",
        minimum=d("0"), maximum=d("120"), seeds=(Seed("12"),),
    ),
    PolicyDefinition(
        name="withdrawal_repeat_months", label="同一原因再次提取间隔", unit="个月", kind=Kind.INTEGER,
        group=Group.WITHDRAWALS,
        description="偿还贷款（一次性）、大病医疗、最低生活保障、离职等原因，同一账户在此月数内只能办理一次。",
        minimum=d("1"), maximum=d("60"), seeds=(Seed("12"),),
    ),
    PolicyDefinition(
        name="withdrawal_unemployed_months", label="离职未再就业提取等待期", unit="个月", kind=Kind.INTEGER,
        group=Group.WITHDRAWALS,
        description="与单位终止劳动关系且未再就业满此月数，方可申请提取。",
        minimum=d("1"), maximum=d("24"), seeds=(Seed("6"),),
    ),
    PolicyDefinition(
        name="withdrawal_review_days", label="提取人工审核时限", unit="工作日", kind=Kind.INTEGER,
        group=Group.WITHDRAWALS,
        description="未通过秒批规则转人工审核（初审、审批）的提取申请，自受理起办结的工作日数。",
        minimum=d("1"), maximum=d("20"), seeds=(Seed("3"),),
    ),
    # ------------------------------------------------------------------ 付款 outgoing payments (fund.payments)
    PolicyDefinition(
        name="payment_attempts_max", label="付款自动尝试次数", unit="次", kind=Kind.INTEGER, group=Group.PAYMENTS,
        description="银行拒绝付款后系统自动重试，连同首次共尝试的次数；用完仍未成功的转人工处理。",
        minimum=d("1"), maximum=d("10"), seeds=(Seed("3"),),
    ),
    PolicyDefinition(
        name="payment_retry_minutes", label="付款失败首次重试间隔", unit="分钟", kind=Kind.INTEGER,
        group=Group.PAYMENTS,
        description="银行拒绝付款后，到系统自动发起下一次付款的间隔。",
        minimum=d("1"), maximum=d("1440"), seeds=(Seed("10"),),
    ),
    PolicyDefinition(
        name="payment_retry_factor", label="付款重试间隔倍数", unit="倍", kind=Kind.DECIMAL, places=1,
        group=Group.PAYMENTS,
        description="每再失败一次，下次重试间隔为上次的倍数（首次间隔 × 倍数^(失败次数−1)）。",
        minimum=d("1"), maximum=d("10"), seeds=(Seed("6"),),
    ),
    # ------------------------------------------------------------------ 贷款 loans
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
        name="loan_debit_retry_days", label="扣款失败重试天数", unit="天", kind=Kind.INTEGER, group=Group.LOANS,
        description="委托扣款失败的，自应还日起此天数内每日日终再次批量扣款；超过后转入逾期催收，由借款人主动还款。",
        minimum=d("0"), maximum=d("30"), seeds=(Seed("3"),),
    ),
    PolicyDefinition(
        name="loan_reminder_days", label="还款提醒提前天数", unit="天", kind=Kind.INTEGER, group=Group.LOANS,
        description="每期应还日前此天数，日终向借款人发送还款提醒短信（0 为不提醒）。",
        minimum=d("0"), maximum=d("15"), seeds=(Seed("3"),),
    ),
    PolicyDefinition(
        name="loan_prepay_min", label="部分提前还款最低金额", group=Group.LOANS,
        description="部分提前还款每次归还本金不得低于此数（提前结清不受此限）。",
        minimum=d("0"), maximum=d("1000000"), seeds=(Seed("10000.00"),), **MONEY,
    ),
    PolicyDefinition(
        name="loan_prepay_per_year", label="每年部分提前还款次数", unit="次", kind=Kind.INTEGER, group=Group.LOANS,
        description="每笔贷款每个自然年内可办理部分提前还款的最多次数（提前结清不受此限）。",
        minimum=d("1"), maximum=d("12"), seeds=(Seed("2"),),
    ),
    PolicyDefinition(
        name="loan_subsidy_ratio", label="贴息比例", group=Group.LOANS,
        description="符合贴息条件的贷款，每年按借款人当年已还利息的此比例退付贴息至还款账户。",
        minimum=d("0"), maximum=d("1.00"), seeds=(Seed("0.30", note=DEMO_NOTE),), **RATIO,
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
    # ------------------------------------------------------------------ 风控 risk
    PolicyDefinition(
        name="risk_blacklist_years", label="失信黑名单期限", unit="年", kind=Kind.INTEGER, group=Group.RISK,
        description="骗提骗贷等失信行为列入黑名单后，禁止办理贷款和提取的年数。",
        minimum=d("1"), maximum=d("10"), seeds=(Seed("5"),),
    ),
    PolicyDefinition(
        name="risk_blacklist_lift_days", label="黑名单解除审批时限", unit="工作日", kind=Kind.INTEGER,
        group=Group.RISK,
        description="申请解除黑名单记录后，由另一名风控岗人员或分管领导审批的工作日数。",
        minimum=d("1"), maximum=d("30"), seeds=(Seed("5"),),
    ),
    PolicyDefinition(
        name="risk_transfer_in_withdrawal_months", label="转入后提取预警期", unit="个月", kind=Kind.INTEGER,
        group=Group.RISK,
        description="账户转入后此月数内申请提取的，列入电子稽核预警。",
        minimum=d("0"), maximum=d("36"), seeds=(Seed("12"),),
    ),
    PolicyDefinition(
        name="risk_collection_visit_periods", label="上门催收起始逾期期数", unit="期", kind=Kind.INTEGER,
        group=Group.RISK,
        description="累计逾期达到此期数起，采取上门、联系单位和书面《逾期贷款通知单》催收。",
        minimum=d("1"), maximum=d("12"), not_above="risk_collection_legal_periods", seeds=(Seed("2"),),
    ),
    PolicyDefinition(
        name="risk_collection_legal_periods", label="移交法律诉讼逾期期数", unit="期", kind=Kind.INTEGER,
        group=Group.RISK,
        description="累计逾期达到此期数起，移交法律诉讼。",
        minimum=d("2"), maximum=d("36"), not_below="risk_collection_visit_periods", seeds=(Seed("6"),),
    ),
    PolicyDefinition(
        name="risk_collection_call_days", label="电话催收完成时限", unit="工作日", kind=Kind.INTEGER,
        group=Group.RISK,
        description="逾期贷款列入台账（逾期 1 期）或借款人未履行还款承诺后，清收岗完成电话催收的工作日数。",
        minimum=d("1"), maximum=d("10"), seeds=(Seed("1"),),
    ),
    PolicyDefinition(
        name="risk_collection_visit_days", label="上门催收完成时限", unit="工作日", kind=Kind.INTEGER,
        group=Group.RISK,
        description="进入上门催收阶段后，完成上门、联系单位和送达《逾期贷款通知单》的工作日数。",
        minimum=d("1"), maximum=d("30"), seeds=(Seed("5"),),
    ),
    PolicyDefinition(
        name="risk_collection_legal_days", label="法律诉讼移交时限", unit="工作日", kind=Kind.INTEGER,
        group=Group.RISK,
        description="进入法律诉讼阶段后，整理材料移交法律诉讼的工作日数。",
        minimum=d("1"), maximum=d("60"), seeds=(Seed("10"),),
    ),
    PolicyDefinition(
        name="risk_dormant_years", label="呆滞账户封存年限", unit="年", kind=Kind.INTEGER, group=Group.RISK,
        description="个人账户封存满此年数且期间无资金变动（年度结息除外）的，认定为呆滞账户，列入清理（株洲）。",
        minimum=d("1"), maximum=d("20"), seeds=(Seed("2"),),
    ),
    PolicyDefinition(
        name="risk_tier_attention_days", label="五级分类：关注起始逾期天数", unit="天", kind=Kind.INTEGER,
        group=Group.RISK,
        description="贷款逾期天数达到此数起分类为“关注”（此前为“正常”）。",
        minimum=d("1"), maximum=d("90"), not_above="risk_tier_substandard_days", seeds=(Seed("1"),),
    ),
    PolicyDefinition(
        name="risk_tier_substandard_days", label="五级分类：次级起始逾期天数", unit="天", kind=Kind.INTEGER,
        group=Group.RISK,
        description="贷款逾期天数达到此数起分类为“次级”。",
        minimum=d("2"), maximum=d("360"), not_below="risk_tier_attention_days",
        not_above="risk_tier_doubtful_days", seeds=(Seed("91"),),
    ),
    PolicyDefinition(
        name="risk_tier_doubtful_days", label="五级分类：可疑起始逾期天数", unit="天", kind=Kind.INTEGER,
        group=Group.RISK,
        description="贷款逾期天数达到此数起分类为“可疑”。",
        minimum=d("3"), maximum=d("720"), not_below="risk_tier_substandard_days",
        not_above="risk_tier_loss_days", seeds=(Seed("181"),),
    ),
    PolicyDefinition(
        name="risk_tier_loss_days", label="五级分类：损失起始逾期天数", unit="天", kind=Kind.INTEGER,
        group=Group.RISK,
        description="贷款逾期天数达到此数起分类为“损失”。",
        minimum=d("4"), maximum=d("1800"), not_below="risk_tier_doubtful_days", seeds=(Seed("361"),),
    ),
    PolicyDefinition(
        name="risk_credit_notice_days", label="征信不良信息告知逾期天数", unit="天", kind=Kind.INTEGER,
        group=Group.RISK,
        description="贷款逾期天数达到此数时，日终向借款人发送征信不良信息告知短信并登记（每笔贷款每次逾期告知一次），"
                    "告知后方可向征信系统报送逾期信息。",
        minimum=d("1"), maximum=d("180"), seeds=(Seed("30"),),
    ),
    PolicyDefinition(
        name="risk_stopped_deposit_months", label="贷后停缴认定月数", unit="个月", kind=Kind.INTEGER,
        group=Group.RISK,
        description="贷款存续期间，借款人账户连续此月数没有缴存的，每月初列入贷后停缴名单（单位停缴的，单位可列入诚信黑名单）。",
        minimum=d("1"), maximum=d("24"), seeds=(Seed("3"),),
    ),
    PolicyDefinition(
        name="risk_ring_people", label="疑似团伙人数阈值", unit="人", kind=Kind.INTEGER, group=Group.RISK,
        description="关联图谱中，通过共用的证件、房屋、银行卡、电话等连在一起的申请，涉及无亲属关系的申请人超过此数的"
                    "（配偶、父母子女等同一家庭计为一人），列为疑似团伙。",
        minimum=d("2"), maximum=d("100"), seeds=(Seed("5"),),
    ),
    PolicyDefinition(
        name="risk_link_hub_people", label="关联标识共用人数上限", unit="人", kind=Kind.INTEGER,
        group=Group.RISK,
        description="同一标识（如开发企业监管账户、大型中介的电话）被超过此数的不同申请人共用时，视为公共标识，"
                    "不据以连通关联图谱，只在计算记录中计数。",
        minimum=d("5"), maximum=d("10000"), seeds=(Seed("50"),),
    ),
    # ------------------------------------------------------------------ 便民服务 appointments (fund.appointments)
    PolicyDefinition(
        name="appointments_days_ahead", label="可提前预约天数", unit="天", kind=Kind.INTEGER, group=Group.SERVICE,
        description="职工和单位可预约今天起此天数内（含）的服务时段。",
        minimum=d("1"), maximum=d("60"), seeds=(Seed("14"),),
    ),
    PolicyDefinition(
        name="appointments_no_show_limit", label="爽约次数上限", unit="次", kind=Kind.INTEGER, group=Group.SERVICE,
        description="在“爽约统计天数”内爽约达到此次数的，暂停网上预约（见“爽约暂停预约天数”）。",
        minimum=d("1"), maximum=d("20"), seeds=(Seed("3"),),
    ),
    PolicyDefinition(
        name="appointments_no_show_window_days", label="爽约统计天数", unit="天", kind=Kind.INTEGER,
        group=Group.SERVICE,
        description="统计爽约次数的天数：最近一次爽约之前此天数内（含当天）的爽约合并计数。",
        minimum=d("7"), maximum=d("365"), seeds=(Seed("90"),),
    ),
    PolicyDefinition(
        name="appointments_block_days", label="爽约暂停预约天数", unit="天", kind=Kind.INTEGER, group=Group.SERVICE,
        description="爽约达到上限的，自最近一次爽约次日起此天数内不能网上预约（仍可到窗口取号办理）。",
        minimum=d("1"), maximum=d("180"), seeds=(Seed("30"),),
    ),
    # ------------------------------------------------------------------ 好差评 ratings (fund.ratings)
    PolicyDefinition(
        name="rating_bad_stars", label="差评认定星级", unit="星", kind=Kind.INTEGER, group=Group.SERVICE,
        description="办件评价为此星级及以下的（共五星）认定为差评，自动生成差评整改任务交办件所属管理部。",
        minimum=d("1"), maximum=d("3"), seeds=(Seed("2"),),
    ),
    PolicyDefinition(
        name="rating_followup_days", label="差评整改时限", unit="工作日", kind=Kind.INTEGER, group=Group.SERVICE,
        description="差评整改任务生成后，管理部核实、整改并回访评价人的工作日数。",
        minimum=d("1"), maximum=d("30"), seeds=(Seed("5"),),
    ),
    PolicyDefinition(
        name="rating_invite_days", label="办件评价有效期", unit="天", kind=Kind.INTEGER, group=Group.SERVICE,
        description="办件办结后此天数内，申请人可在网厅“待评价”或通过短信评价链接评价（每件一次）。",
        minimum=d("1"), maximum=d("90"), seeds=(Seed("15"),),
    ),
    # ------------------------------------------------------------------ 便民服务 service: 12329 tickets (fund.tickets)
    *(
        PolicyDefinition(
            name=f"ticket_days_{key}", label=f"工单答复时限：{label}", unit="工作日", kind=Kind.INTEGER,
            group=Group.SERVICE,
            description=f"{label}类工单（12329热线、网上、来信）自登记之日起答复的工作日数（法定节假日不计，调休上班日计入）。",
            minimum=d("1"), maximum=d("30"), seeds=(Seed(days),),
        )
        for key, label, days in (("consult", "咨询", "3"), ("help", "求助", "3"), ("complaint", "投诉", "5"),
                                 ("suggestion", "建议", "10"), ("report", "举报", "10"), ("praise", "表扬", "5"))
    ),
    PolicyDefinition(
        name="ticket_remind_days", label="工单到期提醒提前工作日数", unit="工作日", kind=Kind.INTEGER,
        group=Group.SERVICE,
        description="工单未答复、距答复期限不超过此工作日数时，日终提醒责任人（站内提醒，登记了手机号码的同时发短信）；0 为期限当天提醒。",
        minimum=d("0"), maximum=d("10"), seeds=(Seed("1"),),
    ),
)

BY_NAME: dict[str, PolicyDefinition] = {d.name: d for d in DEFINITIONS}
BY_CODE: dict[str, PolicyDefinition] = {d.code: d for d in DEFINITIONS if d.code}


def definition_find(name: str) -> PolicyDefinition | None:
    """The definition for a key ("loan_cap_single") or a standard code ("GRZFDKZGED"), or None."""
    return BY_NAME.get(name) or BY_CODE.get(name.upper() if isinstance(name, str) else name)
