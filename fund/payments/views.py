"""付款管理: every outgoing payment in every state, for 财务 and the director, with retry and hand-off."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from fund.portals.decorators import portal_required

from .models import Payment, PaymentState
from .purposes import purpose_label
from .selectors import PaymentFilter, payment_get_for_user, payments_for_user, payments_may_handle
from .services import payment_hand_off, payment_retry


@portal_required("staff")
def payment_list(request: HttpRequest) -> HttpResponse:
    if not payments_may_handle(request.user):
        raise Http404
    mine = payments_for_user(request.user)
    filtered = PaymentFilter(request.GET or None, queryset=mine)
    queryset = filtered.qs if filtered.is_bound and filtered.is_valid() else mine
    page = Paginator(queryset.prefetch_related("attempts").order_by("-id"), 30).get_page(request.GET.get("page"))
    rows = [{"payment": p, "purpose": purpose_label(p.purpose), "attempts": list(p.attempts.all())} for p in page]
    counts = {state: mine.filter(state=state).count() for state in (PaymentState.REFUSED, PaymentState.HANDED_OFF,
                                                                      PaymentState.PENDING, PaymentState.HELD)}
    return render(request, "payments/list.html", {
        "filter": filtered, "page_obj": page, "rows": rows, "refused": counts[PaymentState.REFUSED],
        "handed_off": counts[PaymentState.HANDED_OFF], "pending": counts[PaymentState.PENDING],
        "held": counts[PaymentState.HELD],
        "States": PaymentState,
    })


def _payment(request: HttpRequest, pk: int) -> Payment:
    try:
        return payment_get_for_user(request.user, pk)
    except Payment.DoesNotExist:
        raise Http404 from None


@portal_required("staff")
@require_POST
def payment_retry_view(request: HttpRequest, pk: int) -> HttpResponse:
    payment = _payment(request, pk)
    try:
        payment = payment_retry(payment_id=payment.pk, actor=request.user, force=True)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        if payment.state == PaymentState.PENDING:
            messages.success(request, f"已重新发起付款：{payment.subject_label}")
        else:
            messages.info(request, f"该笔付款状态为“{payment.get_state_display()}”，无需重新付款")
    return redirect("staff:payments")


@portal_required("staff")
@require_POST
def payment_hand_off_view(request: HttpRequest, pk: int) -> HttpResponse:
    payment = _payment(request, pk)
    try:
        payment_hand_off(payment_id=payment.pk, actor=request.user, note=request.POST.get("note", ""))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已转人工处理，不再自动重试：{payment.subject_label}")
    return redirect("staff:payments")


staff_patterns = [
    path("payments/", payment_list, name="payments"),
    path("payments/<int:pk>/retry/", payment_retry_view, name="payment_retry"),
    path("payments/<int:pk>/hand-off/", payment_hand_off_view, name="payment_hand_off"),
]
