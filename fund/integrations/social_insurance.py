"""社保: how long a person has paid social insurance in this city, for whom, and whether they have retired."""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from .base import Integration, Result, from_row, operation
from .http import HttpClient
from .models import SandboxSocialInsurance


@dataclass(frozen=True, kw_only=True)
class SocialInsurance(Result):
    id_number: str
    months_local: int  # months of contributions in this city, cumulative
    employer_credit_code: str  # the unit currently paying for the person; "" when none
    employer_name: str
    retired: bool
    retirement_date: date | None


class SocialInsuranceBureau(Integration):
    system = "social_insurance"

    @operation(reference="id_number", query=True)
    @abstractmethod
    def record(self, *, id_number: str) -> SocialInsurance:
        """The person's insurance record; someone never insured here has zero months and no employer."""


class SandboxSocialInsuranceBureau(SocialInsuranceBureau):
    backend = "sandbox"

    def record(self, *, id_number: str) -> SocialInsurance:
        id_number = id_number.upper()
        row = SandboxSocialInsurance.objects.filter(id_number=id_number).first()
        if row is None:
            return SocialInsurance(
                id_number=id_number, months_local=0, employer_credit_code="", employer_name="",
                retired=False, retirement_date=None,
            )
        return from_row(SocialInsurance, row, id_number=id_number, retirement_date=row.retired_on,
                        retired=row.retired_on is not None and row.retired_on <= timezone.localdate())


class HttpSocialInsuranceBureau(HttpClient, SocialInsuranceBureau):
    def record(self, *, id_number: str) -> SocialInsurance:
        return self._post("record", SocialInsurance, id_number=id_number)
