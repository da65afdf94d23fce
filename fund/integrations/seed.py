"""Demo data for the sandbox systems, made to match the people and employers of the demo.

`seed_sandbox` is deterministic and re-runnable. What belongs to one person (hukou, card, insurance,
their numbers) is drawn from a random stream seeded by that person's ID number, so it does not change when
other people are added; numbers (certificates, invoices, reports) embed the owner's ID so that two seedings
of different people never collide. Records are keyed by those numbers and updated in place.
"""

from __future__ import annotations

import bisect
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Protocol

from django.db import transaction
from django.utils import timezone
from stdnum import luhn

from fund.money import to_fen

from .models import (
    LoanKind,
    SandboxBankAccount,
    SandboxCreditLoan,
    SandboxCreditReport,
    SandboxDeedTax,
    SandboxHome,
    SandboxHouseholdRelation,
    SandboxIdentity,
    SandboxInvoice,
    SandboxMarriage,
    SandboxSocialInsurance,
)

CITY_NAMES = {
    "370800": "济宁市",
    "370100": "济南市",
    "370200": "青岛市",
    "371300": "临沂市",
    "320300": "徐州市",
    "410100": "郑州市",
    "350200": "厦门市",
    "430200": "株洲市",
}
PROVINCE_ABBREVIATIONS = {"37": "鲁", "32": "苏", "41": "豫", "35": "闽", "43": "湘"}
STREETS = ["太白楼路", "建设路", "共青团路", "红星路", "洸河路", "琵琶山路", "古槐路", "车站西路", "运河路", "荷花路"]
ESTATES = ["运河城", "金宇花园", "翰林苑", "御景园", "滨湖华府", "阳光嘉园", "锦绣天地", "东方名都"]
DEVELOPERS = ["示范市城建置业有限公司", "运河房地产开发有限公司", "华府置业有限公司"]
# Issuer prefixes of debit cards; the rest of the number is made up and closed with a Luhn digit.
CARD_BANKS = [("622202", "中国工商银行"), ("621700", "中国建设银行"), ("622848", "中国农业银行"), ("621661", "中国银行")]
RETIREMENT_AGE = {"1": 60, "2": 55}  # statutory ages before the 2025 reform; enough for demo data
HOME_SHARE = 0.35
LOCAL_HUKOU_SHARE = 0.85
MARRIED_SHARE = 0.6


class PersonLike(Protocol):
    id_number: str
    name: str
    sex: str
    birth_date: date
    phone: str


class EmployerLike(Protocol):
    credit_code: str
    name: str


