"""The JSON API at /api/v1/ (django-ninja); OpenAPI at /api/v1/docs."""

from ninja import NinjaAPI

from fazhi.core.api import router as core_router
from fazhi.subjects.api import router as subjects_router

api = NinjaAPI(
    title="Fazhi 法治 API",
    version="1",
    description="应急管理行政执法平台接口。除获取令牌外，均需 `Authorization: Bearer <token>`。",
    urls_namespace="api",
)
api.add_router("", core_router)
api.add_router("/enterprises", subjects_router)
