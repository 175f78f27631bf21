"""The policy app in the JSON API (mounted at /api/v1/policy/ by fazhi/api.py)."""

from ninja import Router

router = Router(tags=["规范性文件与公平竞争审查"])

from fazhi.policy.api_normdocs import router as normdocs_router  # noqa: E402

router.add_router("", normdocs_router)

from fazhi.policy.api_fcr import router as fcr_router  # noqa: E402

router.add_router("", fcr_router)
