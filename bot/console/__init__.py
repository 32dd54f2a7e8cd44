"""The duty-worker console: accounts, the audit log and (to come) the queue and handoff."""
