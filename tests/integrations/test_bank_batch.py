"""The sandbox bank's batch collection (批量代扣): decided set-based per item, each item's reference an
idempotency key, the whole batch sent again answering as the first time and debiting nobody twice."""

from decimal import Decimal

import pytest

from fund.integrations import entrusted_bank
from fund.integrations.bank import CollectionItem
from fund.integrations.base import NotFound, Rejected
from fund.integrations.models import SandboxBankAccount

pytestmark = pytest.mark.django_db


def account(number: str, name: str, balance: str, *, frozen: bool = False) -> None:
    SandboxBankAccount.objects.create(account_number=number, name=name, balance=Decimal(balance), frozen=frozen)


def balance(number: str) -> Decimal:
    return SandboxBankAccount.objects.get(account_number=number).balance


def item(reference: str, number: str, name: str, amount: str) -> CollectionItem:
    return CollectionItem(reference=reference, account_number=number, name=name, amount=Decimal(amount))


def test_each_item_is_decided_and_a_batch_sent_again_debits_nobody_twice() -> None:
    account("6217001", "王伟", "1000.00")
    account("6217002", "李芳", "50.00")
    account("6217003", "张强", "5000.00", frozen=True)
    account("6217004", "赵敏", "300.00")
    items = [item("K1", "6217001", "王伟", "600.00"), item("K2", "6217002", "李芳", "60.00"),
             item("K3", "6217003", "张强", "10.00"), item("K4", "6217009", "钱多", "10.00"),
             item("K5", "6217004", "别人", "10.00"),
             item("K6", "6217001", "王伟", "500.00")]  # the same card again: 600 + 500 > 1000
    first = entrusted_bank().collect_batch(batch_reference="B1", items=items)
    assert [(o.reference, o.status, o.reason) for o in first.items] == [
        ("K1", "succeeded", ""), ("K2", "failed", "付款账户余额不足"), ("K3", "failed", "付款账户已冻结"),
        ("K4", "failed", "账号不存在"), ("K5", "failed", "户名与账号不符"), ("K6", "failed", "付款账户余额不足")]
    assert balance("6217001") == Decimal("400.00") and balance("6217002") == Decimal("50.00")
    again = entrusted_bank().collect_batch(batch_reference="B1", items=items)
    assert [(o.reference, o.status, o.bank_serial) for o in again.items] == [
        (o.reference, o.status, o.bank_serial) for o in first.items]
    assert balance("6217001") == Decimal("400.00")
    read = entrusted_bank().collect_batch_result(batch_reference="B1")
    assert sorted(o.reference for o in read.items) == ["K1", "K2", "K3", "K4", "K5", "K6"]
    assert read.succeeded_count == 1


def test_it_refuses_a_reference_reused_with_another_amount_and_debits_nothing() -> None:
    account("6217001", "王伟", "1000.00")
    entrusted_bank().collect_batch(batch_reference="B1", items=[item("K1", "6217001", "王伟", "100.00")])
    with pytest.raises(Rejected):
        entrusted_bank().collect_batch(batch_reference="B2", items=[
            item("K2", "6217001", "王伟", "100.00"), item("K1", "6217001", "王伟", "999.00")])
    assert balance("6217001") == Decimal("900.00")


def test_it_refuses_a_zero_amount_and_answers_not_found_for_an_unknown_batch() -> None:
    with pytest.raises(Rejected):
        entrusted_bank().collect_batch(batch_reference="B1", items=[item("K1", "6217001", "王伟", "0.00")])
    with pytest.raises(NotFound):
        entrusted_bank().collect_batch_result(batch_reference="B404")
