"""Celery tasks of the loans line. Each is safe to run again: moves are compare-and-set under the liquidity lock
and the bank pays a reference once."""

import logging

from celery import Task, shared_task

logger = logging.getLogger(__name__)


@shared_task(name="loans.disbursement_queue_drain", ignore_result=True, acks_late=True)
def disbursement_queue_drain_task() -> int:
    """轮候: pay the queued disbursements in order of approval as money arrives."""
    from .services.disbursement import disbursement_queue_drain

    return disbursement_queue_drain()


@shared_task(bind=True, name="loans.mortgage_release", max_retries=12, ignore_result=True, acks_late=True)
def mortgage_release_task(self: Task, loan_id: int) -> str:
    """注销抵押 for a paid-off loan. Retried with backoff while the registry is down (each failure is an audit event
    on the loan, visible to staff); a refusal is not retried: staff see it and act."""
    from .services.payoff import ReleaseNotDone, mortgage_release

    try:
        loan = mortgage_release(loan_id)
    except ReleaseNotDone as exc:
        if exc.retry and self.request.retries < self.max_retries:
            raise self.retry(exc=exc, countdown=min(60 * 2**self.request.retries, 3600)) from exc
        return ""
    return loan.release_number


@shared_task(bind=True, name="loans.mortgage_request_send", max_retries=12, ignore_result=True, acks_late=True)
def mortgage_request_send_task(self: Task, request_id: int) -> str:
    """Send a 一件事 bundle's mortgage registration request to the property registry. Retried with backoff while
    the registry is down (each failure an audit event on the request); the registry answers a retried reference
    with its first registration, so a retry never files twice."""
    from .services.mortgage_request import RequestNotSent, mortgage_request_send

    try:
        request = mortgage_request_send(request_id)
    except RequestNotSent as exc:
        if self.request.retries < self.max_retries:
            raise self.retry(exc=exc, countdown=min(60 * 2**self.request.retries, 3600)) from exc
        return ""
    return request.state


@shared_task(bind=True, name="loans.mortgage_request_release", max_retries=12, ignore_result=True, acks_late=True)
def mortgage_request_release_task(self: Task, request_id: int) -> str:
    """Release the registration a bundle's request made, for an application refused or withdrawn; retried while
    the registry is down."""
    from .services.mortgage_request import RequestNotSent, mortgage_request_release

    try:
        request = mortgage_request_release(request_id)
    except RequestNotSent as exc:
        if self.request.retries < self.max_retries:
            raise self.retry(exc=exc, countdown=min(60 * 2**self.request.retries, 3600)) from exc
        return ""
    return request.state
