"""The worlds 我的办件's tests build on: the withdrawals' member with deposits (`wd`) and the loans' (`ln`)."""

from tests.loan_world import ln  # noqa: F401
from tests.withdrawals.conftest import wd  # noqa: F401
