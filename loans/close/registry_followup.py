"""90 loans.registry_followup: the property registry's errands nobody is waiting on any more, sent again.

A 一件事 bundle's mortgage request is sent by a worker after its commit, and a paid-off loan's release
(注销抵押) likewise; each task retries while the registry is down. A task that was lost (a worker's queue
flushed, a broker restored from an old copy) or that spent its retries leaves the request 待发送, or the
closed loan without its release, and nothing would ask again until a person noticed. Each night this step
queues them again: what is still 待发送 from before the business date, a registration whose application has
ended and is not released yet, and a closed loan whose release was never asked. The registry answers a
reference asked again with its first answer, and the sends return a request already answered as it is, so a
second queueing files nothing twice. A release the registry refused is not asked again: staff see its
failure on the loan and act.
"""

from __future__ import annotations

import functools
from datetime import date

from django.db import transaction

from ..models import ApplicationState, Loan, LoanStatus, MortgageRequest, MortgageRequestState


def registry_followup_step(on: date) -> dict[str, int]:
    from ..tasks import mortgage_release_task, mortgage_request_release_task, mortgage_request_send_task

    unsent = list(MortgageRequest.objects.filter(state=MortgageRequestState.PENDING, created_at__date__lt=on)
                  .values_list("pk", flat=True))
    unreleased = list(MortgageRequest.objects.filter(
        state=MortgageRequestState.REGISTERED,
        application__state__in=(ApplicationState.REJECTED, ApplicationState.WITHDRAWN)).values_list("pk", flat=True))
    loans = list(Loan.objects.filter(status=LoanStatus.CLOSED, closed_on__lt=on, release_requested_at__isnull=True)
                 .exclude(mortgage_number="").filter(release_number="").values_list("pk", flat=True))
    for pk in unsent:
        transaction.on_commit(functools.partial(mortgage_request_send_task.delay, pk), robust=True)
    for pk in unreleased:
        transaction.on_commit(functools.partial(mortgage_request_release_task.delay, pk), robust=True)
    for pk in loans:
        transaction.on_commit(functools.partial(mortgage_release_task.delay, pk), robust=True)
    return {"requests": len(unsent), "request_releases": len(unreleased), "loan_releases": len(loans)}


__all__ = ["registry_followup_step"]
