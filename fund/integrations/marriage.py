"""民政: a person's marital status and spouse, from the marriage registrations."""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass
from datetime import date

from django.db import models

from .base import Integration, Result, operation
from .http import HttpClient
from .models import MarriageEnd, SandboxIdentity, SandboxMarriage


class MaritalStatus(models.TextChoices):
    SINGLE = "single", "未婚"  # no marriage registration on record
    MARRIED = "married", "已婚"
    DIVORCED = "divorced", "离异"
    WIDOWED = "widowed", "丧偶"


@dataclass(frozen=True, kw_only=True)
class Marriage(Result):
    id_number: str
    status: MaritalStatus
    spouse_id_number: str  # the current spouse; "" unless married
    spouse_name: str
    since: date | None  # date of the registration (or its end) that gives the status


@dataclass(frozen=True, kw_only=True)
class SpouseCheck(Result):
    is_spouse: bool


class MarriageEventKind(models.TextChoices):
    MARRIED = "married", "结婚登记"
    DIVORCED = "divorced", "离婚登记"
    WIDOWED = "widowed", "配偶死亡"


@dataclass(frozen=True, kw_only=True)
class MarriageEvent:
    kind: MarriageEventKind
    on: date
    other_id_number: str  # the spouse of that marriage


@dataclass(frozen=True, kw_only=True)
class MarriageHistory(Result):
    id_number: str
    events: tuple[MarriageEvent, ...]  # every registration and its end, oldest first


class MarriageRegistry(Integration):
    system = "marriage"

    @operation(reference="id_number", query=True)
    @abstractmethod
    def status(self, *, id_number: str) -> Marriage:
        """The person's marital status now; a person with no registration is `SINGLE`."""

    @operation(reference="id_number", query=True)
    @abstractmethod
    def history(self, *, id_number: str) -> MarriageHistory:
        """Every marriage registration of the person and how each ended (risk screens repeated changes before a
        purchase withdrawal); empty for a person with none."""

    def is_spouse(self, *, id_number: str, other_id_number: str) -> SpouseCheck:
        """Whether the two are married to each other now. One logged `status` call is the evidence."""
        marriage = self.status(id_number=id_number)
        return SpouseCheck(
            is_spouse=marriage.status == MaritalStatus.MARRIED
            and marriage.spouse_id_number == other_id_number.upper(),
            call_id=marriage.call_id,
        )


class SandboxMarriageRegistry(MarriageRegistry):
    backend = "sandbox"

    def status(self, *, id_number: str) -> Marriage:
        id_number = id_number.upper()
        latest = (
            SandboxMarriage.objects.filter(models.Q(party_a=id_number) | models.Q(party_b=id_number))
            .order_by("-married_on", "-id")
            .first()
        )
        if latest is None:
            return Marriage(id_number=id_number, status=MaritalStatus.SINGLE, spouse_id_number="", spouse_name="", since=None)
        if latest.ended_on is not None:
            status = MaritalStatus.WIDOWED if latest.ended_by == MarriageEnd.DEATH else MaritalStatus.DIVORCED
            return Marriage(id_number=id_number, status=status, spouse_id_number="", spouse_name="", since=latest.ended_on)
        spouse = latest.party_b if latest.party_a == id_number else latest.party_a
        spouse_name = SandboxIdentity.objects.filter(id_number=spouse).values_list("name", flat=True).first() or ""
        return Marriage(
            id_number=id_number,
            status=MaritalStatus.MARRIED,
            spouse_id_number=spouse,
            spouse_name=spouse_name,
            since=latest.married_on,
        )

    def history(self, *, id_number: str) -> MarriageHistory:
        id_number = id_number.upper()
        events: list[MarriageEvent] = []
        rows = SandboxMarriage.objects.filter(models.Q(party_a=id_number) | models.Q(party_b=id_number))
        for row in rows.order_by("married_on", "id"):
            other = row.party_b if row.party_a == id_number else row.party_a
            events.append(MarriageEvent(kind=MarriageEventKind.MARRIED, on=row.married_on, other_id_number=other))
            if row.ended_on is not None:
                kind = MarriageEventKind.WIDOWED if row.ended_by == MarriageEnd.DEATH else MarriageEventKind.DIVORCED
                events.append(MarriageEvent(kind=kind, on=row.ended_on, other_id_number=other))
        return MarriageHistory(id_number=id_number, events=tuple(sorted(events, key=lambda e: e.on)))


class HttpMarriageRegistry(HttpClient, MarriageRegistry):
    def status(self, *, id_number: str) -> Marriage:
        return self._post("status", Marriage, id_number=id_number)

    def history(self, *, id_number: str) -> MarriageHistory:
        return self._post("history", MarriageHistory, id_number=id_number)
