"""The worlds 我的办件's tests build on: the withdrawals' member with deposits (`wd`), the loans' (`ln`), and a
sealed account with money for a transfer out (`sealed_with_money`)."""

from tests.deposits.conftest import sealed_with_money  # noqa: F401
from tests.loan_world import ln  # noqa: F401
from tests.withdrawals.conftest import wd  # noqa: F401
