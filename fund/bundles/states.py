"""The 通办 window queue's moves: taken by a clerk, then done or refused (a waiting one may be refused too)."""

from fund.workflow.moves import MoveTable

from .models import CrossProvinceRequest, CrossState

CROSS_MOVES = MoveTable(CrossProvinceRequest, noun="跨省通办申请", moves={
    CrossState.WAITING: {CrossState.TAKEN, CrossState.REFUSED},
    CrossState.TAKEN: {CrossState.DONE, CrossState.REFUSED},
})
