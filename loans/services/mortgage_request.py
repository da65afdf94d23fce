"""抵押登记申请 filed with a loan application (贷款+不动产抵押登记一件事): the applicant asks for the loan and the
mortgage registration at once, and the centre files the registration with the property registry for them.

    prepared = mortgage_request_check(draft, owner_id_numbers=[…])   # outside any transaction: asks the registry
    request = mortgage_request_file(prepared=…, application=…, actor=…)  # in the caller's (the bundle's) transaction
    mortgage_request_send(request.pk)   # after commit, in a worker (loans.mortgage_request_send): the registry

The check decides what will be filed — a pre-mortgage (抵押权预告登记) on the purchase contract of an off-plan home,
or a mortgage on the certificate of a home that has one — and refuses at the door a home the registry shows as
already pledged. The request is written as 待发送 with everything the registry will be asked (so a retry asks the
same) and a reference made of the application's number and the kind; the send asks the registry through
`mortgage.registry_file` after commit, and records its answer once (compare-and-set): the registration's number,
or the registry's refusal, which the borrower is texted. The registry returns the first registration for a
reference asked again, so a retried send never files twice; registering after signing (`mortgage_register`) asks
under the same reference and gets the same registration back.

An application refused or withdrawn takes its request with it (`application_ended`, a move listener): a request
not yet sent is cancelled when the send comes to it, and a registration made is released at the registry
(`mortgage_request_release`, after commit). The request's row lock orders the listener and a send's answer, so
a registration that lands while the application ends is released too.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from fund.audit.services import audit_log
from fund.integrations import property_registry
from fund.integrations.base import IntegrationError, Unavailable
from fund.integrations.models import MortgageKind
from fund.workflow.moves import move_status

from ..models import ApplicationState, LoanApplication, MortgageRequest, MortgageRequestState
from ..states import MORTGAGE_REQUEST_MOVES
from .mortgage import application_home_certificate, is_off_plan, registry_file
from .notify import application_notify

S = MortgageRequestState
ENDED = (ApplicationState.REJECTED, ApplicationState.WITHDRAWN)


@dataclass(frozen=True)
class PreparedMortgageRequest:
    """What will be filed, as the check found it (the registry asked, outside any transaction)."""

    kind: str
    certificate_number: str
    purchase_contract: str
    owner_id_numbers: list[str]
    address: str
    amount: Decimal


class RequestNotSent(Exception):
    """The registry could not be reached; the request stays as it was and the task tries again later."""


def _unavailable(exc: IntegrationError) -> ValidationError:
    return ValidationError({"mortgage": [f"不动产登记系统暂时无法核验（{exc.message}），请稍后再试"]})


def mortgage_request_check(draft: LoanApplication, *, owner_id_numbers: list[str]) -> PreparedMortgageRequest:
    """What the request for the (unsaved) application `draft` will file, checked with the registry outside any
    transaction; ValidationError naming the field (purchase_contract, certificate_number, mortgage)."""
    owners = sorted({number for number in owner_id_numbers if number})
    try:
        if is_off_plan(draft):
            if not draft.purchase_contract:
                raise ValidationError({"purchase_contract": ["期房办理抵押权预告登记须填写购房合同/网签备案号"]})
            kind, certificate = MortgageKind.PRE, ""
        else:
            kind = MortgageKind.MORTGAGE
            certificate = application_home_certificate(draft, borrower_id_number=draft.borrower.id_number)
            if not certificate:
                raise ValidationError({"certificate_number": ["现房办理抵押登记须填写所购房屋的不动产权证号"]})
        # A home the registry already shows pledged (to anyone) cannot be pledged to the centre as well.
        for number in owners:
            for home in property_registry().homes(id_number=number).homes:
                same = (certificate and home.certificate_number == certificate) or (
                    draft.purchase_contract and home.purchase_contract == draft.purchase_contract)
                if same and home.mortgaged:
                    field = "certificate_number" if certificate else "purchase_contract"
                    raise ValidationError({field: ["不动产登记系统显示该房屋已有未注销的抵押登记，不能再办理抵押登记"]})
    except IntegrationError as exc:
        raise _unavailable(exc) from exc
    return PreparedMortgageRequest(
        kind=kind, certificate_number=certificate, purchase_contract=draft.purchase_contract if kind == MortgageKind.PRE
        else "", owner_id_numbers=owners, address=draft.home_address, amount=draft.amount_requested,
    )


def mortgage_request_file(*, prepared: PreparedMortgageRequest, application: LoanApplication, actor: Any) -> MortgageRequest:
    """File the request for the saved `application` in the caller's transaction; it is sent after commit."""
    from ..tasks import mortgage_request_send_task

    request = MortgageRequest.objects.filter(application=application).first()
    if request is not None:  # the application was a replay of one already filed
        return request
    request = MortgageRequest.objects.create(
        application=application, kind=prepared.kind, reference=f"{application.number}-{prepared.kind}",
        certificate_number=prepared.certificate_number, purchase_contract=prepared.purchase_contract,
        owner_id_numbers=prepared.owner_id_numbers, address=prepared.address, amount=prepared.amount,
        requested_by=actor,
    )
    audit_log(actor=actor, action="loans.mortgage_request.filed", target=request, new={
        "application": application.number, "mortgage_kind": request.kind, "reference": request.reference,
        "amount": request.amount,
    })
    request_id = request.pk
    transaction.on_commit(lambda: mortgage_request_send_task.delay(request_id), robust=True)
    return request


