"""fund.views.form_submit: the one form → service → errors → message → redirect block every page uses."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory

from fund.views import attempt, form_submit


class NameForm(forms.Form):
    name = forms.CharField(label="名称", max_length=20)


def _request(data: dict[str, str] | None = None):
    request = RequestFactory().post("/x/", data or {}) if data is not None else RequestFactory().get("/x/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _said(request) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in get_messages(request)]


def _refuse(error: ValidationError):
    def run(data):
        raise error
    return run


def test_a_valid_form_runs_the_service_says_the_message_and_redirects_to_the_result():
    request = _request({"name": "甲"})
    form = NameForm(request.POST)
    response = form_submit(request, form, lambda data: {"pk": 7, **data},
                           done=lambda thing: f"已保存 {thing['name']}", then=lambda thing: f"/things/{thing['pk']}/")
    assert response == "/things/7/"
    assert _said(request) == [("success", "已保存 甲")]


def test_a_url_name_as_then_is_redirected_to():
    request = _request({"name": "甲"})
    response = form_submit(request, NameForm(request.POST), lambda data: None, done="好", then="/staff/")
    assert response is not None and response.status_code == 302 and response["Location"] == "/staff/"


def test_it_puts_an_error_the_service_names_a_field_with_on_that_field_and_does_not_redirect():
    request = _request({"name": "甲"})
    form = NameForm(request.POST)
    response = form_submit(request, form, _refuse(ValidationError({"name": "名称：已被使用"})), done="好", then="/")
    assert response is None
    assert form.errors == {"name": ["名称：已被使用"]}
    assert _said(request) == []


def test_it_puts_an_error_on_a_field_the_form_does_not_have_above_the_form():
    request = _request({"name": "甲"})
    form = NameForm(request.POST)
    form_submit(request, form, _refuse(ValidationError({"unit": "单位：已封存"})), done="好", then="/")
    assert form.non_field_errors() == ["单位：已封存"]
    assert "name" not in form.errors


def test_it_puts_an_error_without_a_field_above_the_form():
    request = _request({"name": "甲"})
    form = NameForm(request.POST)
    form_submit(request, form, _refuse(ValidationError(["账户状态已变化", "请刷新"])), done="好", then="/")
    assert form.non_field_errors() == ["账户状态已变化", "请刷新"]


def test_it_does_not_run_the_service_for_an_invalid_or_unbound_form():
    ran = []
    request = _request({"name": ""})
    invalid = NameForm(request.POST)
    assert form_submit(request, invalid, lambda data: ran.append(data), done="好", then="/") is None
    assert form_submit(_request(), NameForm(None), lambda data: ran.append(data), done="好", then="/") is None
    assert ran == [] and "name" in invalid.errors


def test_it_lets_a_permission_refusal_through_so_it_stays_a_403():
    request = _request({"name": "甲"})

    def forbidden(data):
        raise PermissionDenied("您的岗位不能办理此业务")

    with pytest.raises(PermissionDenied):
        form_submit(request, NameForm(request.POST), forbidden, done="好", then="/")


def test_a_refused_one_button_action_says_each_reason_and_no_success():
    request = _request({})

    def refused() -> None:
        raise ValidationError(["甲", "乙"])

    assert attempt(request, refused, "已办理") is False
    assert _said(request) == [("error", "甲"), ("error", "乙")]