@dataclass
class SeedSummary:
    identities: int = 0
    marriages: int = 0
    relations: int = 0
    homes: int = 0
    invoices: int = 0
    deed_taxes: int = 0
    insured: int = 0
    credit_reports: int = 0
    accounts: int = 0
    cards: dict[str, str] = field(default_factory=dict)  # id_number → the person's bank card number


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _age(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def _rng(*parts: str) -> random.Random:
    return random.Random("|".join(("fund-sandbox", *parts)))


def _day_between(rng: random.Random, first: date, last: date) -> date:
    if last <= first:
        return last
    return first + timedelta(days=rng.randint(0, (last - first).days))


@transaction.atomic
def seed_sandbox(
    *, people: Iterable[PersonLike], employers: Iterable[EmployerLike], city_code: str = "370800"
) -> SeedSummary:
    """Give the sandboxes records for these people and employers: identities and hukou (mostly local),
    married couples among them, a few parent–child links, some homes with invoices and deed tax, social
    insurance, clean credit reports (one with a commercial mortgage), and a Luhn-valid card for everyone."""
    persons = sorted(people, key=lambda p: p.id_number)
    units = sorted(employers, key=lambda e: e.credit_code)
    rng = _rng("set", city_code, *(p.id_number for p in persons))  # for choices that pair people up
    today = timezone.localdate()
    city_name = CITY_NAMES.get(city_code, "本市")
    other_cities = [code for code in CITY_NAMES if code != city_code]
    summary = SeedSummary()

    # 公安: identity and hukou.
    identities = []
    for p in persons:
        r = _rng("hukou", p.id_number)
        code = city_code if r.random() < LOCAL_HUKOU_SHARE else r.choice(other_cities)
        name = CITY_NAMES.get(code, city_name)
        identities.append(
            SandboxIdentity(
                id_number=p.id_number, name=p.name, sex=p.sex, birth_date=p.birth_date, death_date=None,
                hukou_city_code=code, hukou_city_name=name,
                hukou_address=f"{name}{r.choice(STREETS)}{r.randint(1, 300)}号",
            )
        )
    _upsert(SandboxIdentity, identities, ["id_number"])
    summary.identities = len(identities)

    # 民政: couples among the people, each old enough to marry. The pairing depends on the set of people only;
    # a pair is registered unless one of them is already married in the sandbox (to someone else).
    by_id = {p.id_number: p for p in persons}
    current = list(SandboxMarriage.objects.filter(ended_on__isnull=True).values_list("party_a", "party_b"))
    spouse_now = {a: b for a, b in current} | {b: a for a, b in current}
    men = [p for p in persons if p.sex == "1" and _age(p.birth_date, today) >= 23]
    women = [p for p in persons if p.sex == "2" and _age(p.birth_date, today) >= 21]
    rng.shuffle(men)
    rng.shuffle(women)
    couples: list[tuple[PersonLike, PersonLike]] = []
    marriages = []
    for man, woman in zip(men, women, strict=False):
        if rng.random() >= MARRIED_SHARE:
            continue
        earliest = max(_years_after(man.birth_date, 22), _years_after(woman.birth_date, 20), today - timedelta(days=365 * 25))
        married_on = _day_between(rng, earliest, today - timedelta(days=30))
        if spouse_now.get(man.id_number) == woman.id_number:
            couples.append((man, woman))  # registered by an earlier run
        elif man.id_number not in spouse_now and woman.id_number not in spouse_now:
            couples.append((man, woman))
            marriages.append(SandboxMarriage(party_a=man.id_number, party_b=woman.id_number, married_on=married_on))
    paired = {p.id_number for c in couples for p in c}
    for a, b in current:  # couples among these people registered otherwise (an earlier seeding, the admin)
        if a in by_id and b in by_id and a not in paired and b not in paired:
            couples.append((by_id[a], by_id[b]))
    SandboxMarriage.objects.bulk_create(marriages, ignore_conflicts=True)
    summary.marriages = len(couples)

    # 公安: a few children among the people, linked to a parent 20–45 years older (and that parent's spouse).
    spouse_of = {a.id_number: b for a, b in couples} | {b.id_number: a for a, b in couples}
    relations = []
    by_birth = sorted(persons, key=lambda p: (p.birth_date, p.id_number))
    births = [p.birth_date for p in by_birth]
    for child in reversed(by_birth):
        if rng.random() >= 0.3:
            continue
        # Born 20 to 45 years before the child: a window of the sorted list, not a scan of everyone.
        lo = bisect.bisect_left(births, _years_after(child.birth_date, -45))
        hi = bisect.bisect_right(births, _years_after(child.birth_date, -20))
        candidates = [p for p in by_birth[lo:hi] if spouse_of.get(child.id_number) is not p]
        if not candidates:
            continue
        parent = rng.choice(candidates)
        relations.append(SandboxHouseholdRelation(parent_id_number=parent.id_number, child_id_number=child.id_number))
        other = spouse_of.get(parent.id_number)
        if other is not None and other is not child and _age(other.birth_date, child.birth_date) >= 18:
            relations.append(SandboxHouseholdRelation(parent_id_number=other.id_number, child_id_number=child.id_number))
    SandboxHouseholdRelation.objects.bulk_create(relations, ignore_conflicts=True)
    summary.relations = len(relations)

    # 不动产 and 税务: homes for some households (a couple owns jointly), invoices and deed tax for recent ones.
    in_couple = set(spouse_of)
    households: list[tuple[Any, ...]] = [*couples, *((p,) for p in persons if p.id_number not in in_couple)]
    households.sort(key=lambda h: h[0].id_number)
    province = PROVINCE_ABBREVIATIONS.get(city_code[:2], "鲁")
    homes: list[SandboxHome] = []
    invoices: list[SandboxInvoice] = []
    deed_taxes: list[SandboxDeedTax] = []

    def add_home(r: random.Random, owners: tuple[Any, ...], code: str, recent: bool, k: int) -> None:
        # Dates are drawn up to the end of last year, so that a re-run within the year draws the same dates —
        # and the same certificate numbers, which carry the year.
        latest = date(today.year - 1, 12, 31)
        earliest = max([_years_after(o.birth_date, 22) for o in owners] + [latest - timedelta(days=365 * 15)])
        first_day = max(latest - timedelta(days=3 * 365), earliest) if recent else earliest
        registered_on = _day_between(r, first_day, latest)
        area = to_fen(Decimal(r.randint(6000, 14000)) / 100)
        price = to_fen(area * r.randint(6000, 12000))
        town = CITY_NAMES.get(code, city_name)
        head = owners[0].id_number
        home = SandboxHome(
            certificate_number=f"{province}({registered_on.year}){town}不动产权第{head[6:17]}{k}号",
            owner_id_numbers=[o.id_number for o in owners],
            address=f"{town}{r.choice(STREETS)}{r.choice(ESTATES)}{r.randint(1, 30)}号楼{r.randint(1, 3)}单元"
            f"{r.randint(1, 30)}{r.randint(1, 4):02d}室",
            city_code=code, area=area, price=price, registered_on=registered_on,
        )
        homes.append(home)
        if (today - registered_on).days <= 3 * 365:
            _add_purchase(invoices, deed_taxes, buyer=owners[0], address=home.address, price=price, day=registered_on, k=k)

    for household in households:
        r = _rng("home", *(o.id_number for o in household))
        if r.random() < HOME_SHARE:
            add_home(r, household, city_code, recent=r.random() < 0.5, k=1)
            if len(homes) == 1:  # the first owner also has a home in another city
                add_home(r, household, r.choice(other_cities), recent=False, k=2)
    # Two people without homes have just bought one that is not yet registered: invoice and deed tax only.
    owners = {i for h in homes for i in h.owner_id_numbers}
    for buyer in [p for p in persons if p.id_number not in owners][:2]:
        r = _rng("purchase", buyer.id_number)
        address = f"{city_name}{r.choice(STREETS)}{r.choice(ESTATES)}{r.randint(1, 30)}号楼{r.randint(101, 2404)}室"
        price = to_fen(Decimal(r.randint(60, 140)) * r.randint(6000, 12000))
        day = today - timedelta(days=r.randint(10, 90))
        _add_purchase(invoices, deed_taxes, buyer=buyer, address=address, price=price, day=day, k=9)
    _upsert(SandboxHome, homes, ["certificate_number"])
    _upsert(SandboxInvoice, invoices, ["invoice_number"])
    _upsert(SandboxDeedTax, deed_taxes, ["voucher_number"])
    summary.homes, summary.invoices, summary.deed_taxes = len(homes), len(invoices), len(deed_taxes)

    # 社保: contributions in the city; retired by statutory age, otherwise insured by one of the employers.
    insured = []
    for p in persons:
        r = _rng("insurance", p.id_number)
        age = _age(p.birth_date, today)
        retired_on = _years_after(p.birth_date, RETIREMENT_AGE.get(p.sex, 60))
        retired = retired_on <= today
        unit = units[r.randrange(len(units))] if units and not retired else None
        insured.append(
            SandboxSocialInsurance(
                id_number=p.id_number,
                months_local=r.randint(6, max(6, min(420, (age - 18) * 12))),
                employer_credit_code=unit.credit_code if unit else "",
                employer_name=unit.name if unit else "",
                retired_on=retired_on if retired else None,
            )
        )
    _upsert(SandboxSocialInsurance, insured, ["id_number"])
    summary.insured = len(insured)

    # 征信: a clean report for everyone; the first home owner in the city also has a commercial mortgage.
    reports = [
        SandboxCreditReport(id_number=p.id_number, report_number=f"{p.id_number[:17]}001", acceptable=True, remark="无不良记录")
        for p in persons
    ]
    _upsert(SandboxCreditReport, reports, ["id_number"])
    summary.credit_reports = len(reports)
    local_owner = next(
        (h.owner_id_numbers[0] for h in homes if h.city_code == city_code), persons[0].id_number if persons else None
    )
    if local_owner is not None:
        report = SandboxCreditReport.objects.get(id_number=local_owner)
        SandboxCreditLoan.objects.update_or_create(
            report=report, lender=f"中国建设银行股份有限公司{city_name}分行", kind=LoanKind.COMMERCIAL,
            defaults={
                "for_housing": True, "monthly_instalment": Decimal("3520.00"), "balance": Decimal("586000.00"),
                "overdue_count": 0, "repayment_history": "N" * 24, "settled": False,
            },
        )

    # 委托银行: a debit card for each person, an account for each employer; an existing one is kept.
    existing = dict(SandboxBankAccount.objects.exclude(holder_id="").values_list("holder_id", "account_number"))
    used = set(SandboxBankAccount.objects.values_list("account_number", flat=True))
    accounts = []
    for p in persons:
        r = _rng("card", p.id_number)
        prefix, bank_name = CARD_BANKS[r.randrange(len(CARD_BANKS))]
        balance = to_fen(Decimal(r.randint(2000, 80000)))
        number = existing.get(p.id_number, "")
        while not number or (number in used and p.id_number not in existing):
            body = prefix + "".join(str(r.randrange(10)) for _ in range(12))
            number = body + luhn.calc_check_digit(body)
        used.add(number)
        summary.cards[p.id_number] = number
        accounts.append(
            SandboxBankAccount(
                account_number=number, name=p.name, holder_id=p.id_number, reserved_phone=p.phone or "",
                bank_name=bank_name, balance=balance,
            )
        )
    for unit in units:
        r = _rng("unit", unit.credit_code)
        bank_name = CARD_BANKS[r.randrange(len(CARD_BANKS))][1]
        number = existing.get(unit.credit_code, "")
        while not number or (number in used and unit.credit_code not in existing):
            number = city_code + "".join(str(r.randrange(10)) for _ in range(13))
        used.add(number)
        accounts.append(
            SandboxBankAccount(
                account_number=number, name=unit.name, holder_id=unit.credit_code,
                bank_name=bank_name, balance=Decimal("5000000.00"),
            )
        )
    _upsert(SandboxBankAccount, accounts, ["account_number"])
    summary.accounts = len(accounts)
    return summary


def _add_purchase(
    invoices: list[SandboxInvoice], deed_taxes: list[SandboxDeedTax], *, buyer: Any, address: str, price: Decimal,
    day: date, k: int,
) -> None:
    invoices.append(
        SandboxInvoice(
            invoice_number=f"{buyer.id_number[:17]}{k:03d}", buyer_id_number=buyer.id_number, buyer_name=buyer.name,
            seller_name=DEVELOPERS[k % len(DEVELOPERS)], amount=price, issued_on=day, valid=True, address=address,
        )
    )
    deed_taxes.append(
        SandboxDeedTax(
            voucher_number=f"QS{buyer.id_number[:17]}{k}", taxpayer_id_number=buyer.id_number, address=address,
            tax_base=price, tax_amount=to_fen(price * Decimal("0.015")), paid_on=day + timedelta(days=7),
        )
    )


def _upsert(model: Any, rows: list[Any], keys: list[str]) -> None:
    if not rows:
        return
    fields = [f.name for f in model._meta.concrete_fields if not f.primary_key and f.name not in keys]
    model.objects.bulk_create(rows, update_conflicts=True, unique_fields=keys, update_fields=fields)
