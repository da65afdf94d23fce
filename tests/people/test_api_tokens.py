"""API tokens per device or client: signing in on one never signs another out; each is named, expires on its
own, and is listed and revoked by its user only; a bad token answers 401 with a challenge."""

import hashlib
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from fund.audit.models import AuditEvent
from fund.people.models import ApiToken
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

ME = "/api/me/"


@pytest.fixture(autouse=True)
def _fresh_sign_in_rate():
    """The sign-in rate (10 a minute per address) lives in the cache; these tests sign in more often than that."""
    cache.clear()
    yield
    cache.clear()


def sign_in(username: str, password: str = PASSWORD, **extra) -> dict:
    response = APIClient().post("/api/auth/token/", {"username": username, "password": password, **extra}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def bearer(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_two_sign_ins_of_one_user_both_keep_working(world):
    phone = sign_in(world.unit_a_op.username, name="我的手机")
    integrator = sign_in(world.unit_a_op.username, name="财务系统接口")
    assert phone["token"] != integrator["token"]
    assert bearer(phone["token"]).get(ME).status_code == 200
    assert bearer(integrator["token"]).get(ME).status_code == 200
    names = [t["name"] for t in bearer(phone["token"]).get("/api/auth/tokens/").json()]
    assert names == ["财务系统接口", "我的手机"]


def test_the_sign_in_answer_keeps_its_contract_and_says_when_the_token_expires(world, settings):
    answer = sign_in(world.clerk.username)
    assert set(answer) >= {"token", "id", "name", "expires_at"}
    token = ApiToken.objects.get(pk=answer["id"])
    assert token.expires_at - token.created_at == timedelta(hours=settings.FUND_API_TOKEN_HOURS)


def test_revoking_one_token_keeps_the_other_signed_in(world):
    phone = sign_in(world.member_a.username, name="手机")
    laptop = sign_in(world.member_a.username, name="电脑")
    revoked = bearer(laptop["token"]).post(f"/api/auth/tokens/{phone['id']}/revoke/")
    assert revoked.status_code == 204
    assert bearer(phone["token"]).get(ME).status_code == 401
    assert bearer(laptop["token"]).get(ME).status_code == 200
    assert AuditEvent.objects.filter(action="people.api_token.revoked", target_id=str(phone["id"])).exists()


def test_logout_revokes_only_the_token_it_was_sent_with(world):
    phone = sign_in(world.clerk.username, name="手机")
    laptop = sign_in(world.clerk.username, name="电脑")
    assert bearer(phone["token"]).post("/api/auth/logout/").status_code == 204
    assert bearer(phone["token"]).get(ME).status_code == 401
    assert bearer(laptop["token"]).get(ME).status_code == 200


def test_an_expired_token_answers_401_with_a_challenge(world, settings):
    answer = sign_in(world.clerk.username)
    client = bearer(answer["token"])
    ApiToken.objects.filter(pk=answer["id"]).update(expires_at=timezone.now() + timedelta(minutes=1))
    assert client.get(ME).status_code == 200  # not yet
    ApiToken.objects.filter(pk=answer["id"]).update(expires_at=timezone.now() - timedelta(seconds=1))
    expired = client.get(ME)
    assert expired.status_code == 401 and expired.json()["detail"] == "登录已过期，请重新登录"
    assert expired["WWW-Authenticate"] == "Token"
    assert [t.pk for t in ApiToken.objects.filter(user=world.clerk)] == [answer["id"]]  # kept, for the record


@pytest.mark.parametrize("header", ["Token not-a-real-key", "Token", "Token a b"])
def test_a_wrong_token_answers_401_not_403(world, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get(ME)
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"


def test_no_credentials_at_all_answers_401_with_a_challenge(db):
    response = APIClient().get(ME)
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"


def test_a_deactivated_users_token_is_refused(world):
    answer = sign_in(world.member_a.username)
    world.member_a.is_active = False
    world.member_a.save(update_fields=["is_active"])
    assert bearer(answer["token"]).get(ME).status_code == 401


def test_a_user_lists_only_their_own_tokens(world):
    owner = sign_in(world.unit_a_op.username, name="甲的手机")
    colleague = sign_in(world.unit_b_op.username, name="乙的手机")
    listed = bearer(owner["token"]).get("/api/auth/tokens/").json()
    assert [t["id"] for t in listed] == [owner["id"]] and listed[0]["current"] is True
    assert colleague["id"] not in [t["id"] for t in listed]
    assert "token" not in listed[0] and "key_hash" not in listed[0]


def test_it_refuses_to_revoke_another_users_token(world):
    owner = sign_in(world.unit_a_op.username)
    colleague = sign_in(world.unit_b_op.username)
    refused = bearer(colleague["token"]).post(f"/api/auth/tokens/{owner['id']}/revoke/")
    assert refused.status_code == 404
    assert bearer(owner["token"]).get(ME).status_code == 200


def test_an_outsider_can_neither_list_nor_revoke(world):
    owner = sign_in(world.member_a.username)
    assert APIClient().get("/api/auth/tokens/").status_code == 401
    assert APIClient().post(f"/api/auth/tokens/{owner['id']}/revoke/").status_code == 401
    outsider = APIClient()
    outsider.force_authenticate(world.outsider)
    assert outsider.get("/api/auth/tokens/").json() == []
    assert outsider.post(f"/api/auth/tokens/{owner['id']}/revoke/").status_code == 404
    assert bearer(owner["token"]).get(ME).status_code == 200


def test_the_key_is_stored_only_as_its_digest(world):
    answer = sign_in(world.clerk.username)
    token = ApiToken.objects.get(pk=answer["id"])
    assert token.key_hash == hashlib.sha256(answer["token"].encode()).hexdigest()
    row = {f.name: str(getattr(token, f.attname)) for f in ApiToken._meta.fields}
    assert not any(answer["token"] in value for value in row.values())
    assert len(answer["token"]) >= 32 and token.prefix == answer["token"][:6]


def test_failed_token_sign_ins_count_toward_the_lockout(world, settings):
    client = APIClient()
    for _ in range(settings.FUND_LOGIN_MAX_FAILURES):
        bad = client.post("/api/auth/token/", {"username": world.clerk.username, "password": "wrong"}, format="json")
        assert bad.status_code == 400 and bad.json()["password"] == ["账号或密码不正确"]
    locked = client.post("/api/auth/token/", {"username": world.clerk.username, "password": PASSWORD}, format="json")
    assert locked.status_code == 400 and locked.json()["password"] == ["登录失败次数过多，请稍后再试"]
    assert not ApiToken.objects.filter(user=world.clerk).exists()
    page = Client().post("/accounts/login/", {"username": world.clerk.username, "password": PASSWORD})
    assert page.status_code == 200 and "登录失败次数过多" in page.content.decode()  # the same count, both doors


def test_beyond_the_limit_the_least_recently_used_token_is_revoked(world, settings):
    settings.FUND_API_TOKENS_PER_USER = 2
    old = sign_in(world.member_a.username, name="旧手机")
    used = sign_in(world.member_a.username, name="平板")
    ApiToken.objects.filter(pk=old["id"]).update(created_at=timezone.now() - timedelta(hours=2))
    ApiToken.objects.filter(pk=used["id"]).update(created_at=timezone.now() - timedelta(hours=1))
    assert bearer(old["token"]).get(ME).status_code == 200  # the old phone was used just now
    newest = sign_in(world.member_a.username, name="新手机")
    assert bearer(used["token"]).get(ME).status_code == 401  # least recently used: the tablet
    assert bearer(old["token"]).get(ME).status_code == 200 and bearer(newest["token"]).get(ME).status_code == 200
    assert AuditEvent.objects.filter(action="people.api_token.evicted", target_id=str(used["id"])).exists()


def test_an_unnamed_sign_in_is_named_after_its_client_without_control_characters(world):
    response = APIClient().post("/api/auth/token/", {"username": world.clerk.username, "password": PASSWORD},
                                format="json", HTTP_USER_AGENT="FundApp/2.1 (Android)")
    assert response.json()["name"] == "FundApp/2.1 (Android)"
    assert sign_in(world.clerk.username, name="  ")["name"] == "未命名客户端"
    # A client whose name carries a control character is refused before any view (fund.middleware), so no
    # token is issued under a name that would reach the page.
    issued = ApiToken.objects.count()
    refused = APIClient().post("/api/auth/token/", {"username": world.clerk.username, "password": PASSWORD},
                               format="json", HTTP_USER_AGENT="FundApp/2.1 (Android)\x07")
    assert refused.status_code == 400 and ApiToken.objects.count() == issued


# --- the page: 我的登录设备 ------------------------------------------------------------------------------------

def page_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_page_lists_the_users_tokens_and_revokes_one(world):
    phone = sign_in(world.member_a.username, name="我的手机")
    other = sign_in(world.member_b.username, name="别人的手机")
    client = page_client(world.member_a)
    assert 'href="/accounts/tokens/"' in client.get("/member/").content.decode()  # linked from the header
    page = client.get("/accounts/tokens/").content.decode()
    assert "我的手机" in page and "别人的手机" not in page and phone["token"] not in page
    assert 'class="portal portal-member' in page  # in the member's own hall
    done = client.post(f"/accounts/tokens/{phone['id']}/revoke/", follow=True)
    assert "已撤销“我的手机”" in done.content.decode()
    assert bearer(phone["token"]).get(ME).status_code == 401
    assert client.post(f"/accounts/tokens/{other['id']}/revoke/").status_code == 404
    assert bearer(other["token"]).get(ME).status_code == 200


@pytest.mark.parametrize(("who", "portal"), [("clerk", "portal-staff"), ("unit_a_op", "portal-unit"), ("dev_a", "portal-developer"),
                                           ("outsider", "portal-public")])
def test_the_page_sits_in_each_users_own_portal(world, who, portal):
    page = page_client(getattr(world, who)).get("/accounts/tokens/").content.decode()
    assert f"portal {portal}" in page and "我的登录设备" in page


def test_the_page_needs_a_sign_in_and_a_revoke_needs_a_post(world):
    assert Client().get("/accounts/tokens/").status_code == 302
    token = sign_in(world.clerk.username)
    assert page_client(world.clerk).get(f"/accounts/tokens/{token['id']}/revoke/").status_code == 405
