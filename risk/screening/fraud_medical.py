"""The same medical record presented by different people (Liaoyuan: two applicants' discharge records identical
but for the name and age, both forged). A major-illness withdrawal (09) keeps its record in
`details["medical"]` (hospital, record number, diagnosis); another person's withdrawal with the same hospital
and the same record number, or the same hospital and the same long diagnosis text, is a hit."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import models

from fund.dates import months_ago

from .fraud_common import (
    FOLD_SQL,
    as_json,
    day_start,
    fold,
    masked,
    rows,
    subjects_by_pk,
    sweep_window,
    today,
)
from .registry import Category, Check, Finding, Level, register_check

ILLNESS = "09"


def _sql(where: str) -> str:
    from deposits.models import MemberAccount
    from fund.people.models import Person
    from withdrawals.models import Withdrawal

    part = "w.details->'medical'->>'{}'"
    return f"""
        WITH m AS (
            SELECT w.id, w.number, w.submitted_at, a.person_id, p.id_number, p.name,
                   {FOLD_SQL.format(part.format("hospital"))} AS hospital,
                   {FOLD_SQL.format(part.format("record_number"))} AS record,
                   {FOLD_SQL.format(part.format("diagnosis"))} AS diagnosis,
                   w.details->'medical' AS medical
            FROM {Withdrawal._meta.db_table} w
            JOIN {MemberAccount._meta.db_table} a ON a.id = w.account_id
            JOIN {Person._meta.db_table} p ON p.id = a.person_id
            WHERE w.reason = %(reason)s AND jsonb_typeof(w.details->'medical') = 'object'
              AND w.submitted_at >= %(since)s
        )
        SELECT s.id, o.number, o.id_number, o.name, s.medical, o.medical,
               (s.record <> '' AND o.record = s.record) AS same_record,
               (length(s.diagnosis) >= %(min_chars)s AND o.diagnosis = s.diagnosis) AS same_diagnosis
        FROM m s JOIN m o ON o.hospital = s.hospital AND o.person_id <> s.person_id AND o.id <> s.id
        WHERE s.hospital <> '' AND {where}
          AND ((s.record <> '' AND o.record = s.record)
               OR (length(s.diagnosis) >= %(min_chars)s AND o.diagnosis = s.diagnosis))
        ORDER BY s.id, o.id
    """


def _finding(row: tuple[Any, ...]) -> Finding:
    _, number, id_number, name, mine, theirs, same_record, same_diagnosis = row
    mine, theirs = as_json(mine), as_json(theirs)
    matched = [label for flag, label in ((same_record, "病案号"), (same_diagnosis, "出院诊断")) if flag]
    mine = mine or {}
    return Finding(
        summary=f"与 {number}（{name}，{masked(id_number)}）的病历{'、'.join(matched)}相同：{mine.get('hospital', '')}"
                f" 病案号 {mine.get('record_number', '')}",
        evidence={"hospital": mine.get("hospital", ""), "record_number": mine.get("record_number", ""),
                  "diagnosis": mine.get("diagnosis", ""), "matched_on": matched,
                  "other": {"number": number, "name": name, "id_number": masked(id_number), "medical": theirs or {}}},
        key=number,
    )


def _args(on: date, params: dict[str, Any]) -> dict[str, Any]:
    return {"reason": ILLNESS, "since": day_start(months_ago(on, int(params["months"]))),
            "min_chars": int(params["min_diagnosis_chars"])}


def screen(subject: models.Model, params: dict[str, Any]) -> Iterable[Finding]:
    medical = (getattr(subject, "details", None) or {}).get("medical")
    if getattr(subject, "reason", "") != ILLNESS or not isinstance(medical, dict) or not fold(medical.get("hospital")):
        return []
    return [_finding(row) for row in rows(_sql("s.id = %(subject)s"), {**_args(today(), params), "subject": subject.pk})]


def sweep(business_date: date, params: dict[str, Any]) -> Iterable[tuple[models.Model, Finding]]:
    from withdrawals.models import Withdrawal

    start, end = sweep_window(business_date, params)
    found = rows(_sql("s.submitted_at >= %(start)s AND s.submitted_at < %(end)s"),
                 {**_args(business_date, params), "start": start, "end": end})
    subjects = subjects_by_pk(Withdrawal, (row[0] for row in found))
    return [(subjects[row[0]], _finding(row)) for row in found]


MEDICAL_RECORD = register_check(Check(
    code="fraud.medical_record", label="同一病历多人使用", category=Category.FRAUD, level=Level.REDLINE,
    subjects=("withdrawals.withdrawal",),
    description="大病医疗提取的病历（医院、病案号、出院诊断）与他人提取所用病历相同。辽源中心回头看发现多起"
                "除姓名年龄外完全相同的病历骗提。",
    screen=screen, sweep=sweep,
    params={"months": 36, "min_diagnosis_chars": 12, "sweep_days": 7},
))
