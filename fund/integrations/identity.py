"""公安: a person's identity and hukou, and the parent–child relations of the household register."""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass
from datetime import date

from .base import Integration, NotFound, Result, from_row, local_city_code, operation
from .http import HttpClient
from .models import SandboxHouseholdRelation, SandboxIdentity


@dataclass(frozen=True, kw_only=True)
class Identity(Result):
    id_number: str
    name: str
    sex: str  # "1" male, "2" female (GB/T 2261.1)
    birth_date: date
    alive: bool
    death_date: date | None
    hukou_city_code: str
    hukou_city_name: str
    hukou_local: bool  # hukou is in this city


@dataclass(frozen=True, kw_only=True)
class Relative:
    id_number: str
    name: str


@dataclass(frozen=True, kw_only=True)
class Family(Result):
    """Parents and children of a person as the household register records them."""

    id_number: str
    parents: tuple[Relative, ...]
    children: tuple[Relative, ...]


class IdentityRegistry(Integration):
    system = "identity"

    @operation(reference="id_number", query=True)
    @abstractmethod
    def lookup(self, *, id_number: str) -> Identity:
        """The person with this resident ID number; `NotFound` if the register has none."""

    @operation(reference="id_number", query=True)
    @abstractmethod
    def family(self, *, id_number: str) -> Family:
        """Parents and children of the person (empty tuples when none are recorded)."""


class SandboxIdentityRegistry(IdentityRegistry):
    backend = "sandbox"

    def lookup(self, *, id_number: str) -> Identity:
        row = SandboxIdentity.objects.filter(id_number=id_number.upper()).first()
        if row is None:
            raise NotFound("公安系统中查无此身份证号码")
        return from_row(Identity, row, alive=row.death_date is None,
                        hukou_local=row.hukou_city_code == local_city_code())

    def family(self, *, id_number: str) -> Family:
        id_number = id_number.upper()
        parents = SandboxHouseholdRelation.objects.filter(child_id_number=id_number).values_list(
            "parent_id_number", flat=True
        )
        children = SandboxHouseholdRelation.objects.filter(parent_id_number=id_number).values_list(
            "child_id_number", flat=True
        )
        names = dict(
            SandboxIdentity.objects.filter(id_number__in=[*parents, *children]).values_list("id_number", "name")
        )
        return Family(
            id_number=id_number,
            parents=tuple(Relative(id_number=n, name=names.get(n, "")) for n in sorted(parents)),
            children=tuple(Relative(id_number=n, name=names.get(n, "")) for n in sorted(children)),
        )


class HttpIdentityRegistry(HttpClient, IdentityRegistry):
    def lookup(self, *, id_number: str) -> Identity:
        return self._post("lookup", Identity, id_number=id_number)

    def family(self, *, id_number: str) -> Family:
        return self._post("family", Family, id_number=id_number)
