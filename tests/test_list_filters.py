"""List filters (fund.filters + each app's FilterSet): a bad query value is a Chinese 400 on the API naming the
parameter, an error message on the page, never a 500; good values still filter."""

import pytest

from tests.clients import api, page

pytestmark = pytest.mark.django_db

BAD_API = [
    ("/api/withdrawals/?state=nope", "state", "状态"),
    ("/api/withdrawals/?reason=99", "reason", "提取原因"),
    ("/api/risk/blacklist/?kind=alien", "kind", "对象类型"),
    ("/api/risk/blacklist/?state=someday", "state", "状态"),
    ("/api/deposits/bills/?month=2025-99", "month", "缴存年月"),
    ("/api/deposits/bills/?state=nope", "state", "状态"),
    ("/api/deposits/applications/?state=nope", "state", "状态"),
    ("/api/deposits/unit-requests/?state=nope", "state", "状态"),
]


@pytest.mark.parametrize(("url", "param", "label"), BAD_API)
def test_it_refuses_a_bad_filter_value_on_the_api_with_a_chinese_400_naming_the_parameter(world, url, param, label):
    response = api(world.director).get(url)
    assert response.status_code == 400, response.content
    message = response.json()[param][0]
    assert message.startswith(f"{label}："), message


def test_good_api_filter_values_still_filter(world):
    client = api(world.director)
    assert client.get("/api/withdrawals/?state=paid&reason=07").status_code == 200
    assert client.get("/api/deposits/bills/?state=confirmed&month=2026-01").status_code == 200
    assert client.get("/api/deposits/applications/?state=submitted").status_code == 200


@pytest.mark.parametrize(("url", "said"), [
    ("/staff/withdrawals/?date_from=2026-13-40", "提交日期自："),
    ("/staff/withdrawals/?state=nope", "状态："),
    ("/staff/risk/blacklist/?category=nope", "失信类别："),
    ("/staff/remittance/?state=nope", "状态："),
    ("/staff/unit-requests/?state=nope", "状态："),
])
def test_a_page_says_which_filter_value_is_bad_and_still_lists(world, url, said):
    response = page(world.director).get(url)
    assert response.status_code == 200
    assert said in response.content.decode()
