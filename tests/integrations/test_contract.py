"""One contract for both implementations: every operation of every outside system, called through the HTTP
client against a local gateway that answers as the sandbox does (tests/fake_gateway.py), sends the request
the gateway contract names and gives the same result, or the same error, as the sandbox for the same data.

Each case calls the sandbox first and the HTTP client second. Operations that change something are
idempotent by their reference (or harmless when repeated), so the HTTP call is the replay and must answer
exactly as the first call did; that is also the retry a real client makes after a lost answer.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone
from django.utils.module_loading import import_string
from fake_gateway import FakeGateway, fake_gateway, operations_of

from fund.demo import make_credit_code, make_id_number
from fund.integrations import IMPLEMENTATIONS, get_client
from fund.integrations import models as sandbox
from fund.integrations.bank import CollectionItem, sandbox_receive_transfer
from fund.integrations.base import IntegrationError, NotFound, Rejected, Result, Unavailable
from fund.integrations.models import IntegrationCall, LoanKind, MortgageKind
from fund.integrations.transfer import sandbox_incoming_letter, sandbox_transfer_out

pytestmark = pytest.mark.django_db

PARENT = make_id_number(birth=date(1962, 4, 2), seq=11)
ME = make_id_number(birth=date(1990, 3, 7), seq=12)
SPOUSE = make_id_number(birth=date(1991, 5, 6), seq=13, male=False)
CHILD = make_id_number(birth=date(2016, 8, 9), seq=14, male=False)
UNKNOWN = make_id_number(birth=date(1980, 1, 1), seq=15)
EMPLOYER = make_credit_code(4401)
CARD = "6217000010000000018"
UNIT_ACCOUNT = "37080012345678901"
NEW_CENTRE_ACCOUNT = "31001500100056000000"


@dataclass
class Records:
    """What the sandboxes hold for the cases, and the numbers the platform and registry gave out."""

    letter: str = ""  # ours, with the money sent by the other centre
    incoming: str = ""  # the other centre's, still to answer
    accepted: str = ""  # the other centre's, answered, waiting for our money
    mortgage: str = ""


@pytest.fixture
def records(db: Any) -> Records:
    for number, name, sex, birth in ((PARENT, "王父", "1", date(1962, 4, 2)), (ME, "王伟", "1", date(1990, 3, 7)),
                                     (SPOUSE, "李芳", "2", date(1991, 5, 6)), (CHILD, "王小", "2", date(2016, 8, 9))):
        sandbox.SandboxIdentity.objects.create(id_number=number, name=name, sex=sex, birth_date=birth,
                                       hukou_city_code="370800", hukou_city_name="示范市")
    sandbox.SandboxIdentity.objects.filter(id_number=PARENT).update(death_date=date(2024, 2, 29))
    sandbox.SandboxHouseholdRelation.objects.create(parent_id_number=PARENT, child_id_number=ME)
    sandbox.SandboxHouseholdRelation.objects.create(parent_id_number=ME, child_id_number=CHILD)
    sandbox.SandboxMarriage.objects.create(party_a=ME, party_b=SPOUSE, married_on=date(2015, 10, 1))
    sandbox.SandboxMarriage.objects.create(party_a=ME, party_b=make_id_number(birth=date(1990, 9, 9), seq=16, male=False),
                                           married_on=date(2012, 5, 1), ended_on=date(2014, 3, 1), ended_by="divorce")
    sandbox.SandboxHome.objects.create(certificate_number="鲁(2020)示范市不动产权第0012345号", owner_id_numbers=[ME, SPOUSE],
                               address="示范市幸福路12号3单元501", city_code="370800", area=Decimal("98.76"),
                               price=Decimal("876543.21"), registered_on=date(2020, 6, 30))
    sandbox.SandboxHome.objects.create(certificate_number="京(2019)朝阳区不动产权第0000001号", owner_id_numbers=[ME],
                               address="北京市朝阳区某路1号", city_code="110105", area=Decimal("45.00"),
                               price=Decimal("3000000.00"), registered_on=date(2019, 1, 2))
    sandbox.SandboxInvoice.objects.create(invoice_number="03700000123", buyer_id_number=ME, buyer_name="王伟",
                                  seller_name="示范市安居置业有限公司", amount=Decimal("876543.21"),
                                  issued_on=date(2020, 6, 1), address="示范市幸福路12号3单元501")
    for voucher, paid in (("QS001", date(2020, 6, 8)), ("QS002", date(2023, 3, 1))):
        sandbox.SandboxDeedTax.objects.create(voucher_number=voucher, taxpayer_id_number=ME, address="示范市幸福路12号",
                                      tax_base=Decimal("876543.21"), tax_amount=Decimal("13148.15"), paid_on=paid)
    sandbox.SandboxSocialInsurance.objects.create(id_number=ME, months_local=123, employer_credit_code=EMPLOYER,
                                          employer_name="示范市第一机械厂", retired_on=date(2050, 3, 31))
    report = sandbox.SandboxCreditReport.objects.create(id_number=ME, report_number="R2026000001", acceptable=False,
                                                remark="有逾期记录")
    sandbox.SandboxCreditLoan.objects.create(report=report, lender="建设银行示范分行", kind=LoanKind.COMMERCIAL,
                                     monthly_instalment=Decimal("3520.45"), balance=Decimal("586000.10"),
                                     overdue_count=2, repayment_history="NNNNNNNN1NNNNNN12NNNNNNN")
    sandbox.SandboxCreditLoan.objects.create(report=report, lender="工商银行示范分行", kind=LoanKind.FUND, settled=True,
                                     monthly_instalment=Decimal("0.00"), balance=Decimal("0.00"),
                                     repayment_history="//////NNNNNNNNNNNNNNNNNC")
    sandbox.SandboxCreditLoan.objects.create(report=report, lender="某消费金融公司", kind=LoanKind.OTHER, for_housing=False,
                                     monthly_instalment=Decimal("300.00"), balance=Decimal("1200.00"))
    sandbox.SandboxBankAccount.objects.create(account_number=CARD, name="王伟", holder_id=ME, bank_name="建设银行",
                                      balance=Decimal("1000.00"))
    sandbox.SandboxBankAccount.objects.create(account_number=UNIT_ACCOUNT, name="示范市第一机械厂", holder_id=EMPLOYER,
                                      bank_name="工商银行", balance=Decimal("900000.00"))
    today = timezone.localdate()
    sandbox_receive_transfer(payer_account=UNIT_ACCOUNT, payer_name="示范市第一机械厂", amount=Decimal("12345.67"),
                             reference="HJ202601000001",
                             received_at=timezone.make_aware(datetime.combine(today, datetime.min.time()))
                             + timedelta(hours=9, microseconds=123456))

    platform = get_client("transfer")
    r = Records()
    r.letter = platform.send_letter(id_number=ME, name="王伟", from_centre="上海市住房公积金管理中心",
                                    to_account_number="000012345678", reference="ZR-0001").letter_number
    sandbox_transfer_out(letter_number=r.letter, principal=Decimal("50000.01"), interest=Decimal("123.45"))
    r.incoming = sandbox_incoming_letter(id_number=SPOUSE, name="李芳", to_account_number="310000999").letter_number
    r.accepted = sandbox_incoming_letter(id_number=CHILD, name="王小", to_centre_account=NEW_CENTRE_ACCOUNT,
                                         to_account_number="310000998").letter_number
    platform.reply(letter_number=r.accepted, accept=True)
    get_client("bank").payout(card_number=CARD, name="王伟", amount=Decimal("10.00"), reference="TQ-0000-1")
    get_client("bank").collect_batch(batch_reference="PLKK20260419", items=[
        CollectionItem(reference="DK202604191", account_number=CARD, name="王伟", amount=Decimal("1.00"))])
    r.mortgage = get_client("property").register_mortgage(
        certificate_number="鲁(2020)示范市不动产权第0012345号", kind=MortgageKind.PRE, mortgagee="示范市住房公积金管理中心",
        amount=Decimal("400000.00"), reference="DK-0001",
    ).mortgage_number
    return r


@pytest.fixture
def gateway() -> Iterator[FakeGateway]:
    with fake_gateway() as gw:
        yield gw


@dataclass(frozen=True)
class Case:
    system: str
    operation: str
    arguments: Callable[[Records], dict[str, Any]]
    body: Callable[[Records], dict[str, Any]]  # the JSON the gateway must receive, written out by hand
    idempotency_key: str = ""
    label: str = ""

    @property
    def id(self) -> str:
        return f"{self.system}.{self.operation}{'-' + self.label if self.label else ''}"


def same(arguments: dict[str, Any]) -> Callable[[Records], dict[str, Any]]:
    return lambda r: arguments


def yesterday_to_today(records: Records) -> dict[str, Any]:
    """The period of incoming transfers, read when the case runs (the suite runs on any date), never at import."""
    today = timezone.localdate()
    return {"start": today - timedelta(days=1), "end": today}


def yesterday_to_today_on_the_wire(records: Records) -> dict[str, Any]:
    return {key: day.isoformat() for key, day in yesterday_to_today(records).items()}


CASES = [
    Case("identity", "lookup", same({"id_number": ME}), same({"id_number": ME})),
    Case("identity", "lookup", same({"id_number": PARENT}), same({"id_number": PARENT}), label="dead"),
    Case("identity", "family", same({"id_number": ME}), same({"id_number": ME})),
    Case("marriage", "status", same({"id_number": ME}), same({"id_number": ME})),
    Case("marriage", "status", same({"id_number": UNKNOWN}), same({"id_number": UNKNOWN}), label="single"),
    Case("marriage", "history", same({"id_number": ME}), same({"id_number": ME})),
    Case("marriage", "history", same({"id_number": UNKNOWN}), same({"id_number": UNKNOWN}), label="none"),
    Case("property", "homes", same({"id_number": ME}), same({"id_number": ME})),
    Case("property", "homes", same({"id_number": UNKNOWN}), same({"id_number": UNKNOWN}), label="none"),
    Case("property", "register_mortgage",
         same({"certificate_number": "鲁(2020)示范市不动产权第0012345号", "kind": MortgageKind.PRE,
               "mortgagee": "示范市住房公积金管理中心", "amount": Decimal("400000.00"), "reference": "DK-0001"}),
         same({"certificate_number": "鲁(2020)示范市不动产权第0012345号", "kind": "pre",
               "mortgagee": "示范市住房公积金管理中心", "amount": "400000.00", "reference": "DK-0001"}),
         idempotency_key="DK-0001"),
    Case("property", "register_pre_mortgage",
         same({"purchase_contract": "WQ2026-000123", "owner_id_numbers": [ME, SPOUSE], "address": "示范市湖畔路88号2-1-301",
               "mortgagee": "示范市住房公积金管理中心", "amount": Decimal("500000.00"), "reference": "DK-0003"}),
         same({"purchase_contract": "WQ2026-000123", "owner_id_numbers": [ME, SPOUSE], "address": "示范市湖畔路88号2-1-301",
               "mortgagee": "示范市住房公积金管理中心", "amount": "500000.00", "reference": "DK-0003"}),
         idempotency_key="DK-0003"),
    Case("property", "release_mortgage", lambda r: {"mortgage_number": r.mortgage},
         lambda r: {"mortgage_number": r.mortgage}),
    Case("tax", "invoice", same({"invoice_number": "03700000123"}), same({"invoice_number": "03700000123"})),
    Case("tax", "deed_tax", same({"id_number": ME}), same({"id_number": ME})),
    Case("social_insurance", "record", same({"id_number": ME}), same({"id_number": ME})),
    Case("social_insurance", "record", same({"id_number": UNKNOWN}), same({"id_number": UNKNOWN}), label="never"),
    Case("credit", "report", same({"id_number": ME}), same({"id_number": ME})),
    Case("credit", "report", same({"id_number": UNKNOWN}), same({"id_number": UNKNOWN}), label="no-history"),
    Case("bank", "collect",
         same({"account_number": UNIT_ACCOUNT, "name": "示范市第一机械厂", "amount": Decimal("2345.60"),
               "reference": "HJ-0001", "purpose": "汇缴"}),
         same({"account_number": UNIT_ACCOUNT, "name": "示范市第一机械厂", "amount": "2345.60",
               "reference": "HJ-0001", "purpose": "汇缴"}),
         idempotency_key="HJ-0001"),
    Case("bank", "payout",
         same({"card_number": CARD, "name": "王伟", "amount": Decimal("800.05"), "reference": "TQ-0001-1",
               "purpose": "提取"}),
         same({"card_number": CARD, "name": "王伟", "amount": "800.05", "reference": "TQ-0001-1", "purpose": "提取"}),
         idempotency_key="TQ-0001-1"),
    Case("bank", "payout",
         same({"card_number": "6217000010000000026", "name": "王伟", "amount": Decimal("1.00"),
               "reference": "TQ-0002-1", "purpose": ""}),
         same({"card_number": "6217000010000000026", "name": "王伟", "amount": "1.00", "reference": "TQ-0002-1",
               "purpose": ""}),
         idempotency_key="TQ-0002-1", label="unknown-card"),
    Case("bank", "payment", same({"reference": "TQ-0000-1"}), same({"reference": "TQ-0000-1"})),
    Case("bank", "collect_batch",
         same({"batch_reference": "PLKK20260420", "purpose": "公积金贷款还款", "items": [
             CollectionItem(reference="DK202604201", account_number=CARD, name="王伟", amount=Decimal("1604.36")),
             CollectionItem(reference="DK202604202", account_number=CARD, name="李芳", amount=Decimal("10.00"))]}),
         same({"batch_reference": "PLKK20260420", "purpose": "公积金贷款还款", "items": [
             {"reference": "DK202604201", "account_number": CARD, "name": "王伟", "amount": "1604.36"},
             {"reference": "DK202604202", "account_number": CARD, "name": "李芳", "amount": "10.00"}]}),
         idempotency_key="PLKK20260420"),
    Case("bank", "collect_batch_result", same({"batch_reference": "PLKK20260419"}),
         same({"batch_reference": "PLKK20260419"})),
    Case("bank", "incoming_transfers", yesterday_to_today, yesterday_to_today_on_the_wire),
    Case("bank", "verify_account", same({"account_number": CARD, "name": "王伟", "holder_id": ME}),
         same({"account_number": CARD, "name": "王伟", "holder_id": ME})),
    Case("bank", "verify_account", same({"account_number": CARD, "name": "李芳", "holder_id": ""}),
         same({"account_number": CARD, "name": "李芳", "holder_id": ""}), label="other-name"),
    Case("bank", "verify_account", same({"account_number": "6217000010000000026", "name": "王伟", "holder_id": ""}),
         same({"account_number": "6217000010000000026", "name": "王伟", "holder_id": ""}), label="unknown"),
    Case("transfer", "send_letter",
         same({"id_number": ME, "name": "王伟", "from_centre": "上海市住房公积金管理中心",
               "to_account_number": "000012345678", "reference": "ZR-0001", "from_account_number": ""}),
         same({"id_number": ME, "name": "王伟", "from_centre": "上海市住房公积金管理中心",
               "to_account_number": "000012345678", "reference": "ZR-0001", "from_account_number": ""}),
         idempotency_key="ZR-0001"),
    Case("transfer", "status", lambda r: {"letter_number": r.letter}, lambda r: {"letter_number": r.letter}),
    Case("transfer", "funds", lambda r: {"letter_number": r.letter}, lambda r: {"letter_number": r.letter}),
    Case("transfer", "confirm", lambda r: {"letter_number": r.letter}, lambda r: {"letter_number": r.letter}),
    Case("transfer", "incoming_letters", same({}), same({})),
    Case("transfer", "reply", lambda r: {"letter_number": r.incoming, "accept": False, "reason": "账户有未结清贷款"},
         lambda r: {"letter_number": r.incoming, "accept": False, "reason": "账户有未结清贷款"}),
    Case("transfer", "funds_sent",
         lambda r: {"letter_number": r.accepted, "principal": Decimal("1000.00"), "interest": Decimal("1.23"),
                    "bank_serial": "ZJ0000000001"},
         lambda r: {"letter_number": r.accepted, "principal": "1000.00", "interest": "1.23",
                    "bank_serial": "ZJ0000000001"}),
]


def without_call_id(result: Result) -> Result:
    return dataclasses.replace(result, call_id=None)


def assert_same_types(got: Any, expected: Any, where: str = "result") -> None:
    """Equal values are not enough: a status must come back as its enum, an amount as a Decimal, a list of
    loans as a tuple of the loan dataclass, as the sandbox gives them."""
    assert type(got) is type(expected), f"{where}: {type(got).__name__} ≠ {type(expected).__name__}"
    if dataclasses.is_dataclass(expected):
        for f in dataclasses.fields(expected):
            assert_same_types(getattr(got, f.name), getattr(expected, f.name), f"{where}.{f.name}")
    elif isinstance(expected, tuple | list):
        assert len(got) == len(expected), where
        for i, (g, e) in enumerate(zip(got, expected, strict=True)):
            assert_same_types(g, e, f"{where}[{i}]")


def over_http(gateway: FakeGateway, **more: Any) -> Any:
    return override_settings(FUND_INTEGRATIONS="http", FUND_INTEGRATIONS_HTTP_BASE=gateway.base_url, **more)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_the_http_client_sends_the_contracts_request_and_gets_what_the_sandbox_answers(case, records, gateway):
    arguments = case.arguments(records)
    expected = getattr(get_client(case.system), case.operation)(**arguments)

    with over_http(gateway):
        client = get_client(case.system)
        got = getattr(client, case.operation)(**arguments)

    assert client.backend == "http" and gateway.errors == []
    (request,) = gateway.received
    assert (request.method, request.path) == ("POST", f"/gw/{case.system}/{case.operation}")
    assert request.body == case.body(records)
    assert request.headers["Content-Type"] == "application/json; charset=utf-8"
    assert request.headers["Accept"] == "application/json"
    assert request.headers.get("Idempotency-Key", "") == case.idempotency_key
    assert without_call_id(got) == without_call_id(expected)
    assert_same_types(got, expected)
    call = IntegrationCall.objects.get(pk=got.call_id)
    assert (call.system, call.operation, call.backend, call.ok) == (case.system, case.operation, "http", True)


def test_every_operation_of_every_system_has_a_contract_case():
    declared = {(system, name) for system, paths in IMPLEMENTATIONS.items()
                for name in operations_of(import_string(paths["http"]))}
    assert declared == {(c.system, c.operation) for c in CASES} | {("sms", "send")}
    for paths in IMPLEMENTATIONS.values():  # and both sides implement the same operations
        assert set(operations_of(import_string(paths["sandbox"]))) == set(operations_of(import_string(paths["http"])))


def test_a_text_message_is_sent_through_the_gateway_as_the_sandbox_sends_it(records, gateway):
    expected = get_client("sms").send(phone="13800000001", text="您的验证码是 123456")
    with over_http(gateway):
        got = get_client("sms").send(phone="13800000001", text="您的验证码是 123456")

    (request,) = gateway.received
    assert (request.path, request.body) == ("/gw/sms/send", {"phone": "13800000001", "text": "您的验证码是 123456"})
    assert "Idempotency-Key" not in request.headers
    assert_same_types(got, expected)
    assert got.message_id and got.message_id != expected.message_id  # each send is a message of its own
    assert sandbox.SandboxSms.objects.filter(message_id=got.message_id, phone="13800000001").exists()
    assert "123456" not in str(IntegrationCall.objects.get(pk=got.call_id).request)  # the code stays out of the log


def test_a_text_message_the_gateway_would_refuse_is_refused_before_it_is_sent(gateway):
    with pytest.raises(Rejected) as sandbox_error:
        get_client("sms").send(phone="12345", text="你好")
    with over_http(gateway), pytest.raises(Rejected) as http_error:
        get_client("sms").send(phone="12345", text="你好")
    assert http_error.value.message == sandbox_error.value.message and gateway.received == []


ERRORS: list[tuple[str, str, str, Callable[[Records], dict[str, Any]], type[IntegrationError]]] = [
    ("unknown-person", "identity", "lookup", same({"id_number": UNKNOWN}), NotFound),
    ("unknown-invoice", "tax", "invoice", same({"invoice_number": "99999999"}), NotFound),
    ("unknown-certificate", "property", "register_mortgage",
     same({"certificate_number": "无此证", "kind": MortgageKind.MORTGAGE, "mortgagee": "中心",
           "amount": Decimal("1.00"), "reference": "DK-0404"}), NotFound),
    ("mortgaged-twice", "property", "register_mortgage",
     same({"certificate_number": "鲁(2020)示范市不动产权第0012345号", "kind": MortgageKind.PRE, "mortgagee": "中心",
           "amount": Decimal("1.00"), "reference": "DK-0002"}), Rejected),
    ("no-certificate-yet", "property", "register_mortgage",
     same({"certificate_number": "", "kind": MortgageKind.MORTGAGE, "mortgagee": "中心",
           "amount": Decimal("1.00"), "reference": "DK-0405"}), NotFound),
    ("unknown-mortgage", "property", "release_mortgage", same({"mortgage_number": "无此号"}), NotFound),
    ("unknown-payment", "bank", "payment", same({"reference": "NO-SUCH"}), NotFound),
    ("reference-reused", "bank", "payout",
     same({"card_number": CARD, "name": "王伟", "amount": Decimal("99.00"), "reference": "TQ-0000-1"}), Rejected),
    ("unknown-batch", "bank", "collect_batch_result", same({"batch_reference": "PLKK19990101"}), NotFound),
    ("batch-reference-reused", "bank", "collect_batch",
     same({"batch_reference": "PLKK20260421", "items": [
         CollectionItem(reference="DK202604191", account_number=CARD, name="王伟", amount=Decimal("2.00"))]}),
     Rejected),
    ("zero-collection", "bank", "collect",
     same({"account_number": UNIT_ACCOUNT, "name": "示范市第一机械厂", "amount": Decimal("0.00"),
           "reference": "HJ-0000"}), Rejected),
    ("unknown-letter", "transfer", "status", same({"letter_number": "ZY000"}), NotFound),
    ("no-funds-yet", "transfer", "funds", lambda r: {"letter_number": r.incoming}, NotFound),
    ("opposite-reply", "transfer", "reply", lambda r: {"letter_number": r.accepted, "accept": False, "reason": "x"},
     Rejected),
    ("letter-reference-reused", "transfer", "send_letter",
     same({"id_number": SPOUSE, "name": "李芳", "from_centre": "上海", "to_account_number": "1",
           "reference": "ZR-0001"}), Rejected),
]


@pytest.mark.parametrize(("label", "system", "operation", "arguments", "error"), ERRORS, ids=[e[0] for e in ERRORS])
def test_the_http_client_raises_what_the_sandbox_raises(label, system, operation, arguments, error, records, gateway):
    kwargs = arguments(records)
    with pytest.raises(error) as sandbox_error:
        getattr(get_client(system), operation)(**kwargs)
    with over_http(gateway), pytest.raises(IntegrationError) as http_error:
        getattr(get_client(system), operation)(**kwargs)

    assert type(http_error.value) is error and gateway.errors == []
    assert http_error.value.message == sandbox_error.value.message
    assert [r.path for r in gateway.received] == [f"/gw/{system}/{operation}"]
    call = IntegrationCall.objects.get(pk=http_error.value.call_id)
    assert (call.backend, call.ok, call.error) == ("http", False, sandbox_error.value.message)


# ---- the gateway misbehaving: every way is "unavailable", the error callers already treat as down --------

ONE_PER_SYSTEM = list({c.system: c for c in CASES if not c.label}.values())


@pytest.mark.parametrize("case", ONE_PER_SYSTEM, ids=lambda c: c.system)
@pytest.mark.parametrize("status", [500, 502, 503])
def test_a_gateway_error_status_is_unavailable_for_every_system(case, status, records, gateway):
    gateway.fail_next(status=status, body=b"<html>Bad Gateway</html>")
    with over_http(gateway), pytest.raises(Unavailable, match=f"HTTP {status}") as exc:
        getattr(get_client(case.system), case.operation)(**case.arguments(records))
    call = IntegrationCall.objects.get(pk=exc.value.call_id)
    assert (call.system, call.backend, call.ok) == (case.system, "http", False)


BROKEN_ANSWERS = {
    "not-json": (200, b"<html>ok</html>", None),
    "not-an-object": (200, b'["ok"]', None),
    "ok-without-data": (200, b'{"ok": true}', None),
    "a-field-missing": (200, '{"ok": true, "data": {"id_number": "X", "name": "张三"}}'.encode(), None),
    "a-field-of-the-wrong-kind": (200, b'{"ok": true, "data": {"id_number": "X", "name": "A", "sex": "1", '
                                      b'"birth_date": "yesterday", "alive": true, "death_date": null, '
                                      b'"hukou_city_code": "1", "hukou_city_name": "A", "hukou_local": true}}', None),
    "an-unknown-error-code": (200, '{"ok": false, "code": "busy", "message": "前置机繁忙"}'.encode(), None),
    "cut-off-mid-body": (200, b'{"ok": true, "data": {"id_', 500),
    "unknown-operation": (404, b"not found", None),
}


@pytest.mark.parametrize("answer", BROKEN_ANSWERS.values(), ids=BROKEN_ANSWERS.keys())
def test_an_answer_that_is_not_the_contracts_is_unavailable_and_logged(answer, records, gateway):
    status, body, declared = answer
    gateway.fail_next(status=status, body=body, declared_length=declared)
    with over_http(gateway), pytest.raises(Unavailable) as exc:
        get_client("identity").lookup(id_number=ME)
    assert not IntegrationCall.objects.get(pk=exc.value.call_id).ok


def test_a_gateway_that_does_not_answer_in_time_is_unavailable(records, gateway):
    gateway.hang_next()  # holds the answer until the test ends, so only the client's timeout ends the wait
    with over_http(gateway, FUND_INTEGRATIONS_HTTP_TIMEOUT=0.2), pytest.raises(Unavailable, match="暂时无法连接") as exc:
        get_client("bank").payout(card_number=CARD, name="王伟", amount=Decimal("1.00"), reference="TQ-0009-1")
    assert not IntegrationCall.objects.get(pk=exc.value.call_id).ok


def test_a_gateway_that_is_not_running_is_unavailable(records):
    with fake_gateway() as gone:
        base = gone.base_url
    with override_settings(FUND_INTEGRATIONS="http", FUND_INTEGRATIONS_HTTP_BASE=base):
        with pytest.raises(Unavailable, match="暂时无法连接"):
            get_client("credit").report(id_number=ME)
