"""The licensing app's law as pure functions (no database), each rule with its article."""
