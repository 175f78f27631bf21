"""The oversight app in the JSON API (mounted at /api/v1/oversight/ by fazhi/api.py).

- `POST /tip-reward`: the reward rule (安全生产领域举报奖励办法) as a calculator; answers
  exactly `{"reward": int, "citations": [...]}`.
- `GET /tips`, `GET /tips/{id}`: tips in the user's jurisdiction, never with the
  tipster's identity; the text with ID and phone numbers masked except for the tip desk.
- `GET /tips/{id}/identity`: the identity, for the tip desk only (the reading is
  recorded); everyone else 403.
"""

from __future__ import annotations

import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from fazhi.core.api import ERRORS, ErrorOut, Paginated, service_refusals
from fazhi.oversight import selectors, services
from fazhi.oversight.models import Tip
from fazhi.oversight.rules import rewards

router = Router(tags=["政务公开与执法监督"])


class CitationOut(Schema):
    law: str
    version: str
    article: str
    applies_to: str


class TipRewardIn(Schema):
    tip_type: Literal["major_hazard_or_illegal_operation", "concealed_accident"] = Field(
        ..., title="举报类别")
    penalty_amount: int = Field(0, ge=0, le=10**12, title="行政处罚金额（元）")
    accident_class: Literal["ordinary", "large", "major", "extraordinary"] | None = Field(
        None, title="事故等级")
    concealed_deaths: int = Field(0, ge=0, le=100000, title="查实瞒报谎报死亡人数")


class TipRewardOut(Schema):
    reward: int = Field(..., description="奖励金额（元，取整）")
    citations: list[CitationOut]


@router.post("/tip-reward", response={200: TipRewardOut, **ERRORS},
             summary="举报奖励金额计算")
def tip_reward(request: HttpRequest, payload: TipRewardIn) -> dict:
    """按《安全生产领域举报奖励办法》计算举报奖励：举报重大事故隐患、违法生产经营建设行为的，
    按行政处罚金额的15%计算，最低3000元、最高30万元；举报瞒报、谎报事故的，按最终确认的事故
    等级每查实1人奖励3万至6万元，最高30万元。金额取整到元。"""
    try:
        answer = rewards.tip_reward(tip_type=payload.tip_type,
                                    penalty_amount=payload.penalty_amount,
                                    accident_class=payload.accident_class,
                                    concealed_deaths=payload.concealed_deaths)
    except ValueError as exc:
        raise HttpError(422, str(exc)) from None
    return {"reward": answer.whole_yuan, "citations": [c.as_dict() for c in answer.citations]}


class TipOut(Schema):
    id: int
    code: str
    kind: str
    channel: str
    anonymous: bool
    subject_name: str
    content: str
    jurisdiction: str
    agency: str
    received_on: datetime.date
    status: str
    accept_due: datetime.date
    accepted_on: datetime.date | None
    handling_due: datetime.date | None
    concluded_on: datetime.date | None
    outcome: str
    inspection_id: int | None
    case_id: int | None


class IdentityOut(Schema):
    name: str
    phone: str
    id_number: str
    contact: str


def _tip_out(tip: Tip, desk: bool) -> dict:
    return {
        "id": tip.pk, "code": tip.code, "kind": tip.kind, "channel": tip.channel,
        "anonymous": tip.anonymous, "subject_name": tip.subject_name,
        "content": tip.content if desk else selectors.masked_text(tip.content),
        "jurisdiction": tip.jurisdiction.code, "agency": tip.agency.name,
        "received_on": tip.received_on, "status": tip.status, "accept_due": tip.accept_due,
        "accepted_on": tip.accepted_on, "handling_due": tip.handling_due,
        "concluded_on": tip.concluded_on, "outcome": tip.outcome,
        "inspection_id": tip.inspection_id, "case_id": tip.case_id,
    }


@router.get("/tips", response={200: list[TipOut], **ERRORS}, summary="举报列表")
@paginate(Paginated)
def tip_list(request: HttpRequest, status: str | None = None) -> list[dict]:
    """本辖区的举报（不含举报人身份信息；举报内容中的身份证号、电话号码除举报受理岗外均隐去）。"""
    user = request.auth  # type: ignore[attr-defined]
    desk = services.can_view_identity(user)
    return [_tip_out(t, desk) for t in selectors.tip_list(user=user, status=status)]


@router.get("/tips/{tip_id}", response={200: TipOut, 404: ErrorOut, **ERRORS},
            summary="举报详情（不含举报人身份）")
def tip_detail(request: HttpRequest, tip_id: int) -> dict:
    """一件举报的办理情况（不含举报人身份信息）；辖区外的举报答复404。"""
    user = request.auth  # type: ignore[attr-defined]
    tip = selectors.tip_get(user=user, pk=tip_id)
    if tip is None:
        raise HttpError(404, "未找到")
    return _tip_out(tip, services.can_view_identity(user))


@router.get("/tips/{tip_id}/identity",
            response={200: IdentityOut, 403: ErrorOut, 404: ErrorOut, **ERRORS},
            summary="举报人身份信息（仅举报受理岗，查看留痕）")
def tip_identity(request: HttpRequest, tip_id: int) -> dict:
    """举报人身份信息，仅具有“查看举报人身份信息”权限的举报受理岗可查看，每次查看均记入全过程记录。"""
    user = request.auth  # type: ignore[attr-defined]
    tip = selectors.tip_get(user=user, pk=tip_id)
    if tip is None:
        raise HttpError(404, "未找到")
    with service_refusals():
        identity = services.tip_identity(actor=user, tip=tip)
    return {"name": identity.name, "phone": identity.phone, "id_number": identity.id_number,
            "contact": identity.contact}
