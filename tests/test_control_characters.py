"""A control character in any input is a 400 from every URL of the project, never a 500 (fund/middleware.py).

The sweep reads the URLconf itself, so a page or endpoint added later is covered without editing this file:
each pattern is called with its path parameters filled from the `world` fixture's objects, as a clerk, a unit
operator and a member, with a NUL in a query parameter and in a POST body; odd printable values go to every
URL as those three and to the admin's pages as the auditor, the one user the admin lets in.
"""

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from django.utils.regex_helper import normalize

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
# Every query parameter a view, an API or a filter form reads (Django admin's too), and the fields forms and
# APIs take; the scan below adds any name the code reads with GET.get("…") or query_params.get("…"), so a new
# filter is swept without editing this.
KNOWN_FILTERS = {
    "q", "page", "state", "category", "kind", "reason", "id_number", "unit", "type", "from", "to", "show", "month",
    "document", "action", "account", "year", "on", "operation", "reference", "system", "source", "target", "name",
    "o", "p", "e", "next", "_changelist_filters",
    "amount", "base", "bank_name", "bank_account", "bank_card", "bank_reference", "channel", "code", "credit_code",
    "decision", "direction", "effective_from", "effective_month", "from_centre", "letter_number", "loan", "materials",
    "member_ratio", "note", "opinion", "pay_day", "payee_card", "phone", "purpose", "relation", "start_month",
    "end_month", "subject_kind", "to_centre", "unit_ratio", "until", "value",
}


def filter_names() -> list[str]:
    read = re.compile(r"""(?:GET|query_params)(?:\.get(?:list)?\(|\[)\s*["']([A-Za-z_]\w*)["']""")
    names = set(KNOWN_FILTERS)
    for app in ("fund", "deposits", "withdrawals", "loans", "risk"):
        for source in (ROOT / app).rglob("*.py"):
            names.update(read.findall(source.read_text(encoding="utf-8")))
    return sorted(names)


def url_patterns() -> list[tuple[str, list[str]]]:
    """(format string, parameter names) of every URL pattern, e.g. ("staff/units/%(pk)s/", ["pk"])."""
    found: list[tuple[str, list[str]]] = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for pattern in patterns:
            regex = pattern.pattern.regex.pattern.removeprefix("^")
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + regex)
            elif isinstance(pattern, URLPattern):
                fmt, params = normalize(prefix + regex)[0]
                found.append((fmt, params))

    walk(get_resolver().url_patterns, "")
    return found


def path_values(world: Any) -> dict[str, Any]:
    """Existing objects for the path parameters, by the URL segment in front of the parameter."""
    from deposits.services.remittance import bill_generate
    from fund.catalogue.registry import catalogue_items
    from fund.policy.models import PolicyValue
    from risk.services import blacklist_add

    bill = bill_generate(actor=world.clerk, unit=world.unit_a, month=date(2025, 2, 1))
    entry = blacklist_add(actor=world.director, subject_kind="person", id_number=world.account_b.person.id_number,
                          name=world.account_b.person.name, category="fraud_withdrawal", reason="测试")
    policy = PolicyValue.objects.order_by("pk").first()
    return {
        "units": world.unit_a.pk, "members": world.account_a.pk, "accounts": world.account_a.pk,
        "remittance": bill.pk, "bills": bill.pk, "blacklist": entry.pk, "runs": 2025, "policy": policy.name,
        "policy_value": policy.pk, "code": catalogue_items()[0].code, "credit_code": world.unit_a.employer.credit_code,
        "reason_key": "07", "app_label": "deposits", "url": "nowhere/",
    }


def fill(fmt: str, params: list[str], values: dict[str, Any]) -> str:
    filled = {}
    for name in params:
        before = fmt.split(f"%({name})s")[0].rstrip("/").rsplit("/", 1)[-1]
        if before == "%(name)s":  # policy/<name>/<pk>/withdraw/: a value of that policy
            value = values["policy_value"]
        else:  # an id the fixture has no object for still runs the view, which answers 404
            value = values.get(before, values.get(name, 1))
        filled[name] = value
    return "/" + fmt % filled


