"""The knowledge-base tables and their services: benchmarks never exceed the statute,
refusals change nothing, every write is in the event record, only administrators
write, and the admin shows the service's reasons on the form.

Statutory figures: 安全生产法(2021) 第九十七条 — 责令限期改正，处十万元以下的罚款；逾期未
改正的，责令停产停业整顿，并处十万元以上二十万元以下的罚款，对其直接负责的主管人员和其他
直接责任人员处二万元以上五万元以下的罚款."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from fazhi.core.models import Event
from fazhi.legal import services
from fazhi.legal.models import (
    BenchmarkTierRow,
    DiscretionBenchmark,
    EnforcementItem,
    ExemptionEntry,
    ItemStagePenalty,
    JurisdictionLegalConfig,
    Law,
    Provision,
    chinese_number,
    provision_label,
)
from fazhi.legal.rules.discretion import BenchmarkTier, FineRange

D = datetime.date
STATUTE_FIRST_MAX = Decimal(100_000)  # 第九十七条: 处十万元以下的罚款


@pytest.fixture
def admin_user(make_user):
    return make_user("admin")


@pytest.fixture
def wsl(admin_user) -> Law:
    return services.law_create(
        actor=admin_user, name="中华人民共和国安全生产法", short_name="安全生产法",
        level=Law.Level.LAW, issuer="全国人民代表大会常务委员会",
        document_number="主席令第八十八号",
        version="2021", promulgated=D(2021, 6, 10), effective=D(2021, 9, 1))


@pytest.fixture
def item(admin_user, wsl) -> EnforcementItem:
    whole = services.provision_create(actor=admin_user, law=wsl, article=97,
                                      text="生产经营单位有下列行为之一的……")
    first = services.provision_create(actor=admin_user, law=wsl, article=97, item=1,
                                      text="未按照规定设置安全生产管理机构或者配备安全生产管理人员")
    violated = services.provision_create(actor=admin_user, law=wsl, article=24, paragraph=1)
    item = services.item_create(
        actor=admin_user, code="WSL-097-1",
        name="未按照规定设置安全生产管理机构或者配备安全生产管理人员",
        party_unit=True, party_responsible_persons=True, dual_penalty=True,
        valid_from=D(2021, 9, 1), violated=[violated], penalty=[first])
    services.item_stage_penalty_set(
        actor=admin_user, item=item, stage="first", unit_min=Decimal(0),
        unit_max=STATUTE_FIRST_MAX, measures=["order_correct_within_deadline", "fine"],
        provision=whole)
    services.item_stage_penalty_set(
        actor=admin_user, item=item, stage="overdue", unit_min=Decimal(100_000),
        unit_max=Decimal(200_000), responsible_min=Decimal(20_000),
        responsible_max=Decimal(50_000), measures=["suspend_business", "fine"],
        provision=whole)
    return item


def _tiers(severe_max: Decimal | int | str) -> list[BenchmarkTier]:
    return [
        BenchmarkTier("minor", fine_unit=FineRange(0, 30_000), circumstances="初次发现"),
        BenchmarkTier("general", fine_unit=FineRange(30_000, 60_000)),
        BenchmarkTier("severe", fine_unit=FineRange(60_000, severe_max),
                      measures=("order_correct_within_deadline", "fine")),
    ]


def _save(actor, item, tiers, **kw):
    fields = {"name": "安全生产法第九十七条裁量基准", "version": "2024",
              "valid_from": D(2024, 1, 1)}
    fields.update(kw)
    return services.benchmark_save(actor=actor, item=item, tiers=tiers, **fields)


def _events(action: str) -> list[Event]:
    return list(Event.objects.filter(action=action).order_by("seq"))


# --- provision labels --------------------------------------------------------------------

@pytest.mark.parametrize(("n", "written"), [
    (1, "一"), (9, "九"), (10, "十"), (11, "十一"), (20, "二十"), (97, "九十七"),
    (100, "一百"), (101, "一百零一"), (110, "一百一十"), (114, "一百一十四"),
    (1000, "一千"), (1001, "一千零一"),
])
def test_chinese_numbers_as_statutes_write_them(n, written):
    assert chinese_number(n) == written


def test_provision_labels():
    assert provision_label(97) == "第九十七条"
    assert provision_label(94, 1) == "第九十四条第一款"
    assert provision_label(97, None, 1) == "第九十七条第（一）项"
    assert provision_label(63, 1, 1) == "第六十三条第一款第（一）项"


def test_provision_label_is_stored_and_unique_per_law_version(admin_user, wsl):
    provision = services.provision_create(actor=admin_user, law=wsl, article=114, paragraph=1,
                                          item=2)
    assert Provision.objects.get(pk=provision.pk).label == "第一百一十四条第一款第（二）项"
    with pytest.raises(ValidationError):
        services.provision_create(actor=admin_user, law=wsl, article=114, paragraph=1, item=2)
    assert Provision.objects.filter(law=wsl, article=114).count() == 1


def test_law_versions_are_unique_by_name_and_version(admin_user, wsl):
    with pytest.raises(ValidationError):
        services.law_create(actor=admin_user, name=wsl.name, level=Law.Level.LAW,
                            version="2021", effective=D(2021, 9, 1))
    older = services.law_create(actor=admin_user, name=wsl.name, level=Law.Level.LAW,
                                version="2014", effective=D(2014, 12, 1))
    services.law_update(actor=admin_user, law=older, repealed=D(2021, 9, 1))
    older.refresh_from_db()
    assert not older.in_force_on(D(2021, 9, 1)) and older.in_force_on(D(2021, 8, 31))
    assert _events("law.updated")[-1].payload["changes"]["repealed"]["to"] == "2021-09-01"


def test_law_repealed_before_effective_is_refused(admin_user):
    with pytest.raises(ValidationError) as exc:
        services.law_create(actor=admin_user, name="某条例", level=Law.Level.LOCAL_REGULATION,
                            version="2020", effective=D(2020, 5, 1), repealed=D(2020, 5, 1))
    assert "失效日期应当晚于施行日期" in str(exc.value)
    assert not Law.objects.filter(name="某条例").exists()


# --- benchmarks: the statute is the limit -------------------------------------------------

def test_benchmark_one_yuan_over_the_statute_is_refused_and_nothing_saved(admin_user, item):
    before = Event.objects.count()
    with pytest.raises(ValidationError) as exc:
        _save(admin_user, item, _tiers(STATUTE_FIRST_MAX + 1))
    reasons = exc.value.messages
    assert any("严重阶次的单位罚款幅度" in r and "超出法定幅度" in r for r in reasons), reasons
    assert not DiscretionBenchmark.objects.exists()
    assert not BenchmarkTierRow.objects.exists()
    assert Event.objects.count() == before


def test_benchmark_at_the_statutory_maximum_is_accepted(admin_user, item):
    benchmark = _save(admin_user, item, _tiers(STATUTE_FIRST_MAX), jurisdiction=None)
    rows = {r.tier: r for r in benchmark.tiers.all()}
    assert set(rows) == {"minor", "general", "severe"}
    assert rows["severe"].unit_max == STATUTE_FIRST_MAX
    assert rows["severe"].measures == ["order_correct_within_deadline", "fine"]
    assert rows["minor"].circumstances == "初次发现"
    event = _events("benchmark.created")[-1]
    assert event.object_id == str(benchmark.pk)
    assert event.payload["item"] == "WSL-097-1"
    assert event.payload["tiers"][-1]["unit"] == {"min": "60000", "max": "100000"}


def test_benchmark_of_the_overdue_stage_is_held_to_that_stage(admin_user, item, jurisdictions):
    # 逾期未改正: 十万元以上二十万元以下; a tier starting one yuan under 10万 is outside.
    low = [BenchmarkTier("general", fine_unit=FineRange(99_999, 150_000))]
    with pytest.raises(ValidationError):
        _save(admin_user, item, low, stage="overdue")
    ok = [BenchmarkTier("general", fine_unit=FineRange(100_000, 150_000),
                        fine_individual=FineRange(20_000, 50_000))]
    assert _save(admin_user, item, ok, stage="overdue").stage == "overdue"


def test_benchmark_refused_for_a_fine_the_statute_does_not_impose(admin_user, item):
    # The first stage fines the unit only: a fine on an individual is not the agency's to add.
    tiers = [BenchmarkTier("general", fine_unit=FineRange(0, 50_000),
                           fine_individual=FineRange(0, 5_000))]
    with pytest.raises(ValidationError) as exc:
        _save(admin_user, item, tiers)
    assert any("法定依据未对个人设定罚款" in r for r in exc.value.messages)


def test_benchmark_refused_for_a_measure_the_statute_does_not_provide(admin_user, item):
    tiers = [BenchmarkTier("severe", fine_unit=FineRange(60_000, 100_000),
                           measures=("revoke_permit",))]
    with pytest.raises(ValidationError) as exc:
        _save(admin_user, item, tiers)
    assert any("revoke_permit" in r for r in exc.value.messages)


def test_benchmark_tiers_from_mappings_with_a_bad_range_are_refused_in_chinese(admin_user, item):
    tiers = [{"tier": "general", "unit_min": "50000", "unit_max": "40000"}]
    with pytest.raises(ValidationError) as exc:
        _save(admin_user, item, tiers)
    assert any("不能高于上限" in r for r in exc.value.messages)
    assert not DiscretionBenchmark.objects.exists()


def test_benchmark_for_a_stage_without_statute_is_refused(admin_user, item):
    with pytest.raises(ValidationError) as exc:
        _save(admin_user, item, _tiers(50_000 + 60_000), stage="accident")
    assert any("未设定“导致事故”阶段的法定处罚" in r for r in exc.value.messages)


def test_overlapping_benchmarks_of_one_jurisdiction_are_refused(admin_user, item, jurisdictions):
    city = jurisdictions["city"]
    _save(admin_user, item, _tiers(90_000), jurisdiction=city, valid_to=D(2024, 12, 31))
    with pytest.raises(ValidationError) as exc:
        _save(admin_user, item, _tiers(90_000), jurisdiction=city, version="2025",
              valid_from=D(2024, 12, 31))
    assert any("有效期重叠" in r for r in exc.value.messages)
    # The day after the last day is free; another jurisdiction never overlaps.
    _save(admin_user, item, _tiers(90_000), jurisdiction=city, version="2025",
          valid_from=D(2025, 1, 1))
    _save(admin_user, item, _tiers(90_000), jurisdiction=jurisdictions["nanhu"])
    assert DiscretionBenchmark.objects.count() == 3


def test_benchmark_update_replaces_its_tiers_and_is_recorded(admin_user, item):
    benchmark = _save(admin_user, item, _tiers(90_000))
    services.benchmark_save(actor=admin_user, item=item, benchmark=benchmark,
                            tiers=[BenchmarkTier("general", fine_unit=FineRange(0, 100_000))],
                            name="新名称", version="2024", valid_from=D(2024, 1, 1))
    assert [r.tier for r in benchmark.tiers.all()] == ["general"]
    event = _events("benchmark.updated")[-1]
    assert event.payload["changes"]["name"]["to"] == "新名称"
    assert [t["tier"] for t in event.payload["old_tiers"]] == ["minor", "general", "severe"]


def test_narrowing_the_statute_under_a_benchmark_is_refused(admin_user, item):
    _save(admin_user, item, _tiers(STATUTE_FIRST_MAX))
    with pytest.raises(ValidationError) as exc:
        services.item_stage_penalty_set(actor=admin_user, item=item, stage="first",
                                        unit_max=STATUTE_FIRST_MAX - 1)
    assert any("超出法定幅度" in r for r in exc.value.messages)
    assert ItemStagePenalty.objects.get(item=item, stage="first").unit_max == STATUTE_FIRST_MAX


# --- database constraints ---------------------------------------------------------------

def test_database_refuses_a_tier_range_upside_down(admin_user, item):
    benchmark = _save(admin_user, item, _tiers(90_000))
    with pytest.raises(IntegrityError), transaction.atomic():
        BenchmarkTierRow.objects.create(benchmark=benchmark, tier="serious",
                                        unit_min=Decimal(80_000), unit_max=Decimal(70_000))


def test_database_refuses_a_tier_twice_in_one_benchmark(admin_user, item):
    benchmark = _save(admin_user, item, _tiers(90_000))
    with pytest.raises(IntegrityError), transaction.atomic():
        BenchmarkTierRow.objects.create(benchmark=benchmark, tier="minor")


def test_database_refuses_half_a_statutory_range(item):
    with pytest.raises(IntegrityError), transaction.atomic():
        ItemStagePenalty.objects.create(item=item, stage="accident", unit_min=Decimal(1))


def test_database_refuses_a_duplicate_item_code(item):
    with pytest.raises(IntegrityError), transaction.atomic():
        EnforcementItem.objects.create(code="WSL-097-1", name="重复", valid_from=D(2021, 9, 1))


def test_unknown_measure_code_is_refused(admin_user, item):
    with pytest.raises(ValidationError) as exc:
        services.item_stage_penalty_set(actor=admin_user, item=item, stage="accident",
                                        unit_min=0, unit_max=1, measures=["jail"])
    assert "未知的处罚种类代码：jail" in str(exc.value)


# --- who may write, and the record ------------------------------------------------------

@pytest.mark.parametrize("role", ["officer", "leader", "reviewer", "enterprise", "supervisor"])
def test_only_administrators_write(make_user, item, role):
    actor = make_user(role)
    before = Event.objects.count()
    with pytest.raises(PermissionDenied, match="只有管理员"):
        _save(actor, item, _tiers(90_000))
    with pytest.raises(PermissionDenied):
        services.law_create(actor=actor, name="某法", level=Law.Level.LAW, version="2020",
                            effective=D(2020, 1, 1))
    assert not DiscretionBenchmark.objects.exists()
    assert Event.objects.count() == before


def test_item_writes_are_recorded(admin_user, item):
    created = _events("item.created")[-1]
    assert created.payload["code"] == "WSL-097-1"
    assert created.payload["penalty"] == ["安全生产法 第九十七条第（一）项"]
    assert created.payload["violated"] == ["安全生产法 第二十四条第一款"]
    stages = [e.payload["stage"] for e in _events("item.stage_penalty_set")]
    assert stages == ["first", "overdue"]
    services.item_update(actor=admin_user, item=item, valid_to=D(2030, 12, 31))
    assert _events("item.updated")[-1].payload["changes"]["valid_to"]["to"] == "2030-12-31"
    n = Event.objects.count()
    services.item_update(actor=admin_user, item=item, valid_to=D(2030, 12, 31))
    assert Event.objects.count() == n  # no change, no event


def test_exemption_entry_save(admin_user, item):
    entry = services.exemption_entry_save(
        actor=admin_user, item=item, kind=ExemptionEntry.Kind.FIRST_VIOLATION,
        conditions="初次违法且危害后果轻微并及时改正", guidance_measures="批评教育、指导改正",
        source_document="浙江省应急管理领域轻微违法行为免罚清单", valid_from=D(2022, 1, 1))
    assert _events("exemption.created")[-1].payload["kind"] == "first_violation"
    with pytest.raises(ValidationError) as exc:
        services.exemption_entry_save(actor=admin_user, item=item, kind="mandatory",
                                      conditions="  ", valid_from=D(2022, 1, 1))
    assert "请填写适用条件" in str(exc.value)
    services.exemption_entry_save(actor=admin_user, item=item, entry=entry, kind=entry.kind,
                                  conditions=entry.conditions, valid_from=D(2022, 1, 1),
                                  valid_to=D(2025, 12, 31))
    assert _events("exemption.updated")[-1].payload["changes"]["valid_to"]["to"] == "2025-12-31"
    assert ExemptionEntry.objects.count() == 1


def test_legal_config_save(admin_user, jurisdictions):
    config = services.legal_config_save(
        actor=admin_user, jurisdiction=jurisdictions["province"], individual_min="10000",
        unit_min=Decimal(100_000), valid_from=D(2022, 1, 1), source_law="某省规定",
        source_article="第二条")
    assert config.large_fine_unit_min == Decimal(100_000)
    payload = _events("legal_config.created")[-1].payload
    assert Decimal(payload["large_fine_individual_min"]) == Decimal(10_000)
    with pytest.raises(ValidationError) as exc:
        services.legal_config_save(actor=admin_user, jurisdiction=jurisdictions["city"],
                                   individual_min=1e4, unit_min=0, valid_from=D(2022, 1, 1),
                                   source_law="某市规定")
    assert "不接受浮点数" in str(exc.value)
    with pytest.raises(ValidationError):
        services.legal_config_save(actor=admin_user, jurisdiction=jurisdictions["city"],
                                   individual_min=1, unit_min=0, valid_from=D(2022, 1, 1),
                                   source_law="某市规定")
    assert JurisdictionLegalConfig.objects.count() == 1


# --- the admin form shows the service's reasons -----------------------------------------

def _admin_post(item, severe_max: str) -> dict[str, str]:
    data = {
        "item": str(item.pk), "stage": "first", "jurisdiction": "", "name": "基准",
        "source_document": "", "version": "2024", "valid_from": "2024-01-01", "valid_to": "",
        "tiers-TOTAL_FORMS": "2", "tiers-INITIAL_FORMS": "0", "tiers-MIN_NUM_FORMS": "0",
        "tiers-MAX_NUM_FORMS": "4",
        "tiers-0-tier": "minor", "tiers-0-unit_min": "0", "tiers-0-unit_max": "30000",
        "tiers-0-circumstances": "初次发现", "tiers-0-measures": "fine",
        "tiers-1-tier": "severe", "tiers-1-unit_min": "30000", "tiers-1-unit_max": severe_max,
        "tiers-1-measures": ["order_correct_within_deadline", "fine"],
    }
    return data


def test_admin_refuses_an_over_range_benchmark_with_the_reasons(client, make_user, item):
    superuser = make_user("admin", is_staff=True, is_superuser=True)
    client.force_login(superuser)
    url = "/admin/legal/discretionbenchmark/add/"
    response = client.post(url, _admin_post(item, "100001"))
    assert response.status_code == 200  # the form again, not a redirect
    assert "超出法定幅度" in response.content.decode()
    assert not DiscretionBenchmark.objects.exists()

    response = client.post(url, _admin_post(item, "100000"))
    assert response.status_code == 302
    benchmark = DiscretionBenchmark.objects.get()
    assert sorted(r.tier for r in benchmark.tiers.all()) == ["minor", "severe"]
    assert _events("benchmark.created")[-1].actor_id == superuser.pk


def test_admin_is_read_only_for_staff_who_are_not_administrators(client, make_user, item):
    # Even holding every Django permission of the app, an officer may only look.
    officer = make_user("officer", is_staff=True)
    officer.user_permissions.set(Permission.objects.filter(content_type__app_label="legal"))
    client.force_login(officer)
    assert client.get("/admin/legal/discretionbenchmark/").status_code == 200
    response = client.post("/admin/legal/discretionbenchmark/add/", _admin_post(item, "1000"))
    assert response.status_code == 403
    assert not DiscretionBenchmark.objects.exists()


def test_admin_pages_open_for_an_administrator(client, make_user, admin_user, item):
    benchmark = _save(admin_user, item, _tiers(90_000))
    client.force_login(make_user("admin", is_staff=True, is_superuser=True))
    for url in ("/admin/legal/law/add/", f"/admin/legal/law/{item.penalty.get().law_id}/change/",
                f"/admin/legal/enforcementitem/{item.pk}/change/",
                f"/admin/legal/discretionbenchmark/{benchmark.pk}/change/",
                "/admin/legal/exemptionentry/add/", "/admin/legal/jurisdictionlegalconfig/add/"):
        assert client.get(url).status_code == 200, url
