"""The documents kept with a loan's file (贷款档案): the contract, the IOU, the borrowers' credit reports, and
whatever later steps print (a disbursement notice ...). The PDFs themselves are fund.printing documents, each
with its verification code; this only says which loan they belong to."""

from django.db import models


class LoanDocument(models.Model):
    loan = models.ForeignKey("loans.Loan", verbose_name="贷款", on_delete=models.PROTECT, related_name="documents")
    document = models.OneToOneField("printing.Document", verbose_name="文件", on_delete=models.PROTECT,
                                    related_name="loan_file")
    kind = models.CharField("文件种类", max_length=60)
    created_at = models.DateTimeField("归档时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "贷款档案文件"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.loan} · {self.document.title}"
