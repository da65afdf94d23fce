"""不动产登记: the homes a person owns, and registering (pre-)mortgages for the centre's loans."""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from .base import Integration, NotFound, Rejected, Result, local_city_code, operation
from .http import HttpClient
from .models import MortgageKind, SandboxHome, SandboxMortgage


@dataclass(frozen=True, kw_only=True)
class Home:
    certificate_number: str
    address: str
    area: Decimal  # ㎡
    price: Decimal  # yuan
    registered_on: date
    in_city: bool
    owner_id_numbers: tuple[str, ...]  # every owner, the asked-about person included
    mortgaged: bool  # a mortgage or pre-mortgage is registered and not released


@dataclass(frozen=True, kw_only=True)
class Homes(Result):
    id_number: str
    homes: tuple[Home, ...]

    @property
    def in_city(self) -> tuple[Home, ...]:
        return tuple(h for h in self.homes if h.in_city)


@dataclass(frozen=True, kw_only=True)
class MortgageRegistration(Result):
    mortgage_number: str  # 不动产登记证明号
    certificate_number: str
    kind: MortgageKind
    amount: Decimal
    registered_at: datetime
    released_at: datetime | None


class PropertyRegistry(Integration):
    system = "property"

    @operation(reference="id_number", query=True)
    @abstractmethod
    def homes(self, *, id_number: str) -> Homes:
        """Homes registered with this person among the owners (empty when none)."""

    @operation(reference="reference")
    @abstractmethod
    def register_mortgage(
        self, *, certificate_number: str, kind: MortgageKind, mortgagee: str, amount: Decimal, reference: str
    ) -> MortgageRegistration:
        """Register a mortgage or pre-mortgage on the home; the same `reference` again returns the first."""

    @operation(reference="mortgage_number")
    @abstractmethod
    def release_mortgage(self, *, mortgage_number: str) -> MortgageRegistration:
        """Release (注销) a registered mortgage once the loan is repaid; releasing twice changes nothing."""


def _registration(row: SandboxMortgage) -> MortgageRegistration:
    return MortgageRegistration(
        mortgage_number=row.mortgage_number,
        certificate_number=row.home.certificate_number,
        kind=MortgageKind(row.kind),
        amount=row.amount,
        registered_at=row.registered_at,
        released_at=row.released_at,
    )


class SandboxPropertyRegistry(PropertyRegistry):
    backend = "sandbox"

    def homes(self, *, id_number: str) -> Homes:
        id_number = id_number.upper()
        rows = SandboxHome.objects.filter(owner_id_numbers__contains=[id_number]).order_by("registered_on", "id")
        mortgaged = set(
            SandboxMortgage.objects.filter(home__in=rows, released_at__isnull=True).values_list("home_id", flat=True)
        )
        city = local_city_code()
        return Homes(
            id_number=id_number,
            homes=tuple(
                Home(
                    certificate_number=row.certificate_number,
                    address=row.address,
                    area=row.area,
                    price=row.price,
                    registered_on=row.registered_on,
                    in_city=row.city_code == city,
                    owner_id_numbers=tuple(row.owner_id_numbers),
                    mortgaged=row.pk in mortgaged,
                )
                for row in rows
            ),
        )

    def register_mortgage(
        self, *, certificate_number: str, kind: MortgageKind, mortgagee: str, amount: Decimal, reference: str
    ) -> MortgageRegistration:
        existing = SandboxMortgage.objects.select_related("home").filter(reference=reference).first()
        if existing is not None:
            return self._replay(existing, certificate_number=certificate_number, kind=kind, amount=amount)
        home = SandboxHome.objects.select_for_update().filter(certificate_number=certificate_number).first()
        if home is None:
            raise NotFound("不动产登记系统中查无此不动产权证号")
        blocking = home.mortgages.filter(released_at__isnull=True, kind__in={kind, MortgageKind.MORTGAGE})
        if blocking.exists():
            raise Rejected("该不动产已有未注销的抵押登记")
        try:
            with transaction.atomic():
                row = SandboxMortgage.objects.create(
                    home=home,
                    mortgage_number=f"待编号-{reference}",
                    kind=kind,
                    mortgagee=mortgagee,
                    amount=amount,
                    reference=reference,
                )
        except IntegrityError:
            # A concurrent call with the same reference won the race; answer with its registration.
            existing = SandboxMortgage.objects.select_related("home").get(reference=reference)
            return self._replay(existing, certificate_number=certificate_number, kind=kind, amount=amount)
        row.mortgage_number = f"不动产证明第{timezone.localdate():%Y}{row.pk:07d}号"
        row.save(update_fields=["mortgage_number"])
        if kind == MortgageKind.MORTGAGE:
            # The formal mortgage takes over from the pre-mortgage (预抵押转现), which is released.
            home.mortgages.filter(kind=MortgageKind.PRE, released_at__isnull=True).update(released_at=timezone.now())
        row.refresh_from_db(fields=["registered_at"])
        return _registration(row)

    def _replay(
        self, row: SandboxMortgage, *, certificate_number: str, kind: MortgageKind, amount: Decimal
    ) -> MortgageRegistration:
        if (row.home.certificate_number, row.kind, row.amount) != (certificate_number, kind, amount):
            raise Rejected("该业务编号已用于另一笔抵押登记")
        return _registration(row)

    def release_mortgage(self, *, mortgage_number: str) -> MortgageRegistration:
        row = SandboxMortgage.objects.select_for_update().select_related("home").filter(
            mortgage_number=mortgage_number
        ).first()
        if row is None:
            raise NotFound("查无此抵押登记证明号")
        if row.released_at is None:
            row.released_at = timezone.now()
            row.save(update_fields=["released_at"])
        return _registration(row)


class HttpPropertyRegistry(HttpClient, PropertyRegistry):
    def homes(self, *, id_number: str) -> Homes:
        return self._post("homes", Homes, id_number=id_number)

    def register_mortgage(
        self, *, certificate_number: str, kind: MortgageKind, mortgagee: str, amount: Decimal, reference: str
    ) -> MortgageRegistration:
        return self._post(
            "register_mortgage",
            MortgageRegistration,
            certificate_number=certificate_number,
            kind=kind,
            mortgagee=mortgagee,
            amount=amount,
            reference=reference,
            idempotency_key=reference,
        )

    def release_mortgage(self, *, mortgage_number: str) -> MortgageRegistration:
        return self._post("release_mortgage", MortgageRegistration, mortgage_number=mortgage_number)
