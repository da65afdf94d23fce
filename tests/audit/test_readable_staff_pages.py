"""Staff pages and the admin speak Chinese: audit codes by name, changes as label: value, no Python dicts,
no "X object (n)", no English app headings, and evidence opens the outside call it names."""

import ast
import pathlib
import re

import pytest
from django.test import Client

from fund.audit.actions import action_known, action_label, changes

pytestmark = pytest.mark.django_db

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _codes_written() -> set[str]:
    """Every literal action code passed to audit_log (and the tuple in deposits' lifecycle that picks one)."""
    codes: set[str] = set()
    for folder in ("fund", "deposits", "withdrawals", "loans", "risk"):
        for path in (ROOT / folder).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.keyword) and node.arg == "action":
                    codes |= {c.value for c in ast.walk(node.value)
                              if isinstance(c, ast.Constant) and isinstance(c.value, str)
                              and re.fullmatch(r"[a-z_]+(\.[a-z_]+)+", c.value)}
                if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                        and re.fullmatch(r"deposits\.member\.[a-z_]+", node.value):
                    codes.add(node.value)
    return codes


def _keys_written() -> set[str]:
    """The literal keys of the old/new dicts passed to audit_log."""
    keys: set[str] = set()
    for folder in ("fund", "deposits", "withdrawals", "loans", "risk"):
        for path in (ROOT / folder).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "audit_log":
                    for kw in node.keywords:
                        if kw.arg in ("old", "new"):
                            keys |= {k.value for d in ast.walk(kw.value) if isinstance(d, ast.Dict)
                                     for k in d.keys if isinstance(k, ast.Constant)}
    return keys


def test_every_key_an_audit_record_is_written_with_has_a_chinese_name():
    from fund.audit.actions import key_label

    keys = _keys_written()
    assert len(keys) > 40
    assert sorted(k for k in keys if key_label(k) == k) == []


def test_every_audit_code_the_sources_write_has_a_chinese_name():
    codes = _codes_written()
    assert len(codes) > 80
    assert sorted(c for c in codes if not action_known(c)) == []


def test_the_codes_built_at_run_time_have_names_too():
    from deposits.models.base_adjustment import BatchState
    from fund.workflow.flows import flows
    from withdrawals.models import WithdrawalState

    built = [f"withdrawals.{WithdrawalState.REJECTED}", *(f"deposits.base_batch.{s}" for s in BatchState.values),
             *(f"workflow.{f.name}.{s.code}" for f in flows() for s in f.steps)]
    assert [c for c in built if not action_known(c)] == []
    assert action_label("workflow.withdrawals.review.approve") == "提取人工审核·审批"


def test_changes_read_as_labels_and_chinese_values_not_dicts():
    rows = changes({"state": "review"}, {"state": "approved", "rows": 21}, "withdrawals.approved")
    assert [(r.label, r.old, r.new) for r in rows] == [("状态", "人工审核中", "已批准待到账"), ("行数", None, "21")]
    phone = changes({"phone": "13800000001"}, {"phone": "13900000002"}, "deposits.member.changed")[0]
    assert (phone.label, phone.old, phone.new) == ("手机号码", "138****0001", "139****0002")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_audit_page_and_the_staff_home_name_each_operation_and_show_no_dict(world):
    from fund.audit.services import audit_log

    audit_log(actor=world.director, action="deposits.roster.exported", target=world.unit_a, new={"rows": 21})
    for url in ("/staff/audit/", "/staff/"):
        html = _client(world.director).get(url).content.decode()
        assert "导出单位职工名册" in html, url
        assert "deposits.roster.exported" not in html and "{'rows'" not in html and "{&#x27;rows" not in html, url
    html = _client(world.director).get("/staff/audit/").content.decode()
    assert "行数：</span>21" in html


