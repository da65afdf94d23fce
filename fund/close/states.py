"""The close run's status moves (fund.workflow.moves): a failed close runs again; a done one is final."""

from fund.workflow.moves import MoveTable

from .models import CloseRun, CloseRunState

RUN_MOVES = MoveTable(CloseRun, noun="日终", moves={
    CloseRunState.RUNNING: {CloseRunState.DONE, CloseRunState.FAILED},
    CloseRunState.FAILED: {CloseRunState.RUNNING},
})
