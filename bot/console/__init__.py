"""The duty-worker console: sign-in and sessions, the queue, handoff, audit log, its routes."""
