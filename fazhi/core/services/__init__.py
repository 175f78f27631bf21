"""Every write in core. Modules: events (the event record), numbering (文号),
calendar (working-day table), tokens (API tokens)."""
