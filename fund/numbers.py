"""Business numbers and references people read: account numbers, 申请编号, 提取业务编号, 缴款单号, 业务流水号 ...

Every number is a prefix (a letter code, a branch code, a date) followed by a zero-padded counter. The counter
comes from a PostgreSQL sequence (gap-tolerant, never handed out twice, no lock held) or, where the number
counts documents of one unit and month, from the rows already made under the same head. A retried bank
operation gets the same number with an attempt suffix, so the bank sees each attempt as a new request while
people see which business it belongs to.
"""

from django.db import connection
from django.db.models import QuerySet


def number_format(prefix: str, value: int, width: int) -> str:
    """`prefix` followed by `value` zero-padded to `width` digits (wider values are kept whole)."""
    return f"{prefix}{value:0{width}d}"


def sequence_next(sequence: str) -> int:
    """The next value of the PostgreSQL sequence `sequence` (created by the owning app's migration)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(%s)", [sequence])
        (value,) = cursor.fetchone()
    return int(value)


def next_number(sequence: str, prefix: str, width: int) -> str:
    """A new number: `prefix` and the next value of `sequence`, `width` digits wide."""
    return number_format(prefix, sequence_next(sequence), width)


def next_in_series(rows: QuerySet, field: str, head: str, width: int) -> str:
    """The next number under `head` counting the `rows` whose `field` already starts with it (01, 02 ...).
    The field is unique, so two callers racing for the same number leave one IntegrityError, not a duplicate."""
    count = rows.filter(**{f"{field}__startswith": head}).count()
    return number_format(head, count + 1, width)


def attempt_reference(base: str, attempt: int) -> str:
    """The bank reference of the `attempt`-th (0-based) try of one operation: the first is `base` itself,
    later ones `base` + R01, R02 ..."""
    return base if attempt == 0 else f"{base}R{attempt:02d}"
