"""The OpenAPI schema tells the truth: real answers, made as the users who make them (member, unit operator,
clerk, risk officer, a stranger), carry documented status codes and bodies that validate against the schema
(tests/api_contract.py). A client generated from /api/schema/ works against this server.

Covers every paginated list (documented as a page, not a bare array), months ("2026-12", not dates), the 4xx
answers (400 validation, 401 with its challenge, 403, 404, 415, 429), and a sweep of every operation in the
schema as each kind of user, so an endpoint added later is checked without a line here.
"""

import re
from datetime import date
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient
from stdnum import luhn

from deposits.services.accounts import monthly_deposit_post
from fund.api import MONTH_PATTERN
from fund.dates import add_months, first_of_month
from fund.demo import make_credit_code, make_id_number
from fund.integrations.models import SandboxBankAccount
from fund.people.models import Post
from tests.api_contract import Contract
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

# The lists the issue named, each answered one page at a time.
PAGINATED = [
    "/api/deposits/applications/", "/api/deposits/bills/", "/api/deposits/members/",
    "/api/deposits/members/{id}/events/", "/api/deposits/units/{id}/events/", "/api/deposits/members/{id}/statement/",
    "/api/deposits/units/", "/api/deposits/units/{id}/base-batches/", "/api/deposits/unit-requests/",
    "/api/risk/blacklist/", "/api/withdrawals/",
]