def mortgage_request_send(request_id: int) -> MortgageRequest:
    """Send a 待发送 request to the registry and record the answer; a request already answered is returned as it
    is, asking nobody. Outside any transaction. Raises RequestNotSent when the registry could not be reached."""
    request = MortgageRequest.objects.select_related("application__borrower").get(pk=request_id)
    if request.state != S.PENDING:
        return request
    if request.application.state in ENDED:  # refused or withdrawn before it was sent: never sent
        return _answer(request, S.CANCELLED, action="loans.mortgage_request.cancelled",
                       reason=f"贷款申请{request.application.get_state_display()}")
    MortgageRequest.objects.filter(pk=request.pk).update(attempts=F("attempts") + 1, sent_at=timezone.now())
    try:
        registration = registry_file(
            kind=request.kind, certificate_number=request.certificate_number,
            purchase_contract=request.purchase_contract, owner_id_numbers=list(request.owner_id_numbers),
            address=request.address, amount=request.amount, reference=request.reference,
        )
    except Unavailable as exc:
        audit_log(actor=None, action="loans.mortgage_request.send_failed", target=request,
                  new={"reason": exc.message, "property_call_id": exc.call_id})
        raise RequestNotSent(exc.message) from exc
    except IntegrationError as exc:
        return _answer(request, S.REFUSED, action="loans.mortgage_request.refused", reason=exc.message,
                       refusal=exc.message[:300], property_call_id=exc.call_id)
    return _answer(request, S.REGISTERED, action="loans.mortgage_request.registered",
                   note={"mortgage_number": registration.mortgage_number},
                   mortgage_number=registration.mortgage_number, registered_at=registration.registered_at,
                   property_call_id=registration.call_id)


def _answer(request: MortgageRequest, to: str, *, action: str, reason: str = "", note: dict[str, Any] | None = None,
            **fields: Any) -> MortgageRequest:
    with transaction.atomic():
        locked = MortgageRequest.objects.select_for_update(of=("self", "application")).select_related("application__borrower").get(pk=request.pk)
        if locked.state != S.PENDING:  # answered by a concurrent send of the same request
            return locked
        move_status(locked, to, table=MORTGAGE_REQUEST_MOVES, action=action, reason=reason, note=note, **fields)
        application = locked.application
        if to == S.CANCELLED:
            return locked
        ended = LoanApplication.objects.filter(pk=application.pk, state__in=ENDED).exists()
        if to == S.REGISTERED and ended:  # the application ended while the registry was answering
            _release_on_commit(locked)
            return locked
        if to == S.REGISTERED:
            text = (f"您随住房公积金贷款申请（{application.number}）提交的{locked.get_kind_display()}登记申请已办理，"
                    f"不动产登记证明号：{locked.mortgage_number}。")
        else:
            text = (f"您随住房公积金贷款申请（{application.number}）提交的{locked.get_kind_display()}登记申请未能办理："
                    f"{reason}。请联系综合窗口，贷款申请不受影响，可在签约后重新办理抵押登记。")
        application_notify(application, text)
    return locked


# ---- the application ended: cancel or release -----------------------------------------------------------------

def application_ended(obj: Any, old: str, new: str, actor: Any) -> None:
    """Move listener: an application refused or withdrawn has its registered request released after commit (one
    still 待发送 is cancelled by the send itself). Locks the request, so a send answering meanwhile is seen."""
    if not isinstance(obj, LoanApplication) or new not in ENDED:
        return
    request = MortgageRequest.objects.select_for_update().filter(application_id=obj.pk, state=S.REGISTERED).first()
    if request is not None:
        _release_on_commit(request)


def _release_on_commit(request: MortgageRequest) -> None:
    from ..tasks import mortgage_request_release_task

    request_id = request.pk
    transaction.on_commit(lambda: mortgage_request_release_task.delay(request_id), robust=True)


def mortgage_request_release(request_id: int) -> MortgageRequest:
    """Release (注销) at the registry the registration of a request whose application ended; outside any
    transaction, done once (releasing twice changes nothing there). RequestNotSent when the registry is down."""
    request = MortgageRequest.objects.select_related("application").get(pk=request_id)
    if request.state != S.REGISTERED or request.application.state not in ENDED:
        return request
    try:
        released = property_registry().release_mortgage(mortgage_number=request.mortgage_number)
    except Unavailable as exc:
        audit_log(actor=None, action="loans.mortgage_request.release_failed", target=request,
                  new={"reason": exc.message, "property_call_id": exc.call_id})
        raise RequestNotSent(exc.message) from exc
    with transaction.atomic():
        locked = MortgageRequest.objects.select_for_update().get(pk=request.pk)
        if locked.state == S.REGISTERED:
            move_status(locked, S.RELEASED, table=MORTGAGE_REQUEST_MOVES, action="loans.mortgage_request.released",
                        reason=f"贷款申请{request.application.get_state_display()}",
                        note={"mortgage_number": released.mortgage_number, "property_call_id": released.call_id})
    return locked
