"""Pages of the licensing app (/licensing/): each part keeps its own `urls_<part>.py`
with `urlpatterns_<part>`, added here one line each."""

from .urls_certificates import urlpatterns_certificates
from .urls_permits import urlpatterns_permits

app_name = "licensing"
urlpatterns: list = []
urlpatterns += urlpatterns_certificates
urlpatterns += urlpatterns_permits
