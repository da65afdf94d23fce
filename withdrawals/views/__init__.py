"""Pages of the withdrawals line: the personal hall (member.py) and the staff workspace (staff.py)."""
