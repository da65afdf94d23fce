"""不动产登记: the homes a person owns, and registering (pre-)mortgages for the centre's loans.

Two ways a loan's home is pledged: a home with its 不动产权证 is mortgaged by the certificate number
(`register_mortgage`); an off-plan home (期房) has no certificate yet, so the registry takes the purchase
contract (网签备案) and records a 预购商品房抵押权预告登记 — the pre-mortgage — on it (`register_pre_mortgage`),
entering the home it will become. When the home is completed and the certificate issued on that same home,
`register_mortgage` with kind MORTGAGE converts it: the full mortgage is registered and the pre-mortgage released.
"""

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
    certificate_number: str  # "" for an off-plan home not yet completed
    address: str
    area: Decimal  # ㎡
    price: Decimal  # yuan
    registered_on: date
    in_city: bool
    owner_id_numbers: tuple[str, ...]  # every owner, the asked-about person included
    mortgaged: bool  # a mortgage or pre-mortgage is registered and not released
    purchase_contract: str = ""  # an off-plan home's purchase contract (its pre-registration)


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
    certificate_number: str  # "" for a pre-mortgage on an off-plan home
    kind: MortgageKind
    amount: Decimal
    registered_at: datetime
    released_at: datetime | None
    purchase_contract: str = ""


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

    @operation(reference="reference")
    @abstractmethod
    def register_pre_mortgage(
        self, *, purchase_contract: str, owner_id_numbers: list[str], address: str, mortgagee: str, amount: Decimal,
        reference: str,
    ) -> MortgageRegistration:
        """Register a pre-mortgage (抵押权预告登记) on an off-plan home named by its purchase contract, entering the
        home under that contract for these buyers; the same `reference` again returns the first."""

    @operation(reference="mortgage_number")
    @abstractmethod
    def release_mortgage(self, *, mortgage_number: str) -> MortgageRegistration:
        """Release (注销) a registered mortgage once the loan is repaid; releasing twice changes nothing."""


def _registration(row: SandboxMortgage) -> MortgageRegistration:
    return MortgageRegistration(
        mortgage_number=row.mortgage_number,
        certificate_number=row.home.certificate_number or "",
        kind=MortgageKind(row.kind),
        amount=row.amount,
        registered_at=row.registered_at,
        released_at=row.released_at,
        purchase_contract=row.home.purchase_contract,
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
                    certificate_number=row.certificate_number or "",
                    address=row.address,
                    area=row.area,
                    price=row.price,
                    registered_on=row.registered_on,
                    in_city=row.city_code == city,
                    owner_id_numbers=tuple(row.owner_id_numbers),
                    mortgaged=row.pk in mortgaged,
                    purchase_contract=row.purchase_contract,
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
        # A blank number would match every off-plan home still without its certificate.
        home = SandboxHome.objects.select_for_update().filter(certificate_number=certificate_number).first() \
            if certificate_number.strip() else None
        if home is None:
            raise NotFound("不动产登记系统中查无此不动产权证号")
        return self._register(home, kind=kind, mortgagee=mortgagee, amount=amount, reference=reference,
                              certificate_number=certificate_number)

    def register_pre_mortgage(
        self, *, purchase_contract: str, owner_id_numbers: list[str], address: str, mortgagee: str, amount: Decimal,
        reference: str,
    ) -> MortgageRegistration:
        kind = MortgageKind.PRE
        existing = SandboxMortgage.objects.select_related("home").filter(reference=reference).first()
        if existing is not None:
            if existing.home.purchase_contract != purchase_contract:
                raise Rejected("该业务编号已用于另一笔抵押登记")
            return self._replay(existing, certificate_number=existing.home.certificate_number or "", kind=kind,
                                amount=amount)
        if not purchase_contract.strip():
            raise Rejected("预告登记须提供购房合同备案号")
        owners = sorted({number.upper() for number in owner_id_numbers})
        home = SandboxHome.objects.select_for_update().filter(purchase_contract=purchase_contract).first()
        if home is None:
            # 预购商品房预告登记: the home enters the registry under its contract, without a certificate yet.
            home, _ = SandboxHome.objects.get_or_create(purchase_contract=purchase_contract, defaults=dict(
                owner_id_numbers=owners, address=address, city_code=local_city_code(), area=Decimal("0.00"),
                price=amount, registered_on=timezone.localdate(),
            ))
        elif not set(owners) & set(home.owner_id_numbers):
            raise Rejected("该购房合同已登记在他人名下")
        return self._register(home, kind=kind, mortgagee=mortgagee, amount=amount, reference=reference,
                              certificate_number=home.certificate_number or "")

    def _register(self, home: SandboxHome, *, kind: MortgageKind, mortgagee: str, amount: Decimal, reference: str,
                  certificate_number: str) -> MortgageRegistration:
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
        if (row.home.certificate_number or "", row.kind, row.amount) != (certificate_number, kind, amount):
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

    def register_pre_mortgage(
        self, *, purchase_contract: str, owner_id_numbers: list[str], address: str, mortgagee: str, amount: Decimal,
        reference: str,
    ) -> MortgageRegistration:
        return self._post(
            "register_pre_mortgage",
            MortgageRegistration,
            purchase_contract=purchase_contract,
            owner_id_numbers=owner_id_numbers,
            address=address,
            mortgagee=mortgagee,
            amount=amount,
            reference=reference,
            idempotency_key=reference,
        )

    def release_mortgage(self, *, mortgage_number: str) -> MortgageRegistration:
        return self._post("release_mortgage", MortgageRegistration, mortgage_number=mortgage_number)


def sandbox_certificate_issue(*, purchase_contract: str, certificate_number: str, area: Decimal | None = None) -> None:
    """The sandbox's side of a completed off-plan home: the registry issues its 不动产权证 on the home entered at the
    pre-registration (what the registry's staff do when the building's first registration is done)."""
    home = SandboxHome.objects.get(purchase_contract=purchase_contract)
    home.certificate_number = certificate_number
    if area is not None:
        home.area = area
    home.save(update_fields=["certificate_number", "area"])
