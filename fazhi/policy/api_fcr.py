"""Fair-competition screening in the JSON API (under /api/v1/policy/).

`POST /fcr/screen` screens a text (a whole document or one clause) with the engine of
`fazhi.policy.rules.fcr` and stores nothing: {"violates": bool, "flags": [...]}, each
flag with the standard id (FCR-<article>-<item> of 《公平竞争审查条例》), the clause's
[start, end) in the text sent, the cue and a short Chinese explanation. "violates"
means "may restrict competition — a reviewer must look": the engine flags, it does not
decide. Authenticated like the rest of the API (bearer token)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from fazhi.core.api import ERRORS, NO_NUL
from fazhi.policy.rules import fcr as engine

router = Router(tags=["公平竞争审查"])

MAX_TEXT = 200_000


class ScreenIn(Schema):
    text: str = Field(..., min_length=1, max_length=MAX_TEXT, pattern=NO_NUL,
                      title="审查文本",
                      description="待筛查的政策措施全文或单个条款（不超过 20 万字）")


class FlagOut(Schema):
    standard: str = Field(..., description="审查标准编号，如 FCR-9-3（条例第九条第（三）项）")
    start: int = Field(..., description="提示条款在所提交文本中的起始位置（含，按字符计）")
    end: int = Field(..., description="提示条款的结束位置（不含）")
    cue: str = Field(..., description="触发提示的词句")
    explanation: str = Field(..., description="提示说明（中文）")


class ScreenOut(Schema):
    violates: bool = Field(..., description="是否有可能涉限的条款（需人工审查确认）")
    flags: list[FlagOut]


@router.post("/fcr/screen", response={200: ScreenOut, **ERRORS},
             summary="公平竞争审查筛查",
             description=("按《公平竞争审查条例》的审查标准筛查文本，列出可能排除、"
                          "限制竞争的条款（标准编号、位置、触发词句和说明），不保存任何内容；"
                          "结果仅为提示，须人工审查确认。文本为空或过长返回 422。"),
             operation_id="policy_fcr_screen")
def fcr_screen(request: HttpRequest, payload: ScreenIn) -> dict:
    if not payload.text.strip():
        raise HttpError(422, "审查文本不能为空。")
    flags = engine.screen(payload.text)
    return {"violates": bool(flags), "flags": [
        {"standard": f.standard, "start": f.start, "end": f.end, "cue": f.cue,
         "explanation": f.explanation} for f in flags]}
