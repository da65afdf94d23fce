"""Loans' side of fund.bundles: where a member does the 跨省通办 loan items in the personal hall (full prepayment and
the payoff certificate are on the loan's own page, reached from 我的贷款).

The 贷款+不动产抵押登记一件事 bundle (fund/bundles/definitions.py, YJS-03) names the parts `loans.application` and
`loans.mortgage_request`; until they are registered here the bundle is shown as not yet open. What they need:
the application's intake (services/applications.py) split like withdrawals' submission into a check (quota,
eligibility and the property registry, outside the transaction) and an accepting step that joins the bundle's
transaction; and the registry's mortgage request, which services/mortgage.py makes only after signing — a
bundle would file it as a pending request tied to the application, sent to the registry on commit.
"""

from __future__ import annotations

from fund.bundles.registry import register_cross_province_entry


def register_bundle_parts() -> None:
    """Loans' 跨省通办 entries (LoansConfig.ready, after the catalogue items)."""
    register_cross_province_entry("DK-04", "member:loan-loans")
    register_cross_province_entry("DK-05", "member:loan-loans")


register_bundle_parts()
