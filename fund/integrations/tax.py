"""税务: home purchase invoices and deed-tax payments."""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .base import Integration, NotFound, Result, from_row, operation
from .http import HttpClient
from .models import SandboxDeedTax, SandboxInvoice


@dataclass(frozen=True, kw_only=True)
class Invoice(Result):
    invoice_number: str
    amount: Decimal  # 价税合计
    buyer_id_number: str
    buyer_name: str
    seller_name: str
    issued_on: date
    valid: bool  # False once cancelled or reversed (作废/红冲)
    address: str


@dataclass(frozen=True, kw_only=True)
class DeedTaxPayment:
    voucher_number: str
    address: str
    tax_base: Decimal
    tax_amount: Decimal
    paid_on: date


@dataclass(frozen=True, kw_only=True)
class DeedTaxRecords(Result):
    id_number: str
    payments: tuple[DeedTaxPayment, ...]


class TaxBureau(Integration):
    system = "tax"

    @operation(reference="invoice_number", query=True)
    @abstractmethod
    def invoice(self, *, invoice_number: str) -> Invoice:
        """The invoice with this number; `NotFound` if the tax system never issued it."""

    @operation(reference="id_number", query=True)
    @abstractmethod
    def deed_tax(self, *, id_number: str) -> DeedTaxRecords:
        """Deed tax the person has paid, newest first (empty when none)."""


class SandboxTaxBureau(TaxBureau):
    backend = "sandbox"

    def invoice(self, *, invoice_number: str) -> Invoice:
        row = SandboxInvoice.objects.filter(invoice_number=invoice_number.strip()).first()
        if row is None:
            raise NotFound("税务系统中查无此发票")
        return from_row(Invoice, row)

    def deed_tax(self, *, id_number: str) -> DeedTaxRecords:
        rows = SandboxDeedTax.objects.filter(taxpayer_id_number=id_number.upper()).order_by("-paid_on", "-id")
        return DeedTaxRecords(
            id_number=id_number.upper(),
            payments=tuple(from_row(DeedTaxPayment, r) for r in rows),
        )


class HttpTaxBureau(HttpClient, TaxBureau):
    def invoice(self, *, invoice_number: str) -> Invoice:
        return self._post("invoice", Invoice, invoice_number=invoice_number)

    def deed_tax(self, *, id_number: str) -> DeedTaxRecords:
        return self._post("deed_tax", DeedTaxRecords, id_number=id_number)
