"""The accident fixtures of the service tests, shared with the other accident tests."""

from fazhi.accidents.tests.test_services import approved, officer, register  # noqa: F401
