"""The policy API: anyone signed in reads; only a centre-wide director writes; bad input is a 4xx, never 500."""

from datetime import timedelta
from typing import Any

import pytest
from rest_framework.test import APIClient

from fund.audit.models import AuditEvent
from fund.policy.definitions import DEFINITIONS
from fund.policy.models import PolicyValue

pytestmark = pytest.mark.django_db

TABLE = "/api/policy/"


def detail(name: str) -> str:
    return f"/api/policy/{name}/"


def test_a_member_reads_the_rates(api_as: Any, member: Any) -> None:
    response = api_as(member).get(TABLE)
    assert response.status_code == 200
    rows = {row["name"]: row for row in response.json()}
    assert len(rows) == len(DEFINITIONS)
    rate = rows["loan_rate_first_upto5"]
    assert rate["current"]["value"] == "0.02100" and rate["current"]["display"] == "2.10%"
    assert rate["current"]["effective_from"] == "2025-05-08"
    assert rate["unit"] == "%" and rate["kind"] == "decimal" and rate["next_change"] is None
    assert rows["loan_cap_single"]["code"] == "GRZFDKZGED"


def test_the_table_on_an_earlier_date(api_as: Any, member: Any) -> None:
    rows = {r["name"]: r for r in api_as(member).get(TABLE, {"on": "2025-05-07"}).json()}
    assert rows["loan_rate_first_upto5"]["current"]["value"] == "0.02350"
    assert rows["loan_rate_first_upto5"]["next_change"]["effective_from"] == "2025-05-08"


@pytest.mark.parametrize("on", ["2025-13-01", "yesterday", "0"])
def test_a_bad_date_filter_is_a_400(api_as: Any, member: Any, on: str) -> None:
    response = api_as(member).get(TABLE, {"on": on})
    assert response.status_code == 400 and "on" in response.json()


def test_anonymous_callers_are_refused(api: APIClient) -> None:
    assert api.get(TABLE).status_code in (401, 403)
    assert api.post(detail("loan_cap_single"), {}).status_code in (401, 403)


def test_history_of_a_rate(api_as: Any, member: Any) -> None:
    response = api_as(member).get(detail("loan_rate_second_over5"))
    assert response.status_code == 200
    body = response.json()
    assert body["label"] == "二套住房贷款年利率（5年以上）"
    assert [(h["effective_from"], h["value"], h["status"]) for h in body["history"]] == [
        ("2025-05-08", "0.03075", "生效中"),
        ("2024-05-18", "0.03325", "已失效"),
    ]


def test_a_standard_code_works_in_the_url(api_as: Any, member: Any) -> None:
    response = api_as(member).get(detail("GRZFDKZCNX"))
    assert response.status_code == 200 and response.json()["name"] == "loan_max_term_years"


@pytest.mark.parametrize("name", ["no_such_policy", "loan-cap", "x" * 200])
def test_unknown_names_are_404(api_as: Any, director: Any, name: str) -> None:
    client = api_as(director)
    assert client.get(detail(name)).status_code == 404
    assert client.post(detail(name), {"value": "1", "effective_from": "2099-01-01", "note": "x"}).status_code == 404


