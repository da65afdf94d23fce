"""The nightly close (日终): a business date, and the steps business lines register, run in order once per date.

Business lines register their steps in AppConfig.ready() (fund never imports them):

    from fund.close.registry import register_close_step
    register_close_step("loans.debit", label="批量扣款", order=100, run=debit_step)

A step is `run(business_date) -> dict[str, int]` (counts shown to staff); it must be idempotent per date (run
again for the same date it does nothing more), since a resumed close runs an interrupted step again.
"""
