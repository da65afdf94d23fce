"""Each sandbox answers from its own tables: what the seed (or the test) put there is what comes back."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from fund import integrations as systems
from fund.integrations.bank import sandbox_receive_transfer
from fund.integrations.base import NotFound, Rejected
from fund.integrations.credit import CreditReport, OverdueSummary, overdue_summary
from fund.integrations.marriage import MaritalStatus
from fund.integrations.models import (
    LoanKind,
    MarriageEnd,
    MortgageKind,
    SandboxCreditLoan,
    SandboxDeedTax,
    SandboxHome,
    SandboxHouseholdRelation,
    SandboxIdentity,
    SandboxInvoice,
    SandboxMarriage,
    SandboxMortgage,
    SandboxSocialInsurance,
    TransferStatus,
)
from fund.integrations.sms import sandbox_last_message
from fund.integrations.transfer import sandbox_set_status, sandbox_transfer_out

pytestmark = pytest.mark.django_db


def test_identity_returns_the_seeded_person_and_hukou(seeded, people):
    person = people[3]
    row = SandboxIdentity.objects.get(id_number=person.id_number)

    found = systems.identity_registry().lookup(id_number=person.id_number)

    assert (found.name, found.sex, found.birth_date) == (person.name, person.sex, person.birth_date)
    assert found.alive and found.death_date is None
    assert found.hukou_city_code == row.hukou_city_code
    assert found.hukou_local == (row.hukou_city_code == "370800")


def test_identity_reports_a_death_and_an_unknown_number(seeded, people):
    SandboxIdentity.objects.filter(id_number=people[0].id_number).update(death_date=date(2024, 5, 1))

    found = systems.identity_registry().lookup(id_number=people[0].id_number)
    assert not found.alive and found.death_date == date(2024, 5, 1)

    with pytest.raises(NotFound, match="查无此身份证号码") as exc:
        systems.identity_registry().lookup(id_number="370802199001011237")
    assert exc.value.call_id is not None


def test_seed_keeps_most_hukou_local(seeded, people):
    local = SandboxIdentity.objects.filter(hukou_city_code="370800").count()
    assert local > len(people) / 2
    assert local < len(people) or len(people) < 10


def test_family_lists_parents_and_children_from_the_register(seeded):
    relation = SandboxHouseholdRelation.objects.order_by("id").first()
    assert relation is not None, "the seed links some parents and children"

    child = systems.identity_registry().family(id_number=relation.child_id_number)
    parent = systems.identity_registry().family(id_number=relation.parent_id_number)

    assert relation.parent_id_number in [p.id_number for p in child.parents]
    assert relation.child_id_number in [c.id_number for c in parent.children]
    parent_name = SandboxIdentity.objects.get(id_number=relation.parent_id_number).name
    assert parent_name in [p.name for p in child.parents]


def test_marriage_status_and_spouse_check_follow_the_registration(seeded, people):
    couple = SandboxMarriage.objects.order_by("id").first()
    assert couple is not None, "the seed marries some of the people to each other"

    status = systems.marriage_registry().status(id_number=couple.party_b)
    assert status.status == MaritalStatus.MARRIED
    assert status.spouse_id_number == couple.party_a
    assert status.spouse_name == SandboxIdentity.objects.get(id_number=couple.party_a).name

    registry = systems.marriage_registry()
    assert registry.is_spouse(id_number=couple.party_a, other_id_number=couple.party_b).is_spouse
    stranger = next(p.id_number for p in people if p.id_number not in (couple.party_a, couple.party_b))
    assert not registry.is_spouse(id_number=couple.party_a, other_id_number=stranger).is_spouse


def test_marriage_ended_by_divorce_or_death(seeded):
    couple = SandboxMarriage.objects.order_by("id").first()
    couple.ended_on, couple.ended_by = date(2024, 1, 2), MarriageEnd.DIVORCE
    couple.save()
    divorced = systems.marriage_registry().status(id_number=couple.party_a)
    assert (divorced.status, divorced.spouse_id_number, divorced.since) == (MaritalStatus.DIVORCED, "", date(2024, 1, 2))

    couple.ended_by = MarriageEnd.DEATH
    couple.save()
    assert systems.marriage_registry().status(id_number=couple.party_b).status == MaritalStatus.WIDOWED


def test_marriage_without_registration_is_single(seeded, people):
    married = set(SandboxMarriage.objects.values_list("party_a", flat=True)) | set(
        SandboxMarriage.objects.values_list("party_b", flat=True)
    )
    single = next(p for p in people if p.id_number not in married)
    status = systems.marriage_registry().status(id_number=single.id_number)
    assert status.status == MaritalStatus.SINGLE and status.spouse_id_number == ""


def test_property_lists_homes_with_co_owners_and_city(seeded):
    shared = SandboxHome.objects.filter(owner_id_numbers__len=2).order_by("id").first()
    assert shared is not None, "a married couple owns a home jointly"
    owner, co_owner = shared.owner_id_numbers

    homes = systems.property_registry().homes(id_number=co_owner)

    mine = {h.certificate_number: h for h in homes.homes}
    home = mine[shared.certificate_number]
    assert set(home.owner_id_numbers) == {owner, co_owner}
    assert (home.area, home.price, home.address) == (shared.area, shared.price, shared.address)
    assert home.in_city == (shared.city_code == "370800")


def test_property_reports_homes_outside_the_city(seeded):
    outside = SandboxHome.objects.exclude(city_code="370800").first()
    assert outside is not None, "one owner has a second home in another city"
    homes = systems.property_registry().homes(id_number=outside.owner_id_numbers[0])
    assert any(not h.in_city for h in homes.homes)
    assert all(h.in_city for h in homes.in_city)
    assert len(homes.homes) >= 2


def test_property_has_no_homes_for_someone_who_owns_none(seeded, people):
    owners = {i for ids in SandboxHome.objects.values_list("owner_id_numbers", flat=True) for i in ids}
    tenant = next(p for p in people if p.id_number not in owners)
    assert systems.property_registry().homes(id_number=tenant.id_number).homes == ()


def test_mortgage_registration_returns_a_number_and_is_idempotent_by_reference(seeded):
    home = SandboxHome.objects.filter(city_code="370800").first()
    registry = systems.property_registry()

    first = registry.register_mortgage(
        certificate_number=home.certificate_number, kind=MortgageKind.PRE, mortgagee="示范市住房公积金管理中心",
        amount=Decimal("500000.00"), reference="LN2025-0001",
    )
    again = registry.register_mortgage(
        certificate_number=home.certificate_number, kind=MortgageKind.PRE, mortgagee="示范市住房公积金管理中心",
        amount=Decimal("500000.00"), reference="LN2025-0001",
    )

    assert first.mortgage_number.startswith("不动产证明第")
    assert again.mortgage_number == first.mortgage_number
    assert home.mortgages.count() == 1
    owned = {h.certificate_number: h for h in registry.homes(id_number=home.owner_id_numbers[0]).homes}
    assert owned[home.certificate_number].mortgaged
    with pytest.raises(Rejected):
        registry.register_mortgage(
            certificate_number=home.certificate_number, kind=MortgageKind.PRE, mortgagee="另一家银行",
            amount=Decimal("100000.00"), reference="OTHER-1",
        )

    # The formal mortgage takes over from the pre-mortgage, and release frees the home.
    formal = registry.register_mortgage(
        certificate_number=home.certificate_number, kind=MortgageKind.MORTGAGE, mortgagee="示范市住房公积金管理中心",
        amount=Decimal("500000.00"), reference="LN2025-0001-M",
    )
    assert registry.release_mortgage(mortgage_number=first.mortgage_number).released_at is not None
    released = registry.release_mortgage(mortgage_number=formal.mortgage_number)
    assert released.released_at is not None
    owned = {h.certificate_number: h for h in registry.homes(id_number=home.owner_id_numbers[0]).homes}
    assert not owned[home.certificate_number].mortgaged


def test_mortgage_on_unknown_certificate_is_not_found(seeded):
    with pytest.raises(NotFound):
        systems.property_registry().register_mortgage(
            certificate_number="鲁(2020)济宁市不动产权第9999999号", kind=MortgageKind.MORTGAGE, mortgagee="中心",
            amount=Decimal("1.00"), reference="X-1",
        )


def test_tax_returns_invoice_and_deed_tax(seeded):
    invoice_row = SandboxInvoice.objects.order_by("id").first()
    assert invoice_row is not None

    invoice = systems.tax_bureau().invoice(invoice_number=invoice_row.invoice_number)
    assert (invoice.amount, invoice.buyer_id_number, invoice.issued_on, invoice.valid) == (
        invoice_row.amount, invoice_row.buyer_id_number, invoice_row.issued_on, True,
    )

    deed = systems.tax_bureau().deed_tax(id_number=invoice_row.buyer_id_number)
    expected = SandboxDeedTax.objects.filter(taxpayer_id_number=invoice_row.buyer_id_number)
    assert {p.voucher_number for p in deed.payments} == set(expected.values_list("voucher_number", flat=True))
    assert all(p.tax_amount == (p.tax_base * Decimal("0.015")).quantize(Decimal("0.01")) for p in deed.payments)


def test_tax_reports_a_cancelled_invoice_as_invalid_and_an_unknown_one_as_missing(seeded):
    row = SandboxInvoice.objects.order_by("id").first()
    row.valid = False
    row.save()
    assert systems.tax_bureau().invoice(invoice_number=row.invoice_number).valid is False
    with pytest.raises(NotFound):
        systems.tax_bureau().invoice(invoice_number="00000000000000000000")


def test_social_insurance_returns_months_employer_and_retirement(seeded, people, employers):
    young = max(people, key=lambda p: p.birth_date)
    row = SandboxSocialInsurance.objects.get(id_number=young.id_number)
    record = systems.social_insurance_bureau().record(id_number=young.id_number)
    assert record.months_local == row.months_local > 0
    assert record.employer_credit_code in {e.credit_code for e in employers}
    assert not record.retired

    old_man = min((p for p in people if p.sex == "1"), key=lambda p: p.birth_date)  # born 1962: retired at 60
    retired = systems.social_insurance_bureau().record(id_number=old_man.id_number)
    assert retired.retired and retired.retirement_date == old_man.birth_date.replace(year=old_man.birth_date.year + 60)
    assert retired.employer_credit_code == ""


def test_credit_reports_are_clean_and_one_carries_a_commercial_mortgage(seeded, people):
    loan = SandboxCreditLoan.objects.get()
    assert loan.kind == LoanKind.COMMERCIAL

    report: CreditReport = systems.credit_bureau().report(id_number=loan.report.id_number)
    assert report.acceptable
    assert [(x.kind, x.monthly_instalment, x.balance) for x in report.loans] == [
        (LoanKind.COMMERCIAL, loan.monthly_instalment, loan.balance)
    ]
    assert report.monthly_instalments == loan.monthly_instalment

    other = next(p for p in people if p.id_number != loan.report.id_number)
    clean = systems.credit_bureau().report(id_number=other.id_number)
    assert clean.acceptable and clean.loans == () and clean.report_number


def test_credit_report_shows_a_bad_record(seeded, people):
    loan = SandboxCreditLoan.objects.get()
    loan.overdue_count = 7
    loan.save()
    report_row = loan.report
    report_row.acceptable = False
    report_row.save()
    report = systems.credit_bureau().report(id_number=report_row.id_number)
    assert not report.acceptable and report.loans[0].overdue_count == 7


def test_credit_report_carries_each_loans_24_month_status_settled_loans_included(seeded, people):
    loan = SandboxCreditLoan.objects.get()
    loan.repayment_history = "NNNN1NNNNNN123NNNNNNNNNN"
    loan.save()
    SandboxCreditLoan.objects.create(report=loan.report, lender="某银行", kind=LoanKind.COMMERCIAL, settled=True,
                                     monthly_instalment=Decimal("0"), balance=Decimal("0"),
                                     repayment_history="1NNNNNNNNNNNNNNNNNNNNNNC")
    report = systems.credit_bureau().report(id_number=loan.report.id_number)
    assert [x.repayment_history for x in report.loans] == ["NNNN1NNNNNN123NNNNNNNNNN"]
    assert [x.repayment_history for x in report.settled_loans] == ["1NNNNNNNNNNNNNNNNNNNNNNC"]
    # The longest run is 3 (the "123"), five months overdue in all over both loans.
    assert report.overdue() == OverdueSummary(3, 5)
    # Only the last 10 months: every overdue month is older than that; the last 12 catch the "23".
    assert report.overdue(10) == OverdueSummary(0, 0)
    assert report.overdue(12) == OverdueSummary(3, 2)
    assert report.monthly_instalments == loan.monthly_instalment  # settled loans owe nothing


def test_a_single_status_digit_says_how_many_months_in_a_row_are_overdue():
    assert overdue_summary("NNNN4N") == OverdueSummary(4, 1)
    assert overdue_summary("//////") == OverdueSummary(0, 0)
    assert overdue_summary("") == OverdueSummary(0, 0)
    assert overdue_summary("1N1N1N1N1N1N") == OverdueSummary(1, 6)


def test_a_repayment_status_with_an_unknown_mark_is_refused_by_the_admin_form(seeded):
    from django.core.exceptions import ValidationError

    loan = SandboxCreditLoan.objects.get()
    loan.repayment_history = "NNX"
    with pytest.raises(ValidationError) as caught:
        loan.full_clean()
    assert "repayment_history" in caught.value.message_dict


def test_sms_is_stored_and_the_last_one_readable(seeded):
    gateway = systems.sms_gateway()
    gateway.send(phone="13905370001", text="您的验证码为 111111")
    receipt = gateway.send(phone="13905370001", text="您的验证码为 246810，5分钟内有效")
    assert receipt.message_id
    assert sandbox_last_message("13905370001") == "您的验证码为 246810，5分钟内有效"
    with pytest.raises(Rejected):
        gateway.send(phone="0537-1234", text="x")


def test_bank_lists_incoming_transfers_in_the_date_range(seeded, employers):
    now = timezone.now()
    sandbox_receive_transfer(payer_account="370800000001", payer_name=employers[0].name, amount=Decimal("12000.00"),
                             reference="HJ202506-01", received_at=now)
    sandbox_receive_transfer(payer_account="370800000002", payer_name=employers[1].name, amount=Decimal("800.00"),
                             reference="old", received_at=now - timedelta(days=10))

    today = timezone.localdate()
    listed = systems.entrusted_bank().incoming_transfers(start=today, end=today)
    assert [(t.reference, t.amount, t.payer_name) for t in listed.transfers] == [
        ("HJ202506-01", Decimal("12000.00"), employers[0].name)
    ]


def test_transfer_platform_runs_a_letter_to_the_end(seeded, people):
    platform = systems.transfer_platform()
    person = people[5]

    letter = platform.send_letter(
        id_number=person.id_number, name=person.name, from_centre="厦门市住房公积金中心",
        to_account_number="370800100001", reference="ZR-0001",
    )
    assert letter.status == TransferStatus.LETTER_REVIEWED and letter.status_label == "联系函复核通过"
    assert platform.send_letter(
        id_number=person.id_number, name=person.name, from_centre="厦门市住房公积金中心",
        to_account_number="370800100001", reference="ZR-0001",
    ).letter_number == letter.letter_number
    with pytest.raises(Rejected, match="办理中"):
        platform.send_letter(
            id_number=person.id_number, name=person.name, from_centre="株洲市住房公积金中心",
            to_account_number="370800100001", reference="ZR-0002",
        )
    with pytest.raises(NotFound):
        platform.funds(letter_number=letter.letter_number)
    with pytest.raises(Rejected):
        platform.confirm(letter_number=letter.letter_number)

    sandbox_set_status(letter_number=letter.letter_number, status=TransferStatus.LETTER_ACCEPTED)
    assert platform.status(letter_number=letter.letter_number).status == TransferStatus.LETTER_ACCEPTED
    sandbox_transfer_out(letter_number=letter.letter_number, principal=Decimal("35210.50"), interest=Decimal("120.33"))
    assert platform.status(letter_number=letter.letter_number).status == TransferStatus.ACCOUNT_REVIEWED
    funds = platform.funds(letter_number=letter.letter_number)
    assert funds.total == Decimal("35330.83")

    done = platform.confirm(letter_number=letter.letter_number)
    assert done.status == TransferStatus.DONE and done.finished
    assert platform.confirm(letter_number=letter.letter_number).status == TransferStatus.DONE


def test_transfer_status_codes_are_the_platforms():
    assert {s.value: s.label for s in TransferStatus} == {
        "00": "正常办结", "01": "联系函复核通过", "02": "联系函确认接收", "05": "转入撤销办结", "06": "协商中",
        "08": "账户信息复核通过", "13": "转出审核不通过", "20": "协商后办结", "40": "转出失败办结",
    }


def test_unknown_letter_is_not_found(db):
    with pytest.raises(NotFound):
        systems.transfer_platform().status(letter_number="ZY000")


def test_an_off_plan_home_is_pre_mortgaged_by_its_purchase_contract_and_converted_once_its_certificate_is_issued(db):
    from fund.integrations.property import sandbox_certificate_issue

    registry = systems.property_registry()
    buyer = "370802199003070011"
    pre = registry.register_pre_mortgage(
        purchase_contract="WQ2026-000777", owner_id_numbers=[buyer], address="示范市湖畔路88号2-1-301",
        mortgagee="示范市住房公积金管理中心", amount=Decimal("500000.00"), reference="HT-PRE-1",
    )
    again = registry.register_pre_mortgage(
        purchase_contract="WQ2026-000777", owner_id_numbers=[buyer], address="示范市湖畔路88号2-1-301",
        mortgagee="示范市住房公积金管理中心", amount=Decimal("500000.00"), reference="HT-PRE-1",
    )
    assert (pre.kind, pre.certificate_number, pre.purchase_contract) == (MortgageKind.PRE, "", "WQ2026-000777")
    assert again.mortgage_number == pre.mortgage_number and SandboxHome.objects.get().mortgages.count() == 1
    (home,) = registry.homes(id_number=buyer).homes
    assert home.mortgaged and home.certificate_number == "" and home.purchase_contract == "WQ2026-000777"
    with pytest.raises(NotFound):  # no certificate yet: nothing to take a full mortgage on
        registry.register_mortgage(certificate_number="", kind=MortgageKind.MORTGAGE, mortgagee="中心",
                                   amount=Decimal("500000.00"), reference="HT-FULL-1")

    sandbox_certificate_issue(purchase_contract="WQ2026-000777", certificate_number="鲁(2028)示范市不动产权第0000777号")
    full = registry.register_mortgage(
        certificate_number="鲁(2028)示范市不动产权第0000777号", kind=MortgageKind.MORTGAGE,
        mortgagee="示范市住房公积金管理中心", amount=Decimal("500000.00"), reference="HT-FULL-2",
    )
    assert full.mortgage_number != pre.mortgage_number and full.purchase_contract == "WQ2026-000777"
    assert SandboxMortgage.objects.get(mortgage_number=pre.mortgage_number).released_at is not None