def sweep_urls(world: Any) -> list[str]:
    values = path_values(world)
    return [fill(fmt, params, values) for fmt, params in url_patterns()]


def client_for(user: Any) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


USERS = ["clerk", "unit_a_op", "member_a"]


@pytest.mark.parametrize("who", USERS)
def test_it_refuses_a_nul_in_a_query_parameter_of_every_url(world, who):
    client, names = client_for(getattr(world, who)), filter_names()
    wrong = []
    for index, url in enumerate(sweep_urls(world)):
        # Each URL gets a NUL in one filter (taking the names in turn, so every name meets many URLs), and
        # harmless values in the others, as a fuzzer would send them.
        nul = names[index % len(names)]
        query = "&".join(f"{n}=%00" if n == nul else f"{n}=1" for n in names)
        response = client.get(f"{url}?{query}")
        if response.status_code != 400:
            wrong.append((url, nul, response.status_code))
    assert wrong == []


@pytest.mark.parametrize("who", USERS)
def test_it_refuses_a_nul_in_a_form_field_or_json_string_posted_to_every_url(world, who):
    client, names = client_for(getattr(world, who)), filter_names()
    wrong = []
    for index, url in enumerate(sweep_urls(world)):
        field = names[index % len(names)]
        form = client.post(url, {"memo": "正常的说明", field: "甲\x00乙"})
        json = client.post(url, {"memo": "正常", "details": {"list": ["ok", {field: "a\x00"}]}},
                           content_type="application/json")
        if form.status_code != 400 or json.status_code != 400:
            wrong.append((url, field, form.status_code, json.status_code))
    assert wrong == []


# Printable values a fuzzer sends: none is a 400 from the middleware, so these reach every view and its
# filters, forms and services, which must answer 4xx (or ignore them), never 500.
ODD = ["Ç'\"<>", "99999999999999999999", "-1", "2026-02-30", "%", "x" * 2000, "1e400", "NaN", "0"]


def refused_at_the_door(roles: Any, url: str, response: Any) -> bool:
    """The user may not use the URL at all: another portal's page (its decorator answers 404 before the view
    reads anything) or an API their role is refused (403) — a POST would be turned away alike."""
    from fund.portals.decorators import ROLE_CHECKS

    if response.status_code in (401, 403):
        return True
    portal = url.strip("/").split("/")[0]
    return portal in ROLE_CHECKS and not ROLE_CHECKS[portal](roles) and response.status_code in (302, 404)


def for_whom(urls: list[str], user: Any) -> list[str]:
    """The admin's hundreds of generated pages only for the user the admin lets in (the auditor, who is swept
    there alone: the clerk covers the staff pages); the others meet its door once (the index)."""
    if user.is_staff:
        return [url for url in urls if url.startswith("/admin/")]
    return [url for url in urls if not url.startswith("/admin/") or url == "/admin/"]


@pytest.mark.parametrize("who", [*USERS, "auditor"])
def test_no_url_answers_500_to_odd_printable_values_in_its_query_or_body(world, who):
    from fund.people.roles import roles_of

    user = getattr(world, who)
    client, names, roles = client_for(user), filter_names(), roles_of(user)
    wrong = []
    for index, url in enumerate(for_whom(sweep_urls(world), user)):
        values = {name: ODD[(index + i) % len(ODD)] for i, name in enumerate(names)}
        got = client.get(url, values)
        answers = [got.status_code]
        if not url.startswith("/admin/") and "logout" not in url and not refused_at_the_door(roles, url, got):
            answers += [client.post(url, values).status_code,
                        client.post(url, values, content_type="application/json").status_code]
        if max(answers) >= 500:
            wrong.append((url, answers))
    assert wrong == []


