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