def test_the_audit_page_filters_by_business_line(world):
    from fund.audit.services import audit_log

    audit_log(actor=world.director, action="deposits.roster.exported", target=world.unit_a)
    audit_log(actor=world.director, action="policy.value.scheduled", target=world.unit_a)
    html = _client(world.director).get("/staff/audit/", {"action": "policy"}).content.decode()
    assert "设定政策参数" in html and "导出单位职工名册" not in html


def test_withdrawal_evidence_names_the_call_and_links_its_staff_page(world):
    from fund.integrations.models import IntegrationCall
    from withdrawals.views.staff import _evidence

    call = IntegrationCall.objects.create(system="credit", operation="report", backend="sandbox",
                                          request={"id_number": world.account_a.person.id_number},
                                          response={"loans": []}, ok=True, latency_ms=3)

    class Check:
        evidence = {"credit_call_id": call.pk, "report_number": "R1"}

    items = _evidence(Check())
    assert items[0]["key"] == "征信查询记录" and items[0]["links"][0]["url"] == f"/staff/calls/{call.pk}/"
    assert items[1]["key"] == "征信报告编号"
    page = _client(world.clerk).get(f"/staff/calls/{call.pk}/")
    html = page.content.decode()
    assert page.status_code == 200 and "人行征信" in html
    assert world.account_a.person.id_number not in html


def test_the_call_page_is_not_for_members(world):
    from fund.integrations.models import IntegrationCall

    call = IntegrationCall.objects.create(system="credit", operation="report", backend="sandbox", ok=True, latency_ms=1)
    assert _client(world.member_a).get(f"/staff/calls/{call.pk}/").status_code == 404


ENGLISH_HEADINGS = ("AUDIT", "INTEGRATIONS", "LEDGER", "POLICY", "WORKFLOW", "PORTALS", "RISK", "Audit", "Ledger",
                    "Integrations", "Workflow", "Policy")


def test_the_admin_walked_as_the_auditor_shows_no_developer_output(world):
    """Every list and the first row's page of every model the auditor may read."""
    from django.contrib import admin as django_admin
    from django.urls import reverse

    from fund.audit.services import audit_log
    from fund.integrations.models import IntegrationCall

    audit_log(actor=world.clerk, action="deposits.roster.exported", target=world.unit_a, new={"rows": 21})
    from fund.integrations.models import SandboxBankAccount, SandboxIdentity
    from fund.people.models import LoginAttempt

    person = world.account_a.person
    IntegrationCall.objects.create(system="identity", operation="verify", backend="sandbox",
                                   request={"id_number": person.id_number}, ok=True, latency_ms=2)
    # The sign-in log and the sandbox tables hold whole numbers; the auditor reads them masked.
    SandboxIdentity.objects.create(id_number=person.id_number, name=person.name, sex="1", birth_date=person.birth_date,
                                   hukou_city_code="370800", hukou_city_name="示范市")
    SandboxBankAccount.objects.create(account_number="6222021234567890123", name=person.name, holder_id=person.id_number,
                                      bank_name="工商银行")
    LoginAttempt.objects.create(username=person.id_number, ip="10.0.0.1", succeeded=False)
    from fund.printing.models import Document

    Document.objects.create(kind="printing.notice", title="通知书", subject=person, subject_label=person.name,
                            requested_by=world.clerk,
                            context={"id_number": person.id_number, "card": "6222021234567890123"})
    client = Client(raise_request_exception=False)
    client.force_login(world.auditor)
    index = client.get("/admin/").content.decode()
    for heading in ENGLISH_HEADINGS:
        assert f">{heading}<" not in index, heading
    walked = 0
    for model, model_admin in django_admin.site._registry.items():
        meta = model._meta
        changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        response = client.get(changelist)
        if response.status_code != 200:
            continue
        pages = [(changelist, response.content.decode())]
        first = model_admin.get_queryset(response.wsgi_request).order_by("pk").first()
        if first is not None:
            url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[first.pk])
            page = client.get(url)
            assert page.status_code == 200, url
            pages.append((url, page.content.decode()))
        for url, html in pages:
            walked += 1
            assert "object (" not in html, url
            assert "deposits.roster.exported" not in html and "deposits.unitaccount" not in html, url
            assert "{&#x27;" not in html and "{&quot;" not in html, url
            assert person.id_number not in html, url
            assert "6222021234567890123" not in html, url
    assert walked > 40


