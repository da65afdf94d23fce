"""The move tables of deposits' status fields: which state each record may go to from each state. Every
change of these fields goes through `fund.workflow.moves.move_status` with its table."""

from fund.workflow.moves import MoveTable

from .models import MemberAccount, MemberState

_OPEN_TO = {MemberState.MERGED, MemberState.TRANSFERRED_OUT, MemberState.WITHDRAWN}

MEMBER_ACCOUNT_MOVES = MoveTable(MemberAccount, noun="个人账户", moves={
    MemberState.NORMAL: {MemberState.SEALED, MemberState.FROZEN, *_OPEN_TO},
    MemberState.SEALED: {MemberState.NORMAL, MemberState.FROZEN, *_OPEN_TO},
    MemberState.FROZEN: {MemberState.NORMAL, MemberState.SEALED},
    # A closing withdrawal whose payout the bank refused: the account is restored as it was.
    MemberState.WITHDRAWN: {MemberState.NORMAL, MemberState.SEALED},
})
