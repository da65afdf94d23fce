"""The payoff certificate (结清证明): a fund.printing document with the centre's seal and a verification code the
public verify page checks, so a bank or the registry can trust a copy the member printed at home (跨省通办: no
visit needed). Its context is fixed when it is requested (loans.services.payoff.payoff_certificate_request)."""

from fund.printing.services import register_document_kind

PAYOFF_CERTIFICATE = "loans.payoff_certificate"

register_document_kind(PAYOFF_CERTIFICATE, title="住房公积金贷款结清证明", template="loans/pdf/payoff_certificate.html")