def test_a_director_schedules_a_value(api_as: Any, director: Any, tomorrow: Any) -> None:
    response = api_as(director).post(
        detail("loan_rate_first_upto5"),
        {"value": "0.0195", "effective_from": tomorrow.isoformat(), "note": "银发〔2026〕1号"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["display"] == "1.95%"
    row = PolicyValue.objects.get(pk=response.json()["id"])
    assert row.created_by == director and str(row.number) == "0.019500"
    assert AuditEvent.objects.filter(action="policy.value.scheduled", target_id=str(row.pk)).exists()


@pytest.mark.parametrize("who", ["clerk", "branch_director", "member"])
def test_others_get_403_and_nothing_is_written(api_as: Any, request: pytest.FixtureRequest, who: str, tomorrow: Any) -> None:
    before = PolicyValue.objects.count()
    response = api_as(request.getfixturevalue(who)).post(
        detail("loan_cap_single"), {"value": "700000", "effective_from": tomorrow.isoformat(), "note": "x"}
    )
    assert response.status_code == 403
    assert response.json()["detail"]
    assert PolicyValue.objects.count() == before


def _later(days: int = 3) -> str:
    from django.utils import timezone

    return (timezone.localdate() + timedelta(days=days)).isoformat()


@pytest.mark.parametrize(
    ("name", "payload", "field"),
    [
        ("loan_cap_single", {"value": "abc"}, "value"),
        ("loan_cap_single", {"value": "1e30"}, "value"),
        ("loan_cap_single", {"value": "9" * 39}, "value"),
        ("loan_cap_single", {"value": "9" * 41}, "value"),
        ("loan_cap_single", {"value": "-600000"}, "value"),
        ("loan_cap_single", {"value": "NaN"}, "value"),
        ("loan_cap_single", {"value": "Infinity"}, "value"),
        ("loan_cap_single", {"value": ""}, "value"),
        ("loan_cap_single", {"value": None}, "value"),
        ("loan_cap_single", {"value": True}, "value"),
        ("loan_cap_single", {"value": ["1"]}, "value"),
        ("loan_ratio_first", {"value": "80"}, "value"),
        ("loan_max_term_years", {"value": "31"}, "value"),
        ("loan_max_term_years", {"value": "29.5"}, "value"),
        ("loan_quota_rounding_mode", {"value": "up"}, "value"),
        ("loan_cap_single", {"effective_from": "2020-01-01"}, "effective_from"),
        ("loan_cap_single", {"effective_from": "2025-02-30"}, "effective_from"),
        ("loan_cap_single", {"effective_from": "99999-01-01"}, "effective_from"),
        ("loan_cap_single", {"note": ""}, "note"),
        ("loan_cap_single", {"note": "文" * 201}, "note"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(
    api_as: Any, director: Any, name: str, payload: dict[str, Any], field: str
) -> None:
    body = {"value": "700000", "effective_from": _later(), "note": "示市公积金委〔2026〕3号", **payload}
    before = PolicyValue.objects.count()
    response = api_as(director).post(detail(name), body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert all(isinstance(m, str) and m for m in response.json()[field])
    assert PolicyValue.objects.count() == before


def test_a_missing_body_is_a_400(api_as: Any, director: Any) -> None:
    response = api_as(director).post(detail("loan_cap_single"), "not json", content_type="application/json")
    assert response.status_code == 400
    response = api_as(director).post(detail("loan_cap_single"), {}, format="json")
    assert response.status_code == 400 and set(response.json()) == {"value", "effective_from", "note"}


def test_withdraw_through_the_api(api_as: Any, director: Any, clerk: Any) -> None:
    client = api_as(director)
    created = client.post(
        detail("loan_cap_joint"), {"value": "900000", "effective_from": _later(), "note": "误录"}, format="json"
    ).json()
    url = f"{detail('loan_cap_joint')}{created['id']}/withdraw/"

    assert api_as(clerk).post(url, {"reason": "x"}).status_code == 403
    client = api_as(director)
    assert client.post(url, {}).status_code == 400
    assert client.post(f"{detail('loan_cap_single')}{created['id']}/withdraw/", {"reason": "x"}).status_code == 404
    assert client.post(f"{detail('loan_cap_joint')}999999/withdraw/", {"reason": "x"}).status_code == 404
    assert client.post(url, {"reason": "文号有误"}).status_code == 200
    again = client.post(url, {"reason": "文号有误"})
    assert again.status_code == 400 and again.json()["detail"] == ["该值已撤回"]

    in_force = PolicyValue.objects.get(name="loan_cap_joint", withdrawn_at__isnull=True)
    response = client.post(f"{detail('loan_cap_joint')}{in_force.pk}/withdraw/", {"reason": "x"})
    assert response.status_code == 400


def test_the_schema_renders(api_as: Any, member: Any) -> None:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert "/api/policy/{name}/" in schema["paths"] or any("policy" in p for p in schema["paths"])
