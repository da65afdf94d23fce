"""Forms of the withdrawal pages. They only shape the input: every rule (amounts, cards, relations, inputs,
materials) is the services' to check, and their messages come back onto these fields by name."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms

from fund.audit.masking import mask_bank_card
from fund.money import format_money

from .models import Relation
from .reasons import Reason

MONEY_ATTRS = {"inputmode": "decimal", "placeholder": "0.00", "autocomplete": "off"}


def _input_field(spec: Any, loans: list[Any] | None) -> forms.Field:
    """A form field for one of the reason's own inputs (`reason.inputs`), kept in `Withdrawal.details`."""
    common = {"label": spec.label, "required": spec.required, "help_text": spec.help}
    if spec.name == "loan" and loans is not None:
        choices = [("", "按征信报告中的住房贷款办理")] if not spec.required else []
        choices += [(loan.key, loan.label) for loan in loans]
        return forms.ChoiceField(choices=choices, **common)
    if spec.kind == "choice":
        return forms.ChoiceField(choices=[("", "请选择"), *spec.choices], **common)
    if spec.kind == "date":
        return forms.CharField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if spec.kind == "money":
        return forms.CharField(max_length=20, widget=forms.TextInput(attrs=MONEY_ATTRS), **common)
    return forms.CharField(max_length=spec.max_length, **common)


class WithdrawalApplyForm(forms.Form):
    """One reason's application, for the personal hall (`window=False`) or the window (`window=True`).
    The fields follow the reason: its inputs, the relation when it may concern a relative, the heir for a
    death, the amount unless it closes the account."""

    client_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args: Any, reason: Reason, account: Any, window: bool = False,
                 loans: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reason, self.account, self.window = reason, account, window
        if not self.is_bound:
            self.initial.setdefault("client_token", uuid.uuid4().hex)
        self.input_names = [spec.name for spec in reason.inputs]
        for spec in reason.inputs:
            self.fields[spec.name] = _input_field(spec, loans)
        if reason.heirs:
            self.fields["other_name"] = forms.CharField(label="继承人姓名", max_length=60)
            self.fields["other_id_number"] = forms.CharField(label="继承人身份证号码", max_length=18)
        elif len(reason.relations) > 1:
            self.fields["relation"] = forms.ChoiceField(
                label="房屋所有人与您的关系", initial=Relation.SELF,
                choices=[(r, Relation(r).label) for r in reason.relations],
                help_text="为配偶、父母或子女名下的住房提取时，请填写其姓名和身份证号码",
            )
            self.fields["other_name"] = forms.CharField(label="关系人姓名", max_length=60, required=False)
            self.fields["other_id_number"] = forms.CharField(label="关系人身份证号码", max_length=18, required=False)
        if not reason.closes_account:
            self.fields["amount"] = forms.CharField(
                label="提取金额（元）", max_length=20, required=False, widget=forms.TextInput(attrs=MONEY_ATTRS),
                help_text="不填则按可提取的最高额办理",
            )
        card = mask_bank_card(account.bank_card) if account.bank_card else ""
        if reason.heirs:
            self.fields["payee_card"] = forms.CharField(label="继承人银行卡号", max_length=23)
        else:
            self.fields["payee_card"] = forms.CharField(
                label="收款银行卡号", max_length=23, required=not card,
                help_text=f"不填则转入账户绑定的银行卡 {card}" if card else "请填写本人名下的借记卡",
                widget=forms.TextInput(attrs={"placeholder": card or "", "inputmode": "numeric", "autocomplete": "off"}),
            )

    def service_kwargs(self) -> dict[str, Any]:
        """What `withdrawal_submit` takes from this form (the caller adds actor, account, channel, materials)."""
        data = self.cleaned_data
        return {
            "reason": self.reason.key,
            "amount": data.get("amount") or None,
            "relation": data.get("relation") or (Relation.HEIR if self.reason.heirs else Relation.SELF),
            "other_id_number": data.get("other_id_number", ""),
            "other_name": data.get("other_name", ""),
            "details": {name: data.get(name) for name in self.input_names if data.get(name) not in (None, "")},
            "payee_card": data.get("payee_card", ""),
            "client_token": data.get("client_token", ""),
        }


class AccountLookupForm(forms.Form):
    id_number = forms.CharField(label="身份证号码或个人账号", max_length=20,
                                widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}))


class ReviewForm(forms.Form):
    opinion = forms.CharField(label="审核意见", max_length=500, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}), help_text="不同意时必须填写")

    def __init__(self, *args: Any, with_amount: bool = False, proposed: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if with_amount:
            self.fields["amount"] = forms.CharField(
                label="核准金额（元）", max_length=20, required=False, widget=forms.TextInput(attrs=MONEY_ATTRS),
                help_text=f"不填则按可提取金额 {format_money(proposed)} 元" if proposed else "部分提取须填写核准金额",
            )


class StandingSignForm(forms.Form):
    loan = forms.ChoiceField(label="还款的住房贷款")
    payee_card = forms.CharField(label="还款银行卡号", max_length=23,
                                 help_text="贷款的还款账户；每月提取额转入此卡",
                                 widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    day = forms.IntegerField(label="每月提取日", min_value=1, max_value=28, initial=5,
                             help_text="1 至 28 日；当日或之后由系统自动提取当月还款额")

    def __init__(self, *args: Any, loans: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["loan"].choices = [(loan.key, loan.label) for loan in loans]


class StandingEndForm(forms.Form):
    reason = forms.CharField(label="终止原因", max_length=200, widget=forms.TextInput(attrs={"placeholder": "如：贷款已结清"}))
