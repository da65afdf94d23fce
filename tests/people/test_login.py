"""Signing in: ID number or user name, throttling, the password policy, and the SMS reset."""

import re

import pytest
from django.test import Client

from fund.integrations.sms import sandbox_last_message
from fund.people.models import OneTimeCode
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def login(client: Client, username: str, password: str):  # type: ignore[no-untyped-def]
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_a_member_signs_in_with_their_id_number_and_lands_in_their_hall(world, client):
    response = login(client, world.account_a.person.id_number, PASSWORD)
    assert response.status_code == 302
    assert client.get("/home/").url == "/member/"


@pytest.mark.parametrize(("who", "portal"), [("clerk", "/staff/"), ("unit_a_op", "/unit/"), ("dev_a", "/developer/")])
def test_each_kind_of_user_lands_in_their_portal(world, client, who, portal):
    assert login(client, getattr(world, who).username, PASSWORD).status_code == 302
    assert client.get("/home/").url == portal


def test_repeated_failures_lock_the_account_for_a_while(world, client):
    for _ in range(5):
        login(client, "clerk", "wrong-password")
    response = login(client, "clerk", PASSWORD)  # right password, but locked
    assert response.status_code == 200
    assert "登录失败次数过多" in response.content.decode()


def test_weak_passwords_are_refused():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ("short1A!", "alllowercaseletters", "1234567890123"):
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("Gongjijin#2026")


def test_sessions_expire_when_idle(settings):
    assert settings.SESSION_COOKIE_AGE <= 1800 and settings.SESSION_SAVE_EVERY_REQUEST


def test_password_reset_by_sms_code(world, client, django_capture_on_commit_callbacks):
    person = world.account_a.person
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password-reset/", {"username": person.id_number, "phone": person.phone})
    code = re.search(r"验证码为 (\d{6})", sandbox_last_message(person.phone)).group(1)
    wrong = client.post("/accounts/password-reset/confirm/", {
        "username": person.id_number, "code": f"{(int(code) + 1) % 10**6:06d}",
        "new_password1": "Xin#Mima2026", "new_password2": "Xin#Mima2026"})
    assert "验证码不正确" in wrong.content.decode()
    ok = client.post("/accounts/password-reset/confirm/", {
        "username": person.id_number, "code": code, "new_password1": "Xin#Mima2026", "new_password2": "Xin#Mima2026"})
    assert ok.status_code == 302
    assert login(Client(), person.id_number, "Xin#Mima2026").status_code == 302
    reused = client.post("/accounts/password-reset/confirm/", {
        "username": person.id_number, "code": code, "new_password1": "Other#Mima2026", "new_password2": "Other#Mima2026"})
    assert "验证码已失效" in reused.content.decode()


def test_a_reset_for_a_wrong_phone_sends_nothing_and_says_the_same(world, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password-reset/", {"username": "clerk", "phone": "13900000000"}, follow=True)
    assert "如账号与手机号码匹配" in response.content.decode()
    assert not OneTimeCode.objects.exists()
    assert sandbox_last_message("13900000000") is None


def test_token_login_for_the_mobile_app(world):
    from rest_framework.test import APIClient

    client = APIClient()
    bad = client.post("/api/auth/token/", {"username": world.account_a.person.id_number, "password": "nope"})
    assert bad.status_code == 400 and bad.json()["password"] == ["账号或密码不正确"]
    token = client.post("/api/auth/token/", {"username": world.account_a.person.id_number, "password": PASSWORD}).json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/me/").json()["portals"] == ["个人网厅"]
