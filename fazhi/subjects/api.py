"""Enterprises (生产经营单位) in the JSON API, scoped exactly like the pages."""


from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from pydantic import field_validator

from fazhi.core.api import ERRORS, NO_NUL, NOT_FOUND, ErrorOut, Paginated
from fazhi.subjects.models import (
    Enterprise,
    ResponsiblePerson,
    RiskLevel,
    SupervisionCategory,
)
from fazhi.subjects.rules.masking import can_see_id_numbers, mask_id_number
from fazhi.subjects.selectors import enterprise_get, enterprise_list

router = Router(tags=["生产经营单位"])

MAX_ID = 2**63 - 1  # a larger id would overflow the database integer: answer 422, not 500

# The list shows only these columns (Open Zaak's lesson: a lean list query).
LIST_COLUMNS = (
    "id", "name", "uscc", "address", "industry_code", "supervision_category", "risk_level",
    "jurisdiction__code", "jurisdiction__name",
    "park__id", "park__name", "park__risk_level",
)


class EnterpriseFilters(Schema):
    q: str = Field("", max_length=100, pattern=NO_NUL, title="关键词",
                   description="单位名称或地址包含此文字，或统一社会信用代码与之一致")
    jurisdiction: str | None = Field(
        None, pattern=r"^\d{6,12}$", title="辖区代码",
        description="区划代码：该区划及其下级；不会超出当前用户的辖区",
    )
    category: SupervisionCategory | None = Field(None, title="监管类别")
    risk_level: RiskLevel | None = Field(None, title="安全风险等级")
    park: int | None = Field(None, ge=1, le=MAX_ID, title="化工园区", description="化工园区编号")

    @field_validator("jurisdiction", "category", "risk_level", "park", mode="before")
    @classmethod
    def _blank_means_absent(cls, value: Any) -> Any:
        # Forms and many clients send "?category=" for "any": treat it as not given.
        return None if value == "" else value


class ParkOut(Schema):
    id: int
    name: str
    risk_level: str = Field(..., description="园区安全风险等级：high / higher / general / lower")


class EnterpriseOut(Schema):
    id: int
    name: str = Field(..., description="单位名称")
    uscc: str = Field(..., description="统一社会信用代码")
    address: str
    jurisdiction: str = Field(..., description="属地区划代码")
    jurisdiction_name: str = Field(..., description="属地名称")
    industry_code: str = Field(..., description="国民经济行业代码（GB/T 4754）")
    supervision_category: str = Field(..., description="监管类别代码")
    supervision_category_label: str = Field(..., description="监管类别名称")
    risk_level: str = Field(..., description="安全风险等级代码：major / large / general / low")
    risk_level_label: str = Field(..., description="安全风险等级名称")
    park: ParkOut | None = Field(None, description="所在化工园区")

    @staticmethod
    def resolve_jurisdiction(obj: Enterprise) -> str:
        return obj.jurisdiction.code

    @staticmethod
    def resolve_jurisdiction_name(obj: Enterprise) -> str:
        return obj.jurisdiction.name

    @staticmethod
    def resolve_supervision_category_label(obj: Enterprise) -> str:
        return str(obj.get_supervision_category_display())

    @staticmethod
    def resolve_risk_level_label(obj: Enterprise) -> str:
        return str(obj.get_risk_level_display())


class PersonOut(Schema):
    kind: str = Field(..., description="身份：principal 主要负责人 / safety_manager 安全管理人员")
    kind_label: str
    name: str
    id_number: str = Field(
        ..., description="居民身份证号；无权查看完整号码的角色只见前 6 位和后 4 位")
    phone: str


class EnterpriseDetailOut(EnterpriseOut):
    people: list[PersonOut] = Field(..., description="主要负责人和安全管理人员")

    @staticmethod
    def resolve_people(obj: Enterprise, context: dict[str, Any]) -> list[dict[str, str]]:
        whole = can_see_id_numbers(context["request"].auth)
        people: list[ResponsiblePerson] = list(obj.people.all())
        return [
            {
                "kind": person.kind,
                "kind_label": str(person.get_kind_display()),
                "name": person.name,
                "id_number": person.id_number if whole else mask_id_number(person.id_number),
                "phone": person.phone,
            }
            for person in people
        ]


@router.get(
    "",
    response={200: list[EnterpriseOut], **ERRORS},
    summary="生产经营单位列表",
    description=(
        "当前用户可见的生产经营单位（县级用户只见本县及下辖镇街，市级用户见全市，"
        "企业用户只见本企业），按名称排序，可按关键词、辖区、监管类别、风险等级、化工园区筛选。"
    ),
)
@paginate(Paginated)
def enterprises(
    request: HttpRequest, filters: Query[EnterpriseFilters]
) -> QuerySet[Enterprise]:
    return enterprise_list(
        user=request.auth,
        q=filters.q,
        jurisdiction=filters.jurisdiction,
        category=filters.category,
        risk_level=filters.risk_level,
        park_id=filters.park,
    ).only(*LIST_COLUMNS)


@router.get(
    "/{id}",
    response={200: EnterpriseDetailOut, 404: ErrorOut, **ERRORS},
    summary="生产经营单位详情",
    description=(
        "一个生产经营单位及其主要负责人、安全管理人员。不存在或不在当前用户辖区内均返回 404。"
    ),
)
def enterprise_detail(
    request: HttpRequest,
    id: int = Path(..., ge=1, le=MAX_ID, title="单位编号"),
) -> Enterprise:
    enterprise = enterprise_get(user=request.auth, pk=id)
    if enterprise is None:
        raise HttpError(404, NOT_FOUND)
    return enterprise
