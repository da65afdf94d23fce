"""The audit queue's pages and API: 稽核 staff see every hit and work it; a branch's clerk sees their branch's hits
(to rectify) and not another's; an outsider, a member and a unit operator see none (404)."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from fund.audit.services import audit_log
from fund.policy.models import PolicyValue
from risk.models import HitState, ScreeningHit, ScreeningRule
from risk.services.screening import subject_screen

pytestmark = pytest.mark.django_db


@pytest.fixture
def hits(world: Any, screening_rules: None) -> dict[str, ScreeningHit]:
    """A card-change hit of branch A's member and a centre-wide policy hit."""
    audit_log(actor=world.clerk, action="deposits.member.changed", target=world.account_a, new={"bank_card": "****"})
    subject_screen(world.account_a)
    row = PolicyValue.objects.create(name="payment_attempts_max", number=Decimal("5"), note="测试", created_by=world.clerk,
                                     effective_from=timezone.localdate() - timedelta(days=1))
    subject_screen(row)
    return {"branch": ScreeningHit.objects.get(rule__code="audit.card_change_unverified"),
            "centre": ScreeningHit.objects.filter(rule__code="audit.policy_change").first()}


def client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_auditor_sees_every_hit_in_the_queue_and_works_one(world: Any, hits: dict[str, ScreeningHit]) -> None:
    auditor = client(world.auditor)
    page = auditor.get("/staff/risk/audit/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "稽核工作台" in text and "银行卡变更" in text and "政策参数" in text
    hit = hits["branch"]
    assert "证据" in auditor.get(f"/staff/risk/audit/{hit.pk}/").content.decode()
    bad = auditor.post(f"/staff/risk/audit/{hit.pk}/dismiss/", {"opinion": ""})
    assert bad.status_code == 400 and "has-error" in bad.content.decode()
    assert auditor.post(f"/staff/risk/audit/{hit.pk}/dismiss/", {"opinion": "已电话核实本人办理"}).status_code == 302
    hit.refresh_from_db()
    assert hit.state == HitState.DISMISSED and hit.decided_by == world.auditor


def test_a_branch_clerk_sees_their_branchs_hit_and_another_branchs_clerk_gets_404(
        world: Any, hits: dict[str, ScreeningHit]) -> None:
    owner, colleague = client(world.clerk), client(world.clerk_b)
    hit = hits["branch"]
    assert owner.get(f"/staff/risk/audit/{hit.pk}/").status_code == 200
    assert owner.get(f"/staff/risk/audit/{hits['centre'].pk}/").status_code == 404  # centre-wide: not a branch's
    assert colleague.get(f"/staff/risk/audit/{hit.pk}/").status_code == 404
    assert "银行卡变更" not in colleague.get("/staff/risk/audit/").content.decode()
    assert owner.post(f"/staff/risk/audit/{hit.pk}/dismiss/", {"opinion": "x"}).status_code == 403


def test_outsiders_get_404_from_the_api(world: Any, hits: dict[str, ScreeningHit]) -> None:
    hit = hits["branch"]
    for user in (world.outsider, world.member_a, world.unit_a_op):
        api = APIClient()
        api.force_authenticate(user)
        assert api.get(f"/api/risk/audit/hits/{hit.pk}/").status_code == 404
        assert api.get("/api/risk/audit/hits/").status_code == 404


def test_the_api_lists_works_and_counts_hits(world: Any, hits: dict[str, ScreeningHit]) -> None:
    api = APIClient()
    api.force_authenticate(world.auditor)
    listed = api.get("/api/risk/audit/hits/", {"state": "standing", "level": "3"}).json()
    assert {row["rule"] for row in listed["results"]} == {"audit.card_change_unverified", "audit.policy_change"}
    summary = api.get("/api/risk/audit/hits/summary/").json()
    assert summary["open"] == 3 and sum(row["count"] for row in summary["by_age"]) == 3
    hit = hits["branch"]
    refused = api.post(f"/api/risk/audit/hits/{hit.pk}/action/", {"action": "rectify_request", "opinion": "补核验"},
                       format="json")
    assert refused.status_code == 400 and "整改期限" in str(refused.json())
    done = api.post(f"/api/risk/audit/hits/{hit.pk}/action/", {
        "action": "rectify_request", "opinion": "补做银行核验", "due": str(timezone.localdate() + timedelta(days=5))},
        format="json")
    assert done.status_code == 200 and done.json()["state"] == "rectifying"
    clerk = APIClient()
    clerk.force_authenticate(world.clerk)
    assert clerk.post(f"/api/risk/audit/hits/{hit.pk}/action/", {"action": "rectified", "opinion": "已补核验"},
                      format="json").json()["state"] == "rectified"


def test_the_rules_page_adds_a_rule_and_switches_one_off(world: Any, screening_rules: None) -> None:
    auditor = client(world.auditor)
    assert "audit.withdrawal_four_eyes" in auditor.get("/staff/risk/audit/rules/").content.decode()
    today = timezone.localdate()
    added = auditor.post("/staff/risk/audit/rules/", {
        "check": "audit.correction_large", "code": "city.correction_20000", "label": "两万元以上错缴更正",
        "level": "2", "params": '{"amount": "20000"}', "effective_from": f"{today:%Y-%m-%d}"})
    assert added.status_code == 302
    assert ScreeningRule.objects.get(code="city.correction_20000").params == {"amount": "20000"}
    rule = ScreeningRule.objects.get(code="audit.correction_large")
    auditor.post(f"/staff/risk/audit/rules/{rule.pk}/switch/", {"on": "0", "from_date": f"{today:%Y-%m-%d}"})
    rule.refresh_from_db()
    assert not rule.in_force(today)
    assert client(world.clerk).post("/staff/risk/audit/rules/", {"code": "x"}).status_code == 403