def test_every_outside_operation_has_a_chinese_name():
    import importlib
    import inspect
    import pkgutil

    import fund.integrations
    from fund.integrations.models import OPERATION_NAMES

    names = set()
    for info in pkgutil.iter_modules(fund.integrations.__path__):
        module = importlib.import_module(f"fund.integrations.{info.name}")
        for _, klass in inspect.getmembers(module, inspect.isclass):
            for attr in vars(klass).values():
                spec = getattr(attr, "__integration_operation__", None)
                if spec is not None:
                    names.add(spec.name)
    assert len(names) > 15
    assert sorted(names - OPERATION_NAMES.keys()) == []


def test_a_withdrawals_details_read_with_the_forms_labels_in_the_admin():
    from fund.audit.actions import key_label
    from withdrawals.reasons import REASONS

    inputs = [i for reason in REASONS.values() for i in reason.inputs]
    assert inputs and [i.name for i in inputs if key_label(i.name) == i.name] == []


def _answer_fields() -> dict[str, set[str]]:
    """Every field of every record an outside system answers with (fund.integrations' dataclasses), at any depth."""
    import dataclasses
    import importlib
    import pkgutil

    import fund.integrations as integrations

    fields: dict[str, set[str]] = {}
    for info in pkgutil.iter_modules(integrations.__path__):
        if info.name in ("base", "seed", "http", "models", "admin", "apps", "views", "apis", "selectors"):
            continue  # the machinery and the sandbox's seeding, not answers
        module = importlib.import_module(f"fund.integrations.{info.name}")
        for value in vars(module).values():
            if isinstance(value, type) and dataclasses.is_dataclass(value) and value.__module__ == module.__name__:
                for field in dataclasses.fields(value):
                    fields.setdefault(field.name, set()).add(f"{info.name}.{value.__name__}")
    return fields


def test_every_field_an_outside_system_answers_with_has_a_chinese_name():
    from fund.audit.actions import key_label

    fields = _answer_fields()
    assert len(fields) > 60
    assert {name: sorted(where) for name, where in fields.items() if key_label(name) == name} == {}


def test_the_call_page_reads_nested_answers_in_words(world):
    from fund.integrations.models import IntegrationCall

    call = IntegrationCall.objects.create(
        system="identity", operation="family", backend="sandbox", ok=True, latency_ms=2,
        response={"parents": [{"name": "张三", "hukou_local": True, "hukou_city_name": "示范市"}], "children": []},
    )
    html = _client(world.clerk).get(f"/staff/calls/{call.pk}/").content.decode()
    assert "户籍地：示范市" in html and "本市户籍：是" in html
    assert "hukou" not in html and "{'" not in html and "True" not in html


def test_a_stored_timestamp_reads_in_local_time_to_the_minute() -> None:
    from fund.audit.actions import value_label

    # As DjangoJSONEncoder stores an aware moment (UTC here; the centre's clock is Asia/Shanghai).
    assert value_label("approved_at", "2026-12-03T02:15:30.123Z") == "2026-12-03 10:15"
    assert value_label("at", "2026-12-03T10:15:30+08:00") == "2026-12-03 10:15"
    assert value_label("at", "2026-12-03T10:15:30") == "2026-12-03 10:15"  # naive: as written
    assert value_label("due", "2026-12-03") == "2026-12-03"  # a date stays a date
    assert [c.new for c in changes(None, {"changed_at": "2026-12-03T02:15:00Z"})] == ["2026-12-03 10:15"]
