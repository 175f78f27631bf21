"""Oversight tests: a fixed tip key (never the var directory), a clean cache per test
(rate limits and cached portal pages), and the tip desk."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache

TEST_TIP_KEY = "8n8vJm3fL0G2mQyq6qX3H3pK2b8dY2l7YB2x9c3T8aE="


@pytest.fixture(autouse=True)
def _tip_key_and_cache(settings):
    settings.FAZHI_TIP_KEY = TEST_TIP_KEY
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def desk_group(db) -> Group:
    group, _ = Group.objects.get_or_create(name="举报受理岗")
    group.permissions.add(Permission.objects.get(codename="view_tip_identity"))
    return group


@pytest.fixture
def desk(make_user, desk_group):
    """An officer of the 南湖区 bureau at the tip desk."""
    user = make_user("officer", full_name="受理岗张敏")
    user.groups.add(desk_group)
    return user
