"""Error pages a person sees (DEBUG is off): Chinese, in the site's look, saying what happened and where to
go; the same answers under /api/ stay JSON for programs."""

import pytest
from django.test import Client, override_settings

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

SITE_LOOK = 'class="site-header"'


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_missing_page_is_a_chinese_page_with_ways_out(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "页面不存在" in body and SITE_LOOK in body
    assert 'href="/"' in body and "返回首页" in body and 'href="/accounts/login/"' in body
    assert "Not Found" not in body


def test_a_missing_page_offers_a_signed_in_user_their_own_home(world):
    body = signed_in(world.member_a).get("/member/no-such-page/").content.decode()
    assert "页面不存在" in body and 'href="/home/"' in body
    assert 'href="/accounts/login/"' not in body  # signed in: no offer to sign in again


def test_a_forbidden_action_is_a_chinese_403_page(world):
    # The 稽核 post may look at the staff portal but not open units (fund.portals.decorators.accept_post_required).
    response = signed_in(world.auditor).get("/staff/units/open/")
    assert response.status_code == 403
    body = response.content.decode()
    assert "无权办理此项业务" in body and SITE_LOOK in body and "Forbidden" not in body
    assert "您的岗位不能办理此业务" in body  # the refusal's own words, when it has them


def test_a_refused_form_says_in_chinese_to_reload_and_submit_again(world):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "clerk", "password": PASSWORD})
    assert response.status_code == 403
    body = response.content.decode()
    assert "页面已过期" in body and "刷新后重新" in body and SITE_LOOK in body
    assert "CSRF verification failed" not in body and "Forbidden" not in body
    assert not response.wsgi_request.user.is_authenticated


@override_settings(ROOT_URLCONF="tests.error_urls")
def test_a_failing_view_answers_the_chinese_500_page_without_technical_detail():
    client = Client(raise_request_exception=False)
    response = client.get("/test-broken/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "系统暂时出现问题" in body and "12329" in body and SITE_LOOK in body
    assert "RuntimeError" not in body and "Traceback" not in body and "a bug in a view" not in body


def test_the_500_handler_renders_without_a_working_request_context(rf):
    from fund.errors import server_error

    response = server_error(rf.get("/staff/"))
    assert response.status_code == 500 and "系统暂时出现问题" in response.content.decode()


def test_api_paths_keep_answering_json(world):
    client = signed_in(world.clerk)
    missing = client.get("/api/no-such-endpoint/")
    assert missing.status_code == 404
    assert missing["Content-Type"].startswith("application/json")
    assert missing.json() == {"detail": "您要找的页面不存在，或您无权查看。"}


@override_settings(ROOT_URLCONF="tests.error_urls")
def test_api_paths_answer_a_failure_as_json():
    response = Client(raise_request_exception=False).get("/api/test-broken/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json") and "detail" in response.json()


def test_a_request_too_large_to_read_is_a_chinese_400_page(world, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    client = signed_in(world.clerk)
    response = client.post("/accounts/login/", {f"f{i}": "x" for i in range(20)})
    assert response.status_code == 400
    body = response.content.decode()
    assert "请求无法处理" in body and SITE_LOOK in body and "Bad Request" not in body


def test_opening_a_form_only_address_in_the_browser_is_a_chinese_page_not_a_blank_one(world):
    response = signed_in(world.clerk).get("/accounts/logout/")  # logout takes a POST only
    assert response.status_code == 405 and "POST" in response["Allow"]
    body = response.content.decode()
    assert "无法以这种方式打开此页面" in body and SITE_LOOK in body
