"""The licensing app in the JSON API (mounted at /api/v1/licensing/ by fazhi/api.py).
Each part has its own Router in `api_<part>.py`, added here one line each."""

from ninja import Router

from .api_certificates import router as certificates_router
from .api_permits import router as permits_router

router = Router(tags=["行政许可与证书"])
router.add_router("", certificates_router)
router.add_router("", permits_router)