@pytest.mark.parametrize("url, param", [
    ("/api/deposits/merge/accounts/", "id_number"), ("/api/risk/blacklist/", "category"),
    ("/api/risk/blacklist/", "q"), ("/api/risk/blacklist/", "kind"), ("/api/withdrawals/", "state"),
    ("/api/withdrawals/", "reason"), ("/api/deposits/applications/", "state"),
])
def test_the_api_answers_a_nul_in_a_filter_with_a_400_naming_it(world, url, param):
    response = client_for(world.director).get(f"{url}?{param}=%00")
    assert response.status_code == 400
    assert param in response.json() and "控制字符" in response.json()[param][0]


@pytest.mark.parametrize("url", ["/staff/members/?q=%00", "/staff/units/?q=%00", "/staff/merge/?id_number=%00"])
def test_a_page_answers_a_nul_in_a_filter_with_a_chinese_400_page(world, url):
    response = client_for(world.director).get(url)
    assert response.status_code == 400
    page = response.content.decode()
    assert "请求内容有误" in page and "控制字符" in page


@pytest.mark.parametrize("url", ["/api/withdrawals/%00/", "/staff/units/%00/", "/guide/%00/", "/verify/ab%01cd/",
                                 "/api/catalogue/%7F/"])
def test_it_refuses_a_control_character_in_a_path_segment(world, url):
    response = client_for(world.director).get(url)
    assert response.status_code == 400


@pytest.mark.parametrize("value", ["\t", "\n", "\x1b", "\x7f", "\x85"])
def test_it_refuses_every_other_control_character_in_a_query(world, value):
    response = client_for(world.director).get("/api/risk/blacklist/", {"q": f"张{value}三"})
    assert response.status_code == 400


def test_a_multi_line_text_box_may_send_line_breaks_and_tabs_but_no_other_control_character(world):
    from deposits.models import UnitApplication

    client = client_for(world.unit_a_op)
    month = f"{timezone.localdate():%Y-%m}"
    form = {"kind": "deferral", "start_month": month, "end_month": month, "reason": "经营困难\r\n详见附件\t说明"}
    assert client.post("/unit/applications/", form).status_code == 302
    assert UnitApplication.objects.get().reason == "经营困难\r\n详见附件\t说明"
    bell = client.post("/unit/applications/", {**form, "reason": "经营困难\x07"})
    assert bell.status_code == 400 and "控制字符" in bell.content.decode()
    assert UnitApplication.objects.count() == 1


def test_a_lone_surrogate_in_json_is_refused_before_the_database_cannot_encode_it(world):
    response = client_for(world.director).post(
        "/api/risk/blacklist/", '{"subject_kind": "person", "name": "\\ud800"}', content_type="application/json"
    )
    assert response.status_code == 400 and "控制字符" in response.json()["name"][0]


def test_a_nul_in_a_header_is_refused_and_not_looked_up_as_a_token(world):
    response = Client(raise_request_exception=False).get("/api/me/", HTTP_AUTHORIZATION="Token abc\x00def")
    assert response.status_code == 400 and "Authorization" in response.json()["detail"]


def test_a_session_cookie_with_a_nul_is_dropped_not_looked_up(world):
    # Cookie values may carry octal escapes ("\000"), which Django decodes into a NUL.
    client = Client(raise_request_exception=False, HTTP_COOKIE='sessionid="abcdefghijk\\000"')
    response = client.get("/staff/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_uploaded_file_name_keeps_no_control_character(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from deposits.models import BaseAdjustmentBatch

    client = client_for(world.unit_a_op)
    response = client.post("/unit/base/", {"year": "2025", "effective_month": "2025-07",
                                           "file": SimpleUploadedFile("调基\x00\x1b表.xlsx", b"not a workbook")})
    assert response.status_code < 500
    names = list(BaseAdjustmentBatch.objects.values_list("file_name", flat=True))
    assert all(not re.search("[\x00-\x1f]", name) for name in names)
