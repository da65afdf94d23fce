"""Policy pages: any staff reads; only a centre-wide director sees and uses the scheduling form."""

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from fund.people.models import Post, StaffProfile, User
from fund.policy.models import PolicyValue

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_as(client: Client) -> Any:
    def login(user: User) -> Client:
        client.force_login(user)
        return client

    return login


def test_the_table_lists_every_policy_in_force(client_as: Any, clerk: User) -> None:
    response = client_as(clerk).get(reverse("policy:table"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "政策参数" in page and "首套住房贷款年利率（5年以下含5年）" in page
    assert "2.10%" in page and "2025-05-08" in page and "600,000.00 元" in page
    assert reverse("policy:detail", args=["loan_cap_single"]) in page


def test_non_staff_are_refused(client_as: Any, member: User) -> None:
    assert client_as(member).get(reverse("policy:table")).status_code == 403


@override_settings(LOGIN_URL="/accounts/login/")
def test_anonymous_visitors_are_sent_to_sign_in(client: Client) -> None:
    response = client.get(reverse("policy:table"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_clerk_reads_the_history_without_a_form(client_as: Any, clerk: User) -> None:
    client = client_as(clerk)
    response = client.get(reverse("policy:detail", args=["loan_rate_first_upto5"]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "2.35%" in page and "2.10%" in page and "已失效" in page and "生效中" in page
    assert "安排调整" not in page
    posted = client.post(
        reverse("policy:detail", args=["loan_rate_first_upto5"]),
        {"value": "2", "effective_from": "2099-01-01", "note": "x"},
    )
    assert posted.status_code == 403


def test_a_director_schedules_in_percent(client_as: Any, director: User, tomorrow: Any) -> None:
    client = client_as(director)
    url = reverse("policy:detail", args=["loan_rate_first_upto5"])
    assert "安排调整" in client.get(url).content.decode()
    response = client.post(url, {"value": "2.00", "effective_from": tomorrow.isoformat(), "note": "银发〔2026〕1号"})
    assert response.status_code == 302
    row = PolicyValue.objects.get(name="loan_rate_first_upto5", effective_from=tomorrow)
    assert str(row.number) == "0.020000"
    page = client.get(url).content.decode()
    assert "待生效" in page and "撤回" in page


def test_a_bad_form_shows_chinese_messages_and_writes_nothing(client_as: Any, director: User, today: Any) -> None:
    before = PolicyValue.objects.count()
    response = client_as(director).post(
        reverse("policy:detail", args=["loan_rate_first_upto5"]),
        {"value": "20", "effective_from": today.isoformat(), "note": "x"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "须在 0.00% 至 10.00% 之间" in page and "生效日期不能早于" in page
    assert PolicyValue.objects.count() == before


def test_a_director_withdraws_a_scheduled_value(client_as: Any, director: User, tomorrow: Any) -> None:
    client = client_as(director)
    url = reverse("policy:detail", args=["loan_cap_single"])
    client.post(url, {"value": "650000", "effective_from": (tomorrow + timedelta(days=3)).isoformat(), "note": "x"})
    row = PolicyValue.objects.get(name="loan_cap_single", number=650000)
    response = client.post(reverse("policy:withdraw", args=["loan_cap_single", row.pk]), {"reason": "误录"})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.withdrawn_at is not None and row.withdraw_reason == "误录"


def test_unknown_policies_are_404(client_as: Any, clerk: User) -> None:
    assert client_as(clerk).get("/policy/no_such_policy/").status_code == 404


def test_a_standard_code_redirects_to_the_key(client_as: Any, clerk: User) -> None:
    response = client_as(clerk).get("/policy/GRZFDKZGED/")
    assert response.status_code == 302 and response["Location"] == reverse("policy:detail", args=["loan_cap_single"])


def test_auditors_read_the_admin_but_cannot_change(client_as: Any, branch: Any) -> None:
    auditor = User.objects.create_user(username="auditor", password="Zx-9policy-test", is_staff=True)
    StaffProfile.objects.create(user=auditor, branch=branch, posts=[Post.AUDIT], employee_number="A001")
    client = client_as(auditor)
    assert client.get("/admin/policy/policyvalue/").status_code == 200
    assert client.get("/admin/policy/policyvalue/add/").status_code == 403
    row = PolicyValue.objects.first()
    assert row is not None
    assert client.get(f"/admin/policy/policyvalue/{row.pk}/change/").status_code == 200
    assert client.post(f"/admin/policy/policyvalue/{row.pk}/delete/").status_code == 403