def this_month():
    """Read when a test runs, never at import (the suite passes on any date)."""
    return first_of_month(timezone.localdate())
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def _fresh_rates():
    """Sign-in and online-opening rates live in the cache; these tests sign in and apply more than they allow."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def contract(db: Any) -> Contract:
    return Contract.load()


def as_user(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def risk_officer(world: Any) -> Any:
    from fund.people.services import staff_create

    return staff_create(actor=None, username="risk", name="风控甲", branch=world.branch_a, posts=[Post.RISK],
                        employee_number="risk", password=PASSWORD, centre_wide=True)


# ---- what the schema says ----------------------------------------------------------------------------------

def _ref(schema: dict[str, Any]) -> str:
    return schema.get("$ref", "").rsplit("/", 1)[-1]


@pytest.mark.parametrize("template", PAGINATED)
def test_a_paginated_list_is_documented_as_a_page_not_a_bare_array(contract, template):
    answer = contract.operation("get", template)["responses"]["200"]["content"]["application/json"]["schema"]
    page = contract.document["components"]["schemas"][_ref(answer)]
    assert page["type"] == "object" and {"count", "results"} <= set(page["required"])
    assert page["properties"]["results"]["type"] == "array"
    assert "page" in [p["name"] for p in contract.operation("get", template).get("parameters", [])]


def test_no_month_is_documented_as_a_date(contract):
    """Every field named for a month (缴存年月, 缴至年月 …) is the "2026-12" string, in requests and answers."""
    months = {}
    for component, schema in contract.document["components"]["schemas"].items():
        for name, field in schema.get("properties", {}).items():
            if re.search(r"(^|_)month$|paid(_up)?_to$", name):
                months[f"{component}.{name}"] = field
    assert len(months) >= 12  # bills, lines, accounts, applications, adjustments, arrears, standing instructions
    wrong = {k: v for k, v in months.items() if v.get("format") == "date" or v.get("pattern") != MONTH_PATTERN}
    assert not wrong


def test_every_operation_documents_its_4xx_answers(contract):
    for template, item in contract.paths.items():
        for method, operation in item.items():
            codes = set(operation["responses"])
            assert "400" in codes, f"{method} {template}"
            if operation.get("security") and {} not in operation["security"]:
                assert {"401", "403", "404"} <= codes, f"{method} {template}"
                assert "WWW-Authenticate" in operation["responses"]["401"]["headers"]


# ---- real answers, as the users who get them ------------------------------------------------------------------

def test_the_named_lists_and_their_objects_answer_as_documented(world, contract, django_capture_on_commit_callbacks):
    clerk, member, operator, auditor = (as_user(u) for u in (world.clerk, world.member_a, world.unit_a_op, world.auditor))
    unit, account = world.unit_a.pk, world.account_a.pk
    for month in range(3):
        monthly_deposit_post(actor=world.clerk, account=world.account_a, month=add_months(date(2025, 2, 1), month))

    # units and members, as staff, the unit's operator and the member
    for client in (clerk, operator):
        assert contract.call(client, "get", "/api/deposits/units/").json()["results"]
        assert contract.call(client, "get", "/api/deposits/members/").json()["results"]
    contract.call(operator, "get", "/api/deposits/units/{id}/", id=unit)
    detail = contract.call(member, "get", "/api/deposits/members/{id}/", id=account).json()
    assert re.fullmatch(MONTH_PATTERN, detail["first_month"]) and re.fullmatch(MONTH_PATTERN, detail["paid_up_to"])
    rows = contract.call(member, "get", "/api/deposits/members/{id}/statement/", id=account).json()["results"]
    assert len(rows) == 3
    contract.call(clerk, "post", "/api/deposits/members/{id}/deposits/", {"month": "2025-05"}, id=account)

    # events: a change of phone number by the member, listed for the member and for the unit
    contract.call(member, "post", "/api/deposits/members/{id}/change/", {"phone": "13700001111"}, id=account)
    assert contract.call(member, "get", "/api/deposits/members/{id}/events/", id=account).json()["results"]
    contract.call(operator, "get", "/api/deposits/units/{id}/events/", id=unit)

    # bills: generated by the unit, listed by month, confirmed
    bill = contract.call(operator, "post", "/api/deposits/bills/", {"month": "2025-06"}).json()
    assert bill["month"] == "2025-06" and bill["lines"][0]["month"] == "2025-06"
    listed = contract.call(operator, "get", "/api/deposits/bills/", query={"month": "2025-06"}).json()
    assert [b["id"] for b in listed["results"]] == [bill["id"]]
    contract.call(clerk, "get", "/api/deposits/bills/{id}/", id=bill["id"])
    contract.call(operator, "post", "/api/deposits/bills/{id}/confirm/", id=bill["id"])

    # applications (缓缴): submitted by the unit, listed for the unit and the window
    application = contract.call(operator, "post", "/api/deposits/applications/", {
        "unit": unit, "kind": "deferral", "start_month": f"{this_month():%Y-%m}",
        "end_month": f"{add_months(this_month(), 1):%Y-%m}", "reason": "经营困难",
    })
    assert application.status_code == 201, application.content
    for client in (operator, clerk, auditor):
        assert contract.call(client, "get", "/api/deposits/applications/", query={"state": "submitted"}).json()["results"]
    contract.call(clerk, "get", "/api/deposits/applications/{id}/", id=application.json()["id"])

    # base batches: the template downloaded and sent back unfilled (a rejected batch and its report)
    template = contract.call(operator, "get", "/api/deposits/units/{id}/base-template/", id=unit)
    assert template["Content-Type"] == XLSX
    upload = SimpleUploadedFile("调基名单.xlsx", template.content, content_type=XLSX)
    contract.call(operator, "post", "/api/deposits/units/{id}/base-batches/", {"year": this_month().year, "file": upload},
                  fmt="multipart", id=unit)
    batches = contract.call(operator, "get", "/api/deposits/units/{id}/base-batches/", id=unit).json()
    assert batches["count"] == 1
    contract.call(clerk, "get", "/api/deposits/units/{id}/base-batches/{batch}/", id=unit, batch=batches["results"][0]["id"])
    contract.call(operator, "get", "/api/deposits/members/{id}/base/", id=account)

    # unit requests: an online application by a stranger, listed at the window
    applied = contract.call(APIClient(), "post", "/api/deposits/unit-requests/", {
        "name": "网上申请单位", "credit_code": make_credit_code(701), "branch": world.branch_a.pk,
        "address": "示范市烟台路1号", "contact_name": "王会计", "contact_phone": "13912340000",
        "bank_name": "中国建设银行示范分行", "bank_account": "370501234567890", "unit_ratio": "0.12",
        "member_ratio": "0.10", "pay_day": 15, "username": "applicant701", "operator_name": "王经办",
        "operator_phone": "13912345678", "password": "Kaihu#2026pw", "password_again": "Kaihu#2026pw",
    })
    assert applied.status_code == 201, applied.content
    assert contract.call(clerk, "get", "/api/deposits/unit-requests/").json()["results"]

    # blacklist: listed by a risk officer, read (masked) by a clerk
    officer = as_user(risk_officer(world))
    entry = contract.call(officer, "post", "/api/risk/blacklist/", {
        "subject_kind": "person", "id_number": make_id_number(birth=date(1985, 6, 12), seq=901), "name": "郭某某",
        "category": "fraud_withdrawal", "reason": "伪造购房合同骗提"})
    assert entry.status_code == 201, entry.content
    for client in (officer, clerk):
        assert contract.call(client, "get", "/api/risk/blacklist/").json()["results"]
    contract.call(clerk, "get", "/api/risk/blacklist/{id}/", id=entry.json()["id"])

    # withdrawals: the member's own, listed and read by the member and the clerk
    card = "62170000000000001" + luhn.calc_check_digit("62170000000000001")
    SandboxBankAccount.objects.create(account_number=card, name=world.account_a.person.name,
                                      holder_id=world.account_a.person.id_number, bank_name="建设银行")
    with django_capture_on_commit_callbacks(execute=True):
        submitted = contract.call(member, "post", "/api/withdrawals/",
                                  {"account": account, "reason": "07", "amount": "500.00", "payee_card": card},
                                  headers={"Idempotency-Key": "contract-1"})
    assert submitted.status_code == 201, submitted.content
    for client in (member, clerk):
        assert contract.call(client, "get", "/api/withdrawals/").json()["results"]
        contract.call(client, "get", "/api/withdrawals/{id}/", id=submitted.json()["id"])
    contract.call(member, "get", "/api/withdrawals/reasons/")
    contract.call(member, "get", "/api/withdrawals/standing/")

    # the rest of a member's day: who am I, the policy table, the catalogue, my devices
    contract.call(member, "get", "/api/me/")
    contract.call(member, "get", "/api/policy/")
    contract.call(APIClient(), "get", "/api/catalogue/")
    contract.call(member, "get", "/api/auth/tokens/")


def test_more_objects_answer_as_documented(world, contract, django_capture_on_commit_callbacks):
    """Beyond the lists: payments and reversals, transfers, documents, arrears, merges, calls to outside systems."""
    clerk, member, operator = (as_user(u) for u in (world.clerk, world.member_a, world.unit_a_op))
    account, unit = world.account_a.pk, world.unit_a.pk
    monthly_deposit_post(actor=world.clerk, account=world.account_a, month=date(2025, 2, 1))
    SandboxBankAccount.objects.filter(account_number=world.unit_a.bank_account).update(  # known since opening
        balance="1000000.00")

    # a bill paid by collection, then reversed at the window: the correction awaits its refund
    bill = contract.call(operator, "post", "/api/deposits/bills/", {"month": "2025-03"}).json()
    contract.call(operator, "post", "/api/deposits/bills/{id}/confirm/", id=bill["id"])
    assert contract.call(operator, "post", "/api/deposits/bills/{id}/pay/", id=bill["id"]).json()["state"] == "paid"
    reversed_ = contract.call(clerk, "post", "/api/deposits/bills/{id}/reverse/", {"reason": "错缴"}, id=bill["id"])
    assert reversed_.json()["reversed"] == 1
    contract.call(clerk, "get", "/api/deposits/corrections/")

    # arrears (缴至年月 behind), the 催建 list, the interest runs, the unit's exports
    assert contract.call(clerk, "get", "/api/deposits/arrears/").json()
    contract.call(clerk, "get", "/api/deposits/arrears/unopened/")
    assert contract.call(clerk, "get", "/api/deposits/interest/runs/").status_code == 200
    assert contract.call(operator, "get", "/api/deposits/units/{id}/roster.xlsx", id=unit)["Content-Type"] == XLSX

    # documents: a certificate asked for, its status read
    document = contract.call(member, "post", "/api/deposits/members/{id}/deposit-certificate/", {"purpose": "办理贷款"},
                             id=account).json()
    assert contract.call(member, "get", "/api/documents/{id}/", id=document["id"]).status_code == 200
    contract.call(APIClient(), "get", "/api/verify/{code}/", code=document["verification_code"])

    # a transfer in, asked for by the member; the window's view of transfers and letters
    with django_capture_on_commit_callbacks(execute=True):
        contract.call(member, "post", "/api/deposits/members/{id}/transfer-in/", {"from_centre": "武汉住房公积金管理中心"},
                      id=account)
    assert contract.call(member, "get", "/api/deposits/transfers/").json()
    contract.call(clerk, "get", "/api/deposits/transfer-letters/")
    assert contract.call(clerk, "get", "/api/deposits/members/{id}/transfer-out/", id=account).status_code == 200

    # a person's accounts for a merge, by ID number; the duplicates list
    found = contract.call(clerk, "get", "/api/deposits/merge/accounts/",
                          query={"id_number": world.account_a.person.id_number}).json()
    assert [a["id"] for a in found] == [account]
    contract.call(clerk, "get", "/api/deposits/merge/duplicates/")
    contract.call(clerk, "get", "/api/deposits/merges/")

    # policy, the catalogue and the log of outside calls
    assert contract.call(member, "get", "/api/policy/{name}/", name="loan_cap_single").status_code == 200
    assert contract.call(APIClient(), "get", "/api/catalogue/{code}/", code="TQ-07").status_code == 200
    assert contract.call(clerk, "get", "/api/integrations/calls/").json()


def test_a_month_answered_as_a_date_would_fail_the_check(contract):
    """The oracle itself: a body with "2026-12" where the schema said `date` is refused, and so is a month that
    is not one, so the checks above would have caught the old schema."""
    from jsonschema import Draft4Validator

    from tests.api_contract import FORMATS, to_json_schema

    as_date = Draft4Validator(to_json_schema({"type": "string", "format": "date"}), format_checker=FORMATS)
    assert not as_date.is_valid("2026-12") and as_date.is_valid("2026-12-01")
    as_month = Draft4Validator({"type": "string", "pattern": MONTH_PATTERN})
    assert as_month.is_valid("2026-12") and not as_month.is_valid("2026-12-01")
    bare = Draft4Validator(to_json_schema({"type": "array", "items": {}}))
    assert not bare.is_valid({"count": 0, "next": None, "previous": None, "results": []})


# ---- the 4xx answers -------------------------------------------------------------------------------------------

def test_4xx_answers_are_documented_and_their_bodies_match(world, contract):
    operator = as_user(world.unit_a_op)
    # 400: a month that is not one, or a day where a month is asked for, named by field in Chinese
    for month in ("2025-13", "2025-06-01", "六月"):
        bad = contract.call(operator, "post", "/api/deposits/bills/", {"month": month})
        assert bad.status_code == 400 and bad.json()["month"] == ["年月格式应为 2026-12"]
    assert contract.call(operator, "get", "/api/deposits/bills/", query={"month": "2025-6-1"}).status_code == 400
    assert contract.call(operator, "post", "/api/withdrawals/", "{not json",
                         content_type="application/json").status_code == 400
    # 401: no credentials, or a token that is not one; both with the challenge
    anonymous = contract.call(APIClient(), "get", "/api/deposits/bills/")
    assert anonymous.status_code == 401 and anonymous["WWW-Authenticate"] == "Token"
    stranger = APIClient()
    stranger.credentials(HTTP_AUTHORIZATION="Token forged")
    assert contract.call(stranger, "get", "/api/deposits/members/{id}/", id=world.account_a.pk).status_code == 401
    # 403: a member may not generate a unit's bill
    assert contract.call(as_user(world.member_a), "post", "/api/deposits/bills/", {"month": "2025-06"}).status_code == 403
    # 404: another unit's account, someone else's withdrawal list page that does not exist
    assert contract.call(as_user(world.unit_b_op), "get", "/api/deposits/units/{id}/", id=world.unit_a.pk).status_code == 404
    beyond = contract.call(operator, "get", "/api/deposits/bills/", query={"page": 99})
    assert beyond.status_code == 404 and beyond.json()["detail"] == "页码无效：99"
    # 415: a body the API cannot read
    assert contract.call(operator, "post", "/api/deposits/bills/", "month=2025-06",
                         content_type="text/plain").status_code == 415


@pytest.mark.parametrize("template", ["/api/deposits/units/{id}/base-template/", "/api/deposits/units/{id}/roster.xlsx",
                                      "/api/deposits/units/{id}/bills.xlsx"])
def test_a_client_asking_for_the_documented_spreadsheet_gets_it_and_errors_as_labelled_json(world, contract, template):
    operator = as_user(world.unit_a_op)
    sheet = contract.call(operator, "get", template, headers={"Accept": XLSX}, id=world.unit_a.pk)
    assert sheet.status_code == 200 and sheet["Content-Type"] == XLSX and sheet.content[:2] == b"PK"
    refused = contract.call(as_user(world.unit_b_op), "get", template, headers={"Accept": XLSX}, id=world.unit_a.pk)
    assert refused.status_code == 404 and refused["Content-Type"] == "application/json"
    assert refused.json()["detail"] == "未找到，或您无权访问"


def test_a_pdf_asked_for_without_a_login_is_refused_in_labelled_json(contract):
    refused = contract.call(APIClient(), "get", "/api/documents/{id}/file", headers={"Accept": "application/pdf"}, id=1)
    assert refused.status_code == 401 and refused["Content-Type"] == "application/json"


def test_too_many_sign_ins_answer_a_documented_429(world, contract):
    client = APIClient()
    codes = [contract.call(client, "post", "/api/auth/token/", {"username": "clerk", "password": "wrong"}).status_code
             for _ in range(11)]
    assert codes[-1] == 429 and set(codes) == {400, 429}


# ---- the sweep: every operation in the schema, as every kind of caller -------------------------------------------

def _fill(template: str) -> dict[str, Any]:
    """Path parameters that name nothing: an id no row has, a code no document has."""
    return {name: (999999 if name in {"id", "pk", "batch", "year"} else "none")
            for name in re.findall(r"{(\w+)}", template)}


def _accept(operation: dict[str, Any]) -> dict[str, str]:
    """Ask for what the operation's success is documented as (a spreadsheet, a PDF), as a client would; its
    errors must still be the documented JSON, labelled as such."""
    media = [m for code, r in operation["responses"].items() if code.startswith("2") for m in r.get("content", {})]
    binary = [m for m in media if m != "application/json"]
    return {"Accept": binary[0]} if binary else {}


def test_every_operation_answers_every_kind_of_caller_as_documented(world, contract):
    """A stranger, a forged token, a member, a unit operator and a clerk call every operation with nothing (or
    with ids that name nothing); whatever each answer is, the schema documents it, body and all."""
    forged = APIClient()
    forged.credentials(HTTP_AUTHORIZATION="Token forged")
    callers = {"stranger": APIClient(), "forged token": forged, "member": as_user(world.member_a),
               "unit operator": as_user(world.unit_a_op), "clerk": as_user(world.clerk)}
    called = 0
    for template, item in contract.paths.items():
        for method in item:
            for who, client in callers.items():
                if template == "/api/auth/token/" and who != "stranger":
                    continue  # the sign-in rate: one caller is enough here, and the 429 has its own test
                cache.clear()
                body = None if method == "get" else {}
                try:
                    contract.call(client, method, template, body, headers=_accept(item[method]), **_fill(template))
                except AssertionError as exc:
                    raise AssertionError(f"as {who}: {exc}") from None
                called += 1
    assert called > 300


def test_the_schema_is_the_one_the_docs_page_serves(contract):
    assert contract.document["openapi"].startswith("3.")
    assert contract.document["components"]["securitySchemes"]["tokenAuth"]["type"] == "apiKey"
    yaml = APIClient().get("/api/schema/").content.decode()
    assert "PaginatedBillOutputList" in yaml and "ValidationError" in yaml
