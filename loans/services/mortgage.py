"""抵押/预抵押: pledging a signed loan's home at the property registry, and converting a pre-mortgage.

A home with its certificate (second-hand, self-built, or a new home in a completed project) gets a mortgage
(抵押登记); an off-plan home (新建商品房 in a project not yet 已建) has no certificate, so it gets a pre-mortgage
(抵押权预告登记) on its purchase contract. The registry is asked first, outside any transaction, with a reference
derived from the loan (the contract number and the kind), so a retry — after a timeout, a crash between the
answer and our commit, a double click — gets the first registration back and nothing is registered twice. Then,
under the loan's lock, the kind, number and time are recorded on the loan and the application moves 已签约待抵押 →
已抵押待放款. When the home is completed and its certificate issued, `mortgage_convert` registers the full
mortgage (the registry releases the pre-mortgage) and records the new number; the old one stays in the audit
trail. A registry that refuses leaves nothing recorded and says why.

A mortgage request filed with the application in the 贷款+不动产抵押登记一件事 bundle (services/mortgage_request.py)
asks the registry through the same `registry_file`; registering after signing then gets that registration back.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from fund.audit.services import audit_log
from fund.integrations import property_registry
from fund.integrations.base import IntegrationError
from fund.integrations.models import MortgageKind
from fund.integrations.property import MortgageRegistration
from fund.workflow.moves import move_status

from ..models import (
    ApplicationState,
    ConstructionState,
    HomeKind,
    Loan,
    LoanApplication,
    MortgageRequest,
    MortgageRequestState,
)
from ..states import APPLICATION_MOVES
from .signing import window_staff_check


def is_off_plan(application: LoanApplication) -> bool:
    """期房: a new home in a project not yet completed (未建/在建) — no certificate, so a pre-mortgage."""
    project = application.project
    return (application.home_kind == HomeKind.NEW and project is not None
            and project.construction != ConstructionState.BUILT)


def mortgage_reference(loan: Loan, kind: str) -> str:
    return f"{loan.contract_number}-{kind}"


def _registry_refused(exc: IntegrationError) -> ValidationError:
    return ValidationError({"mortgage": [f"不动产登记系统未办理：{exc.message}"]})


def home_certificate(loan: Loan) -> str:
    """The home's 不动产权证号: the application's, else the one the registry issued on the home bought under the
    application's purchase contract (an off-plan home once completed); "" when there is none yet."""
    try:
        return application_home_certificate(loan.application, borrower_id_number=loan.borrower.id_number)
    except IntegrationError as exc:
        raise _registry_refused(exc) from exc


def application_home_certificate(application: LoanApplication, *, borrower_id_number: str) -> str:
    """`home_certificate` for an application (a loan's, or one a bundle is filing a request for); the registry's
    IntegrationError passes through."""
    if application.certificate_number:
        return application.certificate_number
    if not application.purchase_contract:
        return ""
    homes = property_registry().homes(id_number=borrower_id_number)
    for home in homes.homes:
        if home.purchase_contract == application.purchase_contract and home.certificate_number:
            return home.certificate_number
    return ""


def registry_file(*, kind: str, certificate_number: str, purchase_contract: str, owner_id_numbers: list[str],
                  address: str, amount: Decimal, reference: str) -> MortgageRegistration:
    """Ask the property registry for a pre-mortgage (on the purchase contract) or a mortgage (on the certificate),
    with the centre as mortgagee, outside any transaction. The same `reference` again returns the first
    registration, so a retry never registers twice. The registry's IntegrationError passes through."""
    registry = property_registry()
    if kind == MortgageKind.PRE:
        return registry.register_pre_mortgage(
            purchase_contract=purchase_contract, owner_id_numbers=owner_id_numbers, address=address,
            mortgagee=settings.FUND_CENTRE_NAME, amount=amount, reference=reference,
        )
    return registry.register_mortgage(certificate_number=certificate_number, kind=MortgageKind.MORTGAGE,
                                      mortgagee=settings.FUND_CENTRE_NAME, amount=amount, reference=reference)


def _owners(application: LoanApplication) -> list[str]:
    ids = [application.borrower.id_number, application.spouse_id_number]
    ids += [c.person.id_number for c in application.co_borrowers.select_related("person")]
    return sorted({i for i in ids if i})


