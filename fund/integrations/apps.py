from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "fund.integrations"
    label = "integrations"
    verbose_name = "外部系统对接"

    def ready(self) -> None:
        from fund.audit.actions import register_audit_keys

        # The fields of what outside systems answer, as the staff page of a call shows them
        # (fund/integrations/views.py); a test walks every answer's fields.
        register_audit_keys({
            "account_number": "账号", "accepted_at": "受理时间", "payer_account": "付款账号", "payer_name": "付款人",
            "received_at": "到账时间", "start": "起始日期", "end": "截止日期", "transfers": "来账", "valid": "有效",
            "bank_name": "开户银行", "lender": "贷款机构", "for_housing": "住房贷款", "monthly_instalment": "月还款额",
            "overdue_count": "逾期次数", "report_number": "报告编号", "loans": "贷款", "acceptable": "符合要求",
            "repayment_history": "24个月还款状态", "settled_loans": "已结清贷款", "longest_run": "最长连续逾期月数",
            "remark": "说明", "sex": "性别", "birth_date": "出生日期", "alive": "在世", "death_date": "死亡日期",
            "hukou_city_code": "户籍地代码", "hukou_city_name": "户籍地", "hukou_local": "本市户籍", "parents": "父母",
            "children": "子女", "spouse_id_number": "配偶证件号码", "spouse_name": "配偶姓名", "since": "登记日期",
            "events": "婚姻登记记录", "other_id_number": "对方证件号码",
            "is_spouse": "是配偶", "address": "地址", "area": "面积（平方米）", "price": "价格", "registered_on": "登记日期",
            "in_city": "本市房产", "owner_id_numbers": "产权人证件号码", "mortgaged": "已抵押", "homes": "房产",
            "mortgage_number": "抵押登记号", "registered_at": "登记时间", "released_at": "注销时间",
            "months_local": "本市参保月数", "employer_credit_code": "参保单位信用代码", "employer_name": "参保单位",
            "retired": "已退休", "retirement_date": "退休日期", "buyer_id_number": "购房人证件号码",
            "buyer_name": "购房人", "seller_name": "售房方", "issued_on": "开票日期", "voucher_number": "完税凭证号",
            "tax_base": "计税金额", "tax_amount": "税额", "paid_on": "缴税日期", "payments": "缴税记录",
            "letter_number": "联系函编号", "status_message": "状态说明", "sent_at": "发送时间",
            "transferred_at": "划转时间", "to_centre": "转入中心", "to_centre_account": "转入中心账号",
            "to_account_number": "转入个人账号", "letters": "联系函",
            "batch_reference": "批次号", "items": "明细", "first": "前几笔（批量调用只记摘要）",
        })
