from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from fund.views import apply_errors

from .auth import client_ip
from .forms import LoginForm, PasswordResetConfirmForm, PasswordResetRequestForm
from .roles import roles_of
from .services import password_reset_confirm, password_reset_request
from .tokens import api_token_get_for_user, api_token_revoke, api_tokens_for_user


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True


RESET_SESSION_KEY = "reset_username"
RESET_SENT_MESSAGE = "如账号与手机号码匹配，验证码已发送，10分钟内有效。"


@require_http_methods(["GET", "POST"])
def password_reset_sms(request: HttpRequest) -> HttpResponse:
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"].strip()
        password_reset_request(username=username, phone=form.cleaned_data["phone"], ip=client_ip(request))
        # The same answer whether or not the pair matched or a limit was reached. The user name (an ID
        # number) stays in the session, out of the URL and so out of access logs.
        request.session[RESET_SESSION_KEY] = username
        messages.info(request, RESET_SENT_MESSAGE)
        return redirect("password_reset_sms_confirm")
    return render(request, "registration/password_reset_sms.html", {"form": form})


@require_http_methods(["GET", "POST"])
def password_reset_sms_confirm(request: HttpRequest) -> HttpResponse:
    in_session = request.session.get(RESET_SESSION_KEY, "")
    form = PasswordResetConfirmForm(request.POST or None, initial={"username": in_session})
    if request.method == "POST" and form.is_valid():
        username = in_session or form.cleaned_data["username"]
        if not username:
            form.add_error(None, "请先获取短信验证码")
        else:
            try:
                password_reset_confirm(
                    username=username, code=form.cleaned_data["code"],
                    new_password=form.cleaned_data["new_password1"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                request.session.pop(RESET_SESSION_KEY, None)
                messages.success(request, "密码已重置，请使用新密码登录。")
                return redirect("login")
    return render(request, "registration/password_reset_confirm_sms.html", {"form": form})


PORTAL_BASES = {"staff": "staff/base.html", "unit": "unit/base.html", "member": "member/base.html",
                "developer": "developer/base.html", "bank": "bank/base.html"}


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    """我的登录设备: the user's own API tokens (phone apps, integrations), each revocable here."""
    portals = [name.split(":")[0] for name, _ in roles_of(request.user).portals]
    base = next((PORTAL_BASES[p] for p in portals if p in PORTAL_BASES), "public/base.html")
    return render(request, "people/api_tokens.html", {"tokens": api_tokens_for_user(request.user), "base": base})


@login_required
@require_POST
def api_token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    token = api_token_get_for_user(user=request.user, pk=pk)  # someone else's token: 404
    if api_token_revoke(actor=request.user, token=token):
        messages.success(request, f"已撤销“{token.name}”，该设备需重新登录。")
    return redirect("api_tokens")
