"""Settings split by concern: base (shared), local (developer / `make run`), test, production."""
