"""Every page asset is served from this server: bureaus run on intranets, so a missing
npm package or a CDN link would leave pages without styles or scripts there."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from fazhi.core.models import Role

FAZHI_DIR = Path(settings.BASE_DIR) / "fazhi"

STATIC_TAG = re.compile(r"""{%\s*static\s+(["'])(?P<path>[^"']+)\1""")
# A script, stylesheet, font or image pulled from another host (or protocol-relative).
EXTERNAL_IN_TAG = re.compile(
    r"""<(script|link|img|iframe|source)\b[^>]*\b(src|href)\s*=\s*["']?\s*(https?:)?//""",
    re.IGNORECASE,
)
EXTERNAL_IN_CSS_JS = re.compile(
    r"""(url\(\s*["']?\s*(https?:)?//|@import\s+["']\s*(https?:)?//"""
    r"""|\bimport\s*(\(|[^;]*\bfrom)\s*["']\s*(https?:)?//)""",
    re.IGNORECASE,
)
STATIC_URL_IN_PAGE = re.compile(r"""(?:src|href)=["'](/static/[^"'?#]+)""")


def _templates() -> list[Path]:
    return sorted(p for p in FAZHI_DIR.rglob("templates/**/*.html"))


def _own_static_files() -> list[Path]:
    return sorted(p for p in FAZHI_DIR.rglob("static/**/*")
                  if p.is_file() and p.suffix in {".css", ".js", ".html", ".svg"})


def external_references(text: str) -> list[str]:
    """The pieces of `text` that load a script, style, font or image from another host."""
    return [m.group(0) for m in EXTERNAL_IN_TAG.finditer(text)] + [
        m.group(0) for m in EXTERNAL_IN_CSS_JS.finditer(text)
    ]


def test_the_checks_find_what_they_look_for():
    # The scanners below would pass vacuously if these patterns matched nothing.
    assert STATIC_TAG.search("{% static 'vendor/x.js' %}").group("path") == "vendor/x.js"
    assert external_references('<script src="https://assets.example.net/x.js"></script>')
    assert external_references('<link rel="stylesheet" href="//assets.example.org/x.css">')
    assert external_references("@font-face { src: url(https://fonts.example/a.woff2) }")
    assert external_references('@import "https://assets.example.net/b.css";')
    assert external_references('import x from "https://esm.example/x.js";')
    assert not external_references('<a href="https://www.gov.cn/">国务院</a>')
    assert not external_references('<script src="/static/fazhi/charts.js"></script>')
    assert not finders.find("vendor/no-such-package/x.js")


def test_there_are_templates_and_static_tags_to_check():
    assert len(_templates()) >= 10
    assert sum(len(STATIC_TAG.findall(p.read_text())) for p in _templates()) >= 5


@pytest.mark.parametrize("template", _templates(), ids=lambda p: str(p.relative_to(FAZHI_DIR)))
def test_every_static_path_in_templates_resolves(template: Path):
    missing = [m.group("path") for m in STATIC_TAG.finditer(template.read_text())
               if not finders.find(m.group("path"))]
    assert missing == [], f"{template}: not found by the staticfiles finders: {missing}"


@pytest.mark.parametrize(
    "path", _templates() + _own_static_files(), ids=lambda p: str(p.relative_to(FAZHI_DIR))
)
def test_no_asset_loads_from_another_host(path: Path):
    assert external_references(path.read_text()) == []


def test_bootstrap_echarts_and_icon_fonts_are_installed():
    # The icon font is referenced from bootstrap-icons.min.css, not from a template.
    for path in ["vendor/bootstrap/css/bootstrap.min.css",
                 "vendor/bootstrap/js/bootstrap.bundle.min.js",
                 "vendor/bootstrap-icons/bootstrap-icons.min.css",
                 "vendor/bootstrap-icons/fonts/bootstrap-icons.woff2",
                 "vendor/echarts/echarts.min.js"]:
        assert finders.find(path), path


@pytest.mark.parametrize("role", [Role.OFFICER, Role.ADMIN, Role.ENTERPRISE])
def test_every_asset_a_rendered_page_asks_for_exists(client, make_user, make_enterprise, role):
    # Also covers tags that write their own <script> (django-htmx's htmx_script).
    make_enterprise()  # so the staff home draws its chart
    client.force_login(make_user(role))
    for url in ["/", "/login/"]:
        html = client.get(url, follow=True).content.decode()
        assets = STATIC_URL_IN_PAGE.findall(html)
        assert any(a.endswith(".js") for a in assets) and any(a.endswith(".css") for a in assets)
        missing = [a for a in assets if not finders.find(a.removeprefix("/static/"))]
        assert missing == [], f"{url}: {missing}"
        assert external_references(html) == []