def _record(*, actor: Any, loan: Loan, registration: MortgageRegistration, action: str, was_number: str,
            move_application: bool, certificate: str = "") -> Loan:
    with transaction.atomic():
        locked = Loan.objects.select_for_update().select_related("application").get(pk=loan.pk)
        if locked.mortgage_number != was_number:
            # Recorded by a concurrent request with the same registration; nothing more to do.
            if locked.mortgage_number == registration.mortgage_number:
                return locked
            raise ValidationError({"mortgage": ["抵押登记已被他人更新，请刷新后重试"]})
        was = {"mortgage_kind": locked.mortgage_kind, "mortgage_number": locked.mortgage_number,
               "mortgage_registered_at": locked.mortgage_registered_at}
        locked.mortgage_kind = registration.kind
        locked.mortgage_number = registration.mortgage_number
        locked.mortgage_registered_at = registration.registered_at
        locked.save(update_fields=["mortgage_kind", "mortgage_number", "mortgage_registered_at"])
        application = locked.application
        if certificate and application.certificate_number != certificate:
            LoanApplication.objects.filter(pk=application.pk).update(certificate_number=certificate)
        if move_application:
            move_status(application, ApplicationState.MORTGAGED, table=APPLICATION_MOVES,
                        action="loans.application.mortgaged", actor=actor, verb="办理抵押",
                        note={"mortgage_number": registration.mortgage_number})
        audit_log(actor=actor, action=action, target=locked, old=was, new={
            "mortgage_kind": registration.kind, "mortgage_number": registration.mortgage_number,
            "mortgage_registered_at": registration.registered_at, "certificate_number": registration.certificate_number,
            "purchase_contract": registration.purchase_contract, "property_call_id": registration.call_id,
        })
    return locked


def _fresh(loan: Loan) -> Loan:
    return Loan.objects.select_related("application__project", "borrower").get(pk=loan.pk)


def mortgage_register(*, actor: Any, loan: Loan) -> Loan:
    """Register the loan's mortgage (or pre-mortgage) and move the application to 已抵押待放款."""
    loan = _fresh(loan)
    window_staff_check(actor=actor, application=loan.application, verb="抵押登记")
    if loan.mortgage_number:
        return loan  # already registered: a retry changes nothing and asks nobody
    application = loan.application
    if application.state != ApplicationState.SIGNED:
        raise ValidationError({"state": [f"贷款申请{application.get_state_display()}，签约后方可办理抵押"]})
    # Filed with the application (贷款+不动产抵押登记一件事): the same kind is asked again under the request's own
    # reference and amount, so the registry answers with the registration it already made, never a second one.
    bundled = MortgageRequest.objects.filter(
        application=application, state__in=(MortgageRequestState.PENDING, MortgageRequestState.REGISTERED)).first()

    def terms(kind: str) -> dict[str, Any]:
        if bundled is not None and bundled.kind == kind:
            return {"reference": bundled.reference, "amount": bundled.amount}
        return {"reference": mortgage_reference(loan, kind), "amount": loan.principal}

    try:
        if is_off_plan(application):
            if not application.purchase_contract:
                raise ValidationError({"purchase_contract": ["期房办理预抵押须有购房合同/网签备案号"]})
            registration = registry_file(
                kind=MortgageKind.PRE, certificate_number="", purchase_contract=application.purchase_contract,
                owner_id_numbers=_owners(application), address=application.home_address, **terms(MortgageKind.PRE),
            )
        else:
            certificate = home_certificate(loan)
            if not certificate:
                raise ValidationError({"certificate_number": ["房屋尚无不动产权证号，不能办理抵押登记"]})
            registration = registry_file(
                kind=MortgageKind.MORTGAGE, certificate_number=certificate, purchase_contract="", owner_id_numbers=[],
                address=application.home_address, **terms(MortgageKind.MORTGAGE),
            )
    except IntegrationError as exc:
        raise _registry_refused(exc) from exc
    return _record(actor=actor, loan=loan, registration=registration, action="loans.loan.mortgaged", was_number="",
                   move_application=True)


def mortgage_convert(*, actor: Any, loan: Loan) -> Loan:
    """预抵押转抵押: once the project is 已建 and the home's certificate issued, register the full mortgage (the
    registry releases the pre-mortgage) and record its number on the loan."""
    loan = _fresh(loan)  # the project's construction and the mortgage as they are now, not as the caller read them
    window_staff_check(actor=actor, application=loan.application, verb="预抵押转抵押")
    if loan.mortgage_kind == MortgageKind.MORTGAGE:
        return loan
    if loan.mortgage_kind != MortgageKind.PRE:
        raise ValidationError({"mortgage": ["该贷款尚未办理预抵押，请先办理抵押登记"]})
    project = loan.application.project
    if project is not None and project.construction != ConstructionState.BUILT:
        raise ValidationError({"construction": [f"楼盘{project.name}建设状态为{project.get_construction_display()}，"
                                                "竣工（已建）后方可转为抵押"]})
    certificate = home_certificate(loan)
    if not certificate:
        raise ValidationError({"certificate_number": ["不动产登记系统尚未核发该房屋的不动产权证书，暂不能转为抵押"]})
    try:
        registration = registry_file(
            kind=MortgageKind.MORTGAGE, certificate_number=certificate, purchase_contract="", owner_id_numbers=[],
            address=loan.application.home_address, amount=loan.principal,
            reference=mortgage_reference(loan, MortgageKind.MORTGAGE),
        )
    except IntegrationError as exc:
        raise _registry_refused(exc) from exc
    return _record(actor=actor, loan=loan, registration=registration, action="loans.loan.mortgage_converted",
                   was_number=loan.mortgage_number, move_application=False, certificate=certificate)

