"""Forms of the loans pages. They only shape the input: the estimator's checks (loans.services.estimator) decide,
and their messages come back onto these fields by name."""

from __future__ import annotations

from typing import Any

from django import forms

from .models import HomeKind, HomeOrder, Product

MONEY_ATTRS = {"inputmode": "decimal", "placeholder": "0.00", "autocomplete": "off"}
YEAR_CHOICES = [(str(n), f"{n} 年") for n in range(1, 31)]


def _money(label: str, *, required: bool = True, help_text: str = "") -> forms.CharField:
    return forms.CharField(label=label, max_length=20, required=required, help_text=help_text,
                           widget=forms.TextInput(attrs=MONEY_ATTRS))


class _HomeFields(forms.Form):
    price = _money("房屋总价（元）")
    home_kind = forms.ChoiceField(label="房屋类型", choices=[("", "请选择"), *HomeKind.choices])
    building_year = forms.CharField(label="房屋建成年份", max_length=4, required=False, help_text="二手房必填",
                                    widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "如 2010"}))
    term_years = forms.ChoiceField(label="贷款期限", choices=YEAR_CHOICES, initial="20")
    monthly_income = _money("家庭月收入（元）", help_text="借款人及共同借款人的月收入合计")
    product = forms.ChoiceField(label="贷款品种", choices=Product.choices, initial=Product.ORDINARY)

    def raw(self) -> dict[str, Any]:
        """The submitted values as the estimator reads them (one value a field)."""
        return {name: self.data.get(name, "") for name in self.fields}


class EstimateForm(_HomeFields):
    """Everything typed in: the public estimator, and a developer's for a buyer."""

    home_order = forms.ChoiceField(label="首套/二套", choices=HomeOrder.choices, initial=HomeOrder.FIRST,
                                   help_text="申请时按不动产登记信息认定")
    id_number = forms.CharField(label="借款人身份证号码", max_length=18, required=False,
                                help_text="用于计算年龄与性别对应的最长期限，不保存",
                                widget=forms.TextInput(attrs={"autocomplete": "off"}))
    balance = _money("借款人公积金账户余额（元）", required=False)
    co_borrower_balances = forms.CharField(label="共同借款人账户余额（元）", max_length=120, required=False,
                                           help_text="有共同借款人时填写；多人用逗号分隔",
                                           widget=forms.TextInput(attrs=MONEY_ATTRS))
    monthly_debt = _money("现有月还款额（元）", required=False, help_text="其他贷款每月还款合计")
    conversion_balance = _money("原商业贷款余额（元）", required=False, help_text="商转公必填")


class MemberEstimateForm(_HomeFields):
    with_spouse = forms.BooleanField(label="配偶作为共同借款人", required=False)
