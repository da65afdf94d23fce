"""Who sees the efficiency figures: the director (centre-wide) everything; a branch head (审批 of branch B) their
branch only, another branch being 404 as a missing one is; a clerk, a member, a unit's operator and a stranger
nothing (404). Answers follow the published schema; bad filters are a 400 naming the field."""

from typing import Any

import pytest

from fund.people.roles import roles_of
from fund.portals.nav import nav_entries
from tests.api_contract import Contract
from tests.clients import api, page

pytestmark = pytest.mark.django_db
MARCH = {"start": "2026-03", "end": "2026-03"}


def test_a_branch_head_sees_only_their_branch_and_another_branch_is_404(march: Any) -> None:
    contract = Contract.load()
    head = api(march.head_b)
    mine = contract.call(head, "get", "/api/service/measures/", query=MARCH).json()
    assert (mine["scope"], mine["branch_name"], mine["overall"]["applications"]) == ("高新区管理部", "高新区管理部", 3)
    assert [b["name"] for b in mine["by_branch"]] == ["高新区管理部"]
    assert contract.call(head, "get", "/api/service/measures/",
                         query={**MARCH, "branch": march.branch_a.pk}).status_code == 404
    assert contract.call(head, "get", "/api/service/measures/", query={**MARCH, "branch": 999999}).status_code == 404
    rows = contract.call(head, "get", "/api/service/measures/rows/", query=MARCH).json()["results"]
    assert {r["branch_name"] for r in rows} == {"高新区管理部"}

    assert page(march.head_b).get("/staff/measures/", {**MARCH, "branch": march.branch_a.pk}).status_code == 404
    body = page(march.head_b).get("/staff/measures/", MARCH).content.decode()
    assert "高新区管理部" in body and "市直管理部" not in body


def test_the_director_sees_every_branch(march: Any) -> None:
    contract = Contract.load()
    report = contract.call(api(march.director), "get", "/api/service/measures/", query=MARCH).json()
    assert report["scope"] == "全中心" and report["branch_id"] is None and report["overall"]["applications"] == 9
    assert report["overall"]["online_rate"] == "0.4444" and report["overall"]["median_minutes"] == "10.0"
    assert [b["name"] for b in report["by_branch"]] == ["市直管理部", "高新区管理部"]
    one = contract.call(api(march.director), "get", "/api/service/measures/",
                        query={**MARCH, "branch": march.branch_a.pk}).json()
    assert one["overall"]["applications"] == 6


def test_it_refuses_clerks_members_units_and_strangers(march: Any, world: Any) -> None:
    for user in (march.clerk_a, world.clerk_b, world.member_a, world.unit_a_op, world.outsider):
        for path in ("/api/service/measures/", "/api/service/measures/rows/", "/api/service/measures/export.xlsx"):
            assert api(user).get(path, MARCH).status_code == 404, (user, path)
        assert page(user).get("/staff/measures/").status_code == 404, user
        assert page(user).get("/staff/measures/export/").status_code == 404, user
    labels = lambda user: [str(e.label) for e in nav_entries("staff", roles_of(user))]  # noqa: E731
    assert "服务效能" in labels(march.director) and "服务效能" in labels(march.head_b)
    assert "服务效能" not in labels(march.clerk_a)


def test_bad_filters_are_a_400_naming_the_field_and_never_a_500(march: Any) -> None:
    contract = Contract.load()
    director = api(march.director)
    for query, field, words in (
        ({"start": "2026-13"}, "start", "起始年月"), ({"start": "2026-04", "end": "2026-03"}, "end", "不能早于"),
        ({"start": "2020-01", "end": "2026-03"}, "end", "最长 36 个月"), ({"item": "TQ 07"}, "item", "事项编码"),
        ({"branch": "甲"}, "branch", "管理部"),
    ):
        answer = contract.call(director, "get", "/api/service/measures/", query=query)
        assert answer.status_code == 400 and words in answer.json()[field][0], (query, answer.json())
    shown = page(march.director).get("/staff/measures/", {"start": "2026-13"})
    assert shown.status_code == 200 and "起始年月：年月格式应为 2026-03" in shown.content.decode()
