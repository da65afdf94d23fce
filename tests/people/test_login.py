"""Signing in: ID number or user name, throttling, the password policy, and the SMS reset."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from fund.integrations.base import Rejected, Unavailable
from fund.integrations.models import SandboxSms
from fund.integrations.sms import SandboxSmsGateway, sandbox_last_message
from fund.people.models import OneTimeCode, User
from tests.conftest import PASSWORD, open_member

pytestmark = pytest.mark.django_db


def login(client: Client, username: str, password: str):
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
    with pytest.raises(ValidationError) as exc:
        validate_password("Ab1!xyz")
    assert exc.value.messages == ["密码太短，至少需要 10 个字符"]


def test_sessions_expire_when_idle(settings):
    assert settings.SESSION_COOKIE_AGE <= 1800 and settings.SESSION_SAVE_EVERY_REQUEST


def test_password_reset_by_sms_code(world, client, django_capture_on_commit_callbacks):
    person = world.account_a.person
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password-reset/", {"username": person.id_number, "phone": person.phone})
    code = re.search(r"验证码为 (\d{6})", sandbox_last_message(person.phone)).group(1)
    wrong = client.post("/accounts/password-reset/confirm/", {
        "code": f"{(int(code) + 1) % 10**6:06d}",
        "new_password1": "Xin#Mima2026", "new_password2": "Xin#Mima2026"})
    assert "验证码不正确" in wrong.content.decode()
    ok = client.post("/accounts/password-reset/confirm/", {
        "code": code, "new_password1": "Xin#Mima2026", "new_password2": "Xin#Mima2026"})
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


# --- SMS reset: delivery through the task, limits, enumeration, the session --------------------------------

RESET = "/accounts/password-reset/"
NEUTRAL = "如账号与手机号码匹配，验证码已发送，10分钟内有效。"


def ask_code(client: Client, username: str, phone: str, ip: str = "10.0.0.1"):
    return client.post(RESET, {"username": username, "phone": phone}, REMOTE_ADDR=ip)


def texts_to(phone: str) -> int:
    return SandboxSms.objects.filter(phone=phone).count()


def test_the_code_goes_out_from_the_task_only_after_commit(world, client, django_capture_on_commit_callbacks, monkeypatch):
    person = world.account_a.person
    from fund.people.tasks import send_sms

    queued = []
    real_delay = send_sms.delay
    monkeypatch.setattr(send_sms, "delay", lambda *args, **kwargs: (queued.append(args), real_delay(*args, **kwargs)))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ask_code(client, person.id_number, person.phone)
    assert texts_to(person.phone) == 0 and not queued  # nothing leaves before the commit
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(queued) == 1 and queued[0][0] == person.phone and all(isinstance(a, str) for a in queued[0])
    assert re.search(r"验证码为 \d{6}", sandbox_last_message(person.phone))


@pytest.mark.parametrize("error", [Rejected("手机号码已停机"), Unavailable("网关超时")])
def test_a_failing_gateway_is_logged_not_shown(world, client, django_capture_on_commit_callbacks, monkeypatch, error):
    person = world.account_a.person
    calls = []

    def broken(self, *, phone, text):
        calls.append(phone)
        raise error

    monkeypatch.setattr(SandboxSmsGateway, "send", broken)
    if isinstance(error, Unavailable):
        # Eager tasks retry in-process only when they do not propagate errors, as a worker would.
        from fund.celery import app

        monkeypatch.setitem(app.conf, "task_eager_propagates", False)
    with django_capture_on_commit_callbacks(execute=True):
        response = ask_code(client, person.id_number, person.phone)
    assert response.status_code == 302 and response.url == "/accounts/password-reset/confirm/"
    # Refused: one try. Unavailable: the first try and the retries, then it gives up quietly.
    assert len(calls) == (1 if isinstance(error, Rejected) else 6)


def test_matching_and_non_matching_pairs_get_the_same_answer(world, django_capture_on_commit_callbacks):
    person = world.account_a.person
    answers = []
    for phone in (person.phone, "13900000000"):
        client = Client()
        with django_capture_on_commit_callbacks(execute=True):
            response = ask_code(client, person.id_number, phone)
        page = client.get(response.url)
        answers.append((response.status_code, response.url, [str(m) for m in page.context["messages"]]))
    assert answers[0] == answers[1] == (302, "/accounts/password-reset/confirm/", [NEUTRAL])
    assert texts_to(person.phone) == 1


def test_it_sends_at_most_five_codes_per_account_an_hour(world, client, django_capture_on_commit_callbacks):
    person = world.account_a.person
    for n in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            ask_code(client, person.id_number, person.phone, ip=f"10.0.1.{n}")
    assert texts_to(person.phone) == 5
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        sixth = ask_code(client, person.id_number, person.phone, ip="10.0.1.99")
    assert not callbacks and texts_to(person.phone) == 5
    assert sixth.status_code == 302 and sixth.url == "/accounts/password-reset/confirm/"
    assert NEUTRAL in client.get(sixth.url).content.decode()
    # An hour later the account may ask again.
    OneTimeCode.objects.update(created_at=timezone.now() - timedelta(hours=1, minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        ask_code(client, person.id_number, person.phone, ip="10.0.1.99")
    assert texts_to(person.phone) == 6


def test_it_answers_at_most_twenty_requests_per_address_an_hour(world, client, django_capture_on_commit_callbacks):
    person = world.account_a.person
    for n in range(20):  # probing pairs that do not match still counts
        ask_code(client, person.id_number, f"139000000{n:02d}", ip="10.0.2.1")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = ask_code(client, person.id_number, person.phone, ip="10.0.2.1")
    assert not callbacks and texts_to(person.phone) == 0 and not OneTimeCode.objects.exists()
    assert response.status_code == 302 and response.url == "/accounts/password-reset/confirm/"
    assert NEUTRAL in client.get(response.url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        ask_code(client, person.id_number, person.phone, ip="10.0.2.2")  # another address is not held back
    assert texts_to(person.phone) == 1


def test_a_wrong_phone_creates_no_login_for_a_member_without_one(world, client, django_capture_on_commit_callbacks):
    account = open_member(world.clerk, world.unit_a, 3)
    person = account.person
    assert not User.objects.filter(person=person).exists()
    with django_capture_on_commit_callbacks(execute=True):
        ask_code(client, person.id_number, "13900000000")
    assert not User.objects.filter(person=person).exists() and not User.objects.filter(username=person.id_number).exists()
    assert texts_to("13900000000") == 0
    with django_capture_on_commit_callbacks(execute=True):
        ask_code(client, person.id_number, person.phone)
    user = User.objects.get(person=person)
    assert user.username == person.id_number and not user.has_usable_password()
    assert texts_to(person.phone) == 1


def test_the_session_not_the_url_carries_the_user_name(world, client, django_capture_on_commit_callbacks):
    person = world.account_a.person
    with django_capture_on_commit_callbacks(execute=True):
        response = ask_code(client, person.id_number, person.phone)
    assert person.id_number not in response.url and "?" not in response.url
    assert client.session["reset_username"] == person.id_number
    page = client.get(response.url)
    assert page.context["form"].initial["username"] == person.id_number
    code = re.search(r"验证码为 (\d{6})", sandbox_last_message(person.phone)).group(1)
    ok = client.post(response.url, {"code": code, "new_password1": "Xin#Mima2026", "new_password2": "Xin#Mima2026"})
    assert ok.status_code == 302 and "reset_username" not in client.session
    assert login(Client(), person.id_number, "Xin#Mima2026").status_code == 302


def test_the_confirm_step_without_a_user_name_asks_for_a_code_first(world, client):
    response = client.post("/accounts/password-reset/confirm/", {
        "code": "123456", "new_password1": "Xin#Mima2026", "new_password2": "Xin#Mima2026"})
    assert response.status_code == 200 and "请先获取短信验证码" in response.content.decode()


# --- user name vs ID number ------------------------------------------------------------------------------------

def test_a_user_name_equal_to_another_members_id_number_signs_in_its_own_user(world, client):
    person = world.account_a.person
    world.member_a.username = "member_a"
    world.member_a.save(update_fields=["username"])
    other = User.objects.create_user(username=person.id_number, password="Qita#Mima2026")
    assert login(client, person.id_number, "Qita#Mima2026").status_code == 302
    assert int(client.session["_auth_user_id"]) == other.pk
    member = Client()
    assert login(member, "member_a", PASSWORD).status_code == 302
    assert int(member.session["_auth_user_id"]) == world.member_a.pk
    # Without the collision the ID number still finds the member.
    assert User.objects.get_by_natural_key(world.account_b.person.id_number.lower()) == world.member_b
