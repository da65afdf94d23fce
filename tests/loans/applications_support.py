"""What the loan application tests share: a valid form for each home kind, and the materials the window ticks."""

from typing import Any

from loans.catalogue import item_for


def second_hand_form(**overrides: Any) -> dict[str, Any]:
    """A second-hand home at 900 000, 200 000 asked over 20 years: within every limit of the `ln` borrower."""
    values: dict[str, Any] = dict(
        home_kind="second_hand", home_address="示范市幸福路8号3单元201室", certificate_number="鲁(2015)示范市不动产权第0001234号",
        price="900000.00", area="98.00", building_year=2010, seller_name="王卖方", seller_account="6217000000000000001",
        seller_bank="建设银行示范分行", monthly_income="12000.00", amount_requested="200000.00", term_months=240,
    )
    values.update(overrides)
    return values


def new_home_form(project: Any, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = dict(
        home_kind="new", project=project.pk, home_address="示范市北湖新区湖畔路88号2栋1502室",
        purchase_contract="WQ2026000123", price="1000000.00", area="110.00", monthly_income="12000.00",
        amount_requested="200000.00", term_months=240,
    )
    values.update(overrides)
    return values


def materials_for(home_kind: str, *, co: bool = False) -> list[str]:
    """Every paper material the window must tick for `home_kind` (the co-borrower's too when there is one)."""
    return [m.code for m in item_for(home_kind).paper_materials
            if not m.condition or (co and m.code.startswith("co_"))]


def bank_operator(bank: Any, username: str) -> Any:
    """An operator of another `bank` (act_for_bank); `ln.bank_op` is the loans world's own bank's."""
    from fund.demo import DEMO_PASSWORD
    from fund.people.services import operator_create

    return operator_create(actor=None, username=username, name="网点经办", password=DEMO_PASSWORD, bank=bank)


def buyer_world(ln: Any) -> Any:
    """The `ln` borrower's login (world.member_a holds ln.account)."""
    return ln.world.member_a
