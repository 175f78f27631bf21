"""The certificates slice of the demo city (called by `licensing.demo`, ORDER 70).

2024: 3,343 principal and safety-manager certificates and 34,768 special-operation
certificates (the bureau's 2024 report, `certs.managers` / `certs.special_ops`), issued by
the city bureau on working days of the year to people working at the demo enterprises;
2018–2023 a smaller yearly intake, so that reviews (复审), extension reviews at expiry
(延期复审), extensions (延期), lapsed and expired certificates, the reminder lists and a
few revocations exist; and some suspected-fake lookups (the 2024 case of a ring selling
fake special-operation certificates).

A smaller demo (`--enterprises` below 12,000) scales every count by the same share.
Deterministic (`ctx.random`), idempotent (natural keys: the holder's 身份证号, the
certificate number), bulk-created with one event per certificate (`ctx.record`).
Holders are invented: checksum-valid ID numbers, names from the subjects demo's pools.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from fazhi.core.demo import DEFAULT_ENTERPRISES, DemoContext, bulk_create_missing
from fazhi.core.models import Agency
from fazhi.licensing import signing
from fazhi.licensing.imports_certificates import existing_keys, insert_rows
from fazhi.licensing.models_certificates import (
    Certificate,
    CertificateHolder,
    CertificateKind,
    CertificateReview,
    SuspectedFake,
    rule_kind,
)
from fazhi.licensing.rules import certificates as rules
from fazhi.licensing.services_certificates import certificate_payload
from fazhi.subjects.demo import _id_areas_for, person_name
from fazhi.subjects.models import Enterprise, SupervisionCategory
from fazhi.subjects.rules.identifiers import build_id_number

YEAR = 2024
# year -> (managers, special operations) issued at the full demo size
FULL: dict[int, tuple[int, int]] = {
    2018: (0, 900), 2019: (0, 1_000), 2020: (0, 900), 2021: (300, 1_200),
    2022: (320, 1_200), 2023: (380, 1_400), 2024: (3_343, 34_768),
}
PRINCIPAL_SHARE = 0.33  # of the managers' certificates
REVIEW_RATE = 0.8  # periodic reviews done among those that fell due
RENEWAL_RATE = 0.7  # extension reviews / extensions done among those that fell due
REVOKED = 24
FAKES = 15

# 操作项目 per 作业类别 (the usual items of the 特种作业目录), with weights.
OPERATIONS: list[tuple[str, str, int]] = [
    ("electrical", "低压电工作业", 30), ("electrical", "高压电工作业", 6),
    ("electrical", "电力电缆作业", 1), ("electrical", "电气试验作业", 1),
    ("electrical", "防爆电气作业", 3), ("welding", "熔化焊接与热切割作业", 24),
    ("welding", "压力焊作业", 2), ("welding", "钎焊作业", 1),
    ("work_at_height", "登高架设作业", 6), ("work_at_height", "高处安装、维护、拆除作业", 10),
    ("refrigeration", "制冷与空调设备运行操作作业", 3),
    ("refrigeration", "制冷与空调设备安装修理作业", 4),
    ("metallurgy", "煤气作业", 1), ("hazardous_chemicals", "化工自动化控制仪表作业", 2),
    ("hazardous_chemicals", "氯化工艺作业", 1), ("hazardous_chemicals", "加氢工艺作业", 1),
    ("hazardous_chemicals", "聚合工艺作业", 1), ("hazardous_chemicals", "氧化工艺作业", 1),
    ("fireworks", "烟火药制造作业", 1),
]
MANAGER_TRADES = {
    SupervisionCategory.HAZCHEM_PRODUCTION: "危险化学品生产单位",
    SupervisionCategory.HAZCHEM_OPERATION: "危险化学品经营单位",
    SupervisionCategory.HAZCHEM_USE: "危险化学品使用单位",
    SupervisionCategory.FIREWORKS: "烟花爆竹经营单位",
    SupervisionCategory.MINING: "金属非金属矿山",
    SupervisionCategory.INDUSTRY_TRADE: "金属冶炼单位",
}
BIRTH_START = datetime.date(1966, 1, 1)
BIRTH_DAYS = 10_950  # births over 30 years


def counts_for(enterprises: int) -> dict[int, tuple[int, int]]:
    if enterprises >= DEFAULT_ENTERPRISES:
        return dict(FULL)
    share = enterprises / DEFAULT_ENTERPRISES
    return {y: (max(1 if m else 0, round(m * share)), max(1, round(s * share)))
            for y, (m, s) in FULL.items()}


def holder_id(serial: int) -> str:
    """A unique, checksum-valid 身份证号 for the serial-th demo holder."""
    birth = BIRTH_START + datetime.timedelta(days=serial % BIRTH_DAYS)
    areas = _id_areas_for(birth.year)
    area = areas[(serial // BIRTH_DAYS // 1000) % len(areas)]
    return build_id_number(area, birth, (serial // BIRTH_DAYS) % 1000)


def _working_days(year: int) -> list[datetime.date]:
    day, out = datetime.date(year, 1, 2), []
    while day.year == year:
        if day.weekday() < 5:
            out.append(day)
        day += datetime.timedelta(days=1)
    return out


@dataclass
class _Spec:
    kind: str
    year: int
    serial: int  # holder serial
    name: str
    issued: datetime.date
    enterprise: tuple[int, str, int, str]  # id, name, jurisdiction id, path
    category: str
    operation: str
    theory: int
    practical: int


def _specs(ctx: DemoContext, enterprises: list[tuple[int, str, int, str, str]]
           ) -> list[_Spec]:
    rng = ctx.random("licensing.certificates")
    managers_pool = [e for e in enterprises if e[4] in MANAGER_TRADES] or enterprises
    ops = [(c, o) for c, o, _w in OPERATIONS]
    weights = [w for _c, _o, w in OPERATIONS]
    specs: list[_Spec] = []
    serial = 0
    for year, (managers, special) in sorted(counts_for(ctx.enterprises).items()):
        days = _working_days(year)
        principals = round(managers * PRINCIPAL_SHARE)
        for i in range(managers + special):
            serial += 1
            if i < managers:
                kind = (CertificateKind.PRINCIPAL if i < principals
                        else CertificateKind.SAFETY_MANAGER)
                e = rng.choice(managers_pool)
                category, operation = "", MANAGER_TRADES.get(e[4], "危险化学品生产单位")
            else:
                kind = CertificateKind.SPECIAL_OPERATION
                e = rng.choice(enterprises)
                category, operation = rng.choices(ops, weights)[0]
            specs.append(_Spec(kind, year, serial, person_name(rng), rng.choice(days), e[:4],
                               category, operation, rng.randint(80, 100), rng.randint(80, 100)))
    return specs


def load(ctx: DemoContext) -> None:
    agency = Agency.objects.filter(jurisdiction__code="330400",
                                   kind=Agency.Kind.CITY_BUREAU).first()
    enterprises = list(Enterprise.objects.order_by("id").values_list(
        "id", "name", "jurisdiction_id", "jurisdiction_path", "supervision_category"))
    if agency is None or not enterprises:
        return
    specs = _specs(ctx, enterprises)
    ids = [holder_id(s.serial) for s in specs]
    by_id = existing_keys(CertificateHolder, "id_number", ids)
    holders = [CertificateHolder(name=s.name, id_number=i)
               for s, i in zip(specs, ids, strict=True) if i not in by_id]
    by_id.update(insert_rows(CertificateHolder, holders, key="id_number"))
    ctx.count("持证人", len(holders))
    key = signing.private_key()
    key_id = signing.key_id_of(key.public_key())
    serials: dict[str, int] = {}
    certs: list[Certificate] = []
    for s, id_number in zip(specs, ids, strict=True):
        if s.kind == CertificateKind.SPECIAL_OPERATION:
            number = f"T{id_number}"
        else:
            prefix = f"330400{'Z' if s.kind == CertificateKind.PRINCIPAL else 'A'}{s.year}"
            serials[prefix] = serials.get(prefix, 0) + 1
            number = f"{prefix}{serials[prefix]:06d}"
        dates = rules.certificate_dates(rule_kind(s.kind), s.issued)
        certs.append(Certificate(
            kind=s.kind, number=number, category=s.category, operation=s.operation,
            holder_id=by_id[id_number], holder_name=s.name, enterprise_id=s.enterprise[0],
            employer_name=s.enterprise[1], jurisdiction_id=s.enterprise[2],
            jurisdiction_path=s.enterprise[3], agency=agency, issued_on=s.issued,
            review_due=dates.review_due, expires_on=dates.expires,
            review_interval_years=dates.review_interval_years, exam_theory=s.theory,
            exam_practical=s.practical, key_id=key_id))
    existing = existing_keys(Certificate, "number", [c.number for c in certs])
    fresh = [(c, i) for c, i in zip(certs, ids, strict=True) if c.number not in existing]
    certs = [c for c, _i in fresh]
    reviews = _reviews(ctx.random("licensing.certificate_reviews"), certs)
    for cert, id_number in fresh:  # signed last: reviews move the expiry
        cert.signature = signing.sign_body(signing.payload_body(
            key_id=key_id, kind=cert.kind, number=cert.number, operation=cert.operation,
            name=cert.holder_name, id_number=id_number, issued=cert.issued_on,
            expires=cert.expires_on), key)
    insert_rows(Certificate, certs, key="number")
    new = certs
    ctx.count("资格证书", len(new))
    ctx.record([(c, "certificate.issued", {**certificate_payload(c), "source": "demo"})
                for c in new])
    new_reviews = reviews
    for r in new_reviews:
        r.certificate_id = r.certificate.pk
    CertificateReview.objects.bulk_create(new_reviews, batch_size=1000)
    ctx.count("证书复审", len(new_reviews))
    ctx.record([(r.certificate, "certificate.reviewed", {
        "kind": r.kind, "reviewed_on": r.reviewed_on, "passed": r.passed, "source": "demo",
        "review_due": {"from": r.review_due_before, "to": r.review_due_after},
        "expires_on": {"from": r.expires_before, "to": r.expires_after}})
        for r in new_reviews])
    _revoke(ctx, [c for c in new if c.issued_on.year < YEAR])
    _fakes(ctx)


def _reviews(rng: random.Random, certs: list[Certificate]) -> list[CertificateReview]:
    """Reviews that fell due before the demo's year end: most done (dates moved on,
    before signing), the rest left to lapse."""
    horizon = datetime.date(YEAR, 12, 31)
    out: list[CertificateReview] = []
    for cert in certs:
        special = cert.kind == CertificateKind.SPECIAL_OPERATION
        while True:
            periodic = special and cert.review_due and cert.review_due < cert.expires_on
            due = cert.review_due if periodic else cert.expires_on
            if due is None or due > horizon:
                break
            if rng.random() > (REVIEW_RATE if periodic else RENEWAL_RATE):
                break  # not reviewed in time: lapses / expires
            reviewed = due - datetime.timedelta(days=rng.randint(5, 55))
            review = CertificateReview(
                certificate=cert, kind=(CertificateReview.Kind.PERIODIC if periodic
                                        else CertificateReview.Kind.RENEWAL),
                reviewed_on=reviewed, passed=True, training_hours=8 if special else 16,
                review_due_before=cert.review_due, expires_before=cert.expires_on)
            if periodic:
                cert.review_due = rules.next_review_due(cert.review_due, cert.expires_on,
                                                        rules.REVIEW_INTERVAL_YEARS)
            else:
                cert.expires_on, cert.review_due = rules.renewal_dates(
                    cert.expires_on, kind=cert.rule_kind)
            review.review_due_after, review.expires_after = cert.review_due, cert.expires_on
            out.append(review)
    return out


def _revoke(ctx: DemoContext, certs: list[Certificate]) -> None:
    rng = ctx.random("licensing.certificate_revocations")
    chosen = rng.sample(certs, min(len(certs), max(1, round(REVOKED * ctx.enterprises
                                                              / DEFAULT_ENTERPRISES))))
    grounds = [g for g in rules.REVOCATION_GROUNDS if g != "other"]
    for cert in chosen:
        ground = rng.choice(grounds)
        cert.status, cert.revocation_ground = "revoked", ground
        cert.revoked_on = min(cert.issued_on + datetime.timedelta(days=rng.randint(200, 900)),
                              datetime.date(YEAR, 12, 20))
        cert.revocation_reason = f"经核查，{rules.REVOCATION_GROUNDS[ground]}。"
    Certificate.objects.bulk_update(chosen, ["status", "revocation_ground", "revoked_on",
                                             "revocation_reason"])
    ctx.record([(c, "certificate.revoked", {"ground": c.revocation_ground,
                                            "reason": c.revocation_reason,
                                            "revoked_on": c.revoked_on, "source": "demo"})
                for c in chosen])


def _fakes(ctx: DemoContext) -> None:
    rng = ctx.random("licensing.certificate_fakes")
    fakes = []
    for n in range(FAKES):
        number = f"T{holder_id(9_000_000 + n)}"
        at = datetime.datetime(YEAR, rng.randint(3, 11), rng.randint(1, 28), rng.randint(8, 20),
                               tzinfo=datetime.UTC)
        fakes.append(SuspectedFake(number=number, reason=SuspectedFake.Reason.UNKNOWN_NUMBER,
                                   name_masked=person_name(rng)[:1] + "**",
                                   lookups=rng.randint(2, 40), first_at=at,
                                   last_at=at + datetime.timedelta(days=rng.randint(0, 30))))
    new = bulk_create_missing(SuspectedFake, fakes, key="number")
    ctx.count("疑似假证查询", len(new))  # a log of lookups: no events, as in the service
