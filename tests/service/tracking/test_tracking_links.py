"""Every line's registered kind names the line's own pages by addresses that exist (a detail page never breaks)."""

from fund.tracking.registry import tracked_kinds


def test_every_kinds_line_pages_resolve_for_a_saved_row() -> None:
    from types import SimpleNamespace

    row = SimpleNamespace(pk=1, unit_id=1, account_id=1, from_platform=False)
    keys = set()
    for kind in tracked_kinds():
        if kind.key.split(".")[0] not in ("deposits", "withdrawals", "loans"):
            continue  # another service app's kinds (一件事) are its own to test
        keys.add(kind.key)
        for url_of in (kind.staff_url, kind.member_url, kind.unit_url):
            if url_of is not None:
                assert url_of(row).startswith("/"), kind.key
    assert keys == {"deposits.unit_opening", "deposits.unit_application", "deposits.base_batch", "deposits.transfer",
                    "withdrawals.withdrawal", "loans.application"}
