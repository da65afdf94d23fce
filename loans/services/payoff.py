"""Payoff (结清): what follows a loan's closing. PLACEHOLDER for H4 (the certificate, the mortgage release)."""


def payoff_follow_up(loan_id: int) -> None:
    """After the commit that closed the loan: ask the property registry to release the mortgage, tell the
    borrower. PLACEHOLDER for H4."""
    return None
