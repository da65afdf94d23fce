"""Outgoing bank payments (付款): one way for every business line to pay money out of the fund.

A `Payment` pays one payee's account an amount for a purpose (a withdrawal, a refund to a unit, a transfer's
funds, later loan disbursements); each try is a `PaymentAttempt` whose reference the bank treats as the
idempotency key. See `fund.payments.services`.
"""
