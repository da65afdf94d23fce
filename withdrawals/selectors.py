"""Every fetch of a withdrawal goes through here: staff see their branch (or all when centre-wide), a member
their own; units, developers and outsiders see none. Forbidden and missing both answer 404."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from deposits.models import MemberAccount
from deposits.selectors import member_account_get_for_holder_or_staff
from fund.people.models import Post
from fund.people.roles import roles_of
from fund.people.selectors import get_or_404, scoped

from .models import StandingInstruction, Withdrawal

# The posts that take or decide withdrawals, and so may look up a member's housing loans.
LOAN_POSTS = (Post.ACCEPT, Post.REVIEW, Post.APPROVE, Post.DIRECTOR)


def withdrawals_for_user(user: Any) -> QuerySet[Withdrawal]:
    queryset = Withdrawal.objects.select_related("account__person", "account__unit__employer", "branch")
    return scoped(queryset, user, branch="branch", person="account__person")


def withdrawal_get_for_user(*, user: Any, pk: Any) -> Withdrawal:
    return get_or_404(withdrawals_for_user(user), pk=pk)


def loan_account_get_for_user(*, user: Any, pk: Any) -> MemberAccount:
    """The account whose household's housing loans `user` may look up. Each look-up asks the credit bureau and
    the marriage registry and shows the spouse's loans and name, so: the holder, or staff in scope who take
    or decide withdrawals (受理, 初审, 审批, 主任). A unit's operator, another branch, other posts: 404."""
    account = member_account_get_for_holder_or_staff(user=user, pk=pk)
    if account.person_id != user.person_id and not any(roles_of(user).has_post(p) for p in LOAN_POSTS):
        raise Http404("未找到，或您无权访问")
    return account


def standing_instructions_for_user(user: Any) -> QuerySet[StandingInstruction]:
    queryset = StandingInstruction.objects.select_related("account__person")
    return scoped(queryset, user, branch="account__unit__employer__branch", person="account__person")


def standing_instruction_get_for_user(*, user: Any, pk: Any) -> StandingInstruction:
    return get_or_404(standing_instructions_for_user(user), pk=pk)


def withdrawal_timeline(withdrawal: Withdrawal) -> list[dict[str, Any]]:
    """The member's progress, in the shape of templates/includes/steps.html: submitted → decided → paid by the
    bank → received, each {label, state: done|current|todo|failed, when}."""
    from .models import WithdrawalState as S

    state = withdrawal.state
    if state in (S.REJECTED, S.CANCELLED):
        return [{"label": "提交申请", "state": "done", "when": withdrawal.submitted_at},
                {"label": withdrawal.get_state_display(), "state": "failed", "when": withdrawal.ended_at}]
    manual = state == S.REVIEW or withdrawal.decider == "manual"
    deciding = state in (S.SUBMITTED, S.REVIEW)
    paying = state in (S.APPROVED, S.PAYOUT_FAILED)
    return [
        {"label": "提交申请", "state": "done", "when": withdrawal.submitted_at},
        {"label": "人工审核" if manual else "秒批审核", "state": "current" if deciding else "done",
         "when": None if deciding else withdrawal.decided_at},
        {"label": "银行付款", "state": "failed" if state == S.PAYOUT_FAILED else "current" if paying
         else "done" if state == S.PAID else "todo", "when": None},
        {"label": "资金到账", "state": "done" if state == S.PAID else "todo", "when": withdrawal.paid_at},
    ]
