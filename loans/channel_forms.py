"""The loan application form of every channel's page (个人网厅, 开发企业, 受托银行网点, 综合窗口).

It only shapes the input: every value is text and `loans.services.applications.application_submit` checks it
and names the field in Chinese. What differs by channel is which parts are shown: the buyer's ID number and name
(a developer, an outlet, the window), the project (a developer: one of its admitted ones), the materials
checklist from the catalogue (the window and an outlet accept on the spot)."""

from __future__ import annotations

from typing import Any

from django import forms

from .catalogue import item_for
from .models import HomeKind, Product, Relation, RepaymentMethod

MONEY = {"inputmode": "decimal", "placeholder": "0.00", "autocomplete": "off"}
TERMS = [(str(n * 12), f"{n} 年（{n * 12} 个月）") for n in range(30, 0, -1)]
CO_ROWS = 2  # rows shown; the service allows up to MAX_CO_BORROWERS


def _text(label: str, *, required: bool = False, max_length: int = 200, help_text: str = "",
          attrs: dict[str, str] | None = None) -> forms.CharField:
    return forms.CharField(label=label, required=required, max_length=max_length, help_text=help_text,
                           error_messages={"required": f"请填写{label}",
                                           "max_length": f"{label}不能超过 {max_length} 个字符"},
                           widget=forms.TextInput(attrs=attrs or {"autocomplete": "off"}))


def _choice(label: str, choices: Any, *, initial: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=choices, initial=initial,
                             error_messages={"invalid_choice": f"请选择正确的{label}", "required": f"请选择{label}"})


class ApplicationForm(forms.Form):
    """Fields named as the service names them (its errors land on them); co-borrowers in numbered rows."""

    def __init__(self, *args: Any, kind: str, borrower: bool = False, projects: Any = None,
                 checklist: bool = False, project_required: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.item = item_for(kind)
        self.checklist = checklist
        f = self.fields
        if borrower:
            f["id_number"] = _text("借款人身份证号码", required=True, max_length=18)
            f["borrower_name"] = _text("借款人姓名", required=True, max_length=60)
        if projects is not None:
            f["project"] = forms.ModelChoiceField(
                label="楼盘", queryset=projects, required=project_required,
                empty_label="请选择楼盘（已准入）",
                error_messages={"required": "请选择购房人所购房屋的楼盘", "invalid_choice": "楼盘不存在或未准入"})
        f["home_address"] = _text("房屋坐落", required=True, help_text="楼栋、单元、室号写全，如 2号楼1单元1502室")
        if kind == HomeKind.NEW:
            f["purchase_contract"] = _text("购房合同/网签备案号", max_length=60)
        else:
            f["certificate_number"] = _text("不动产权证号", required=True, max_length=60)
        f["price"] = _text("房屋总价（元）", required=True, max_length=20, attrs=MONEY)
        f["area"] = _text("建筑面积（㎡）", max_length=20, attrs=MONEY)
        if kind == HomeKind.SECOND_HAND:
            f["building_year"] = _text("建成年份", required=True, max_length=4,
                                       attrs={"inputmode": "numeric", "placeholder": "如 2010"})
            f["seller_name"] = _text("收款人（售房人）", required=True, max_length=120)
            f["seller_account"] = _text("收款账号", required=True, max_length=40, attrs={"inputmode": "numeric"})
            f["seller_bank"] = _text("收款开户行", required=True, max_length=120)
            f["agent_name"] = _text("经纪机构", max_length=120, help_text="通过中介购买的填写中介机构名称")
        f["monthly_income"] = _text("家庭月收入（元）", required=True, max_length=20, attrs=MONEY,
                                    help_text="借款人及共同借款人的月收入合计")
        f["amount_requested"] = _text("申请金额（元）", required=True, max_length=20, attrs=MONEY)
        f["term_months"] = _choice("贷款期限", TERMS, initial="240")
        f["method"] = _choice("还款方式", RepaymentMethod.choices, initial=RepaymentMethod.EQUAL_INSTALMENT)
        f["product"] = _choice("贷款品种", Product.choices, initial=Product.ORDINARY)
        f["commercial_amount"] = _text("商业贷款部分（元）", max_length=20, attrs=MONEY, help_text="组合贷款填写")
        f["commercial_bank"] = _text("商业贷款银行", max_length=120, help_text="组合贷款、商转公填写")
        for i in range(1, CO_ROWS + 1):
            f[f"co{i}_id_number"] = _text(f"第{i}位共同借款人身份证号码", max_length=18)
            f[f"co{i}_name"] = _text(f"第{i}位共同借款人姓名", max_length=60)
            f[f"co{i}_relation"] = _choice(f"第{i}位共同借款人与借款人关系", [("", "—"), *Relation.choices])
            f[f"co{i}_relation"].required = False
            f[f"co{i}_income"] = _text(f"第{i}位共同借款人月收入（元）", max_length=20, attrs=MONEY)
        if checklist:
            f["materials"] = forms.MultipleChoiceField(
                label="已收材料", required=False, widget=forms.CheckboxSelectMultiple,
                choices=[(m.code, m.name + (f"（{m.condition}）" if m.condition else ""))
                         for m in self.item.paper_materials])

    # ---- what the page lays out, and what the service takes ------------------------------------------------

    def sections(self) -> list[tuple[str, list[Any]]]:
        names = list(self.fields)
        co = [n for n in names if n.startswith("co") and n[2:3].isdigit()]
        borrower = [n for n in ("id_number", "borrower_name") if n in self.fields]
        loan = ["monthly_income", "amount_requested", "term_months", "method", "product", "commercial_amount",
                "commercial_bank"]
        home = [n for n in names if n not in {*co, *borrower, *loan, "materials"}]
        out = [("借款人", borrower), ("房屋", home), ("贷款", loan), ("共同借款人（可不填）", co)]
        return [(title, [self[n] for n in group]) for title, group in out if group]

    def shared_materials(self) -> list[Any]:
        return list(self.item.shared_materials)

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        out = {name: data.get(name) for name in (
            "home_address", "certificate_number", "purchase_contract", "price", "area", "building_year",
            "seller_name", "seller_account", "seller_bank", "agent_name", "monthly_income", "amount_requested", "term_months",
            "method", "product", "commercial_amount", "commercial_bank") if name in self.fields}
        out["home_kind"] = self.kind
        project = data.get("project")
        if project is not None:
            out["project"] = project.pk
        return out

    def co_borrowers(self) -> list[dict[str, Any]]:
        """The rows with anything typed in: a half-filled row is the service's to refuse by name."""
        data = self.cleaned_data
        rows = []
        for i in range(1, CO_ROWS + 1):
            row = {"id_number": data.get(f"co{i}_id_number", ""), "name": data.get(f"co{i}_name", ""),
                   "relation": data.get(f"co{i}_relation", ""), "monthly_income": data.get(f"co{i}_income", "")}
            if any(str(v).strip() for v in row.values()):
                rows.append(row)
        return rows

    def materials(self) -> list[str]:
        return list(self.cleaned_data.get("materials") or [])


def kind_of(raw: Any, allowed: tuple[str, ...] = tuple(HomeKind.values)) -> str:
    """The home kind a page shows (its fields and checklist differ): from ?kind=, else the first allowed."""
    return raw if raw in allowed else allowed[0]
