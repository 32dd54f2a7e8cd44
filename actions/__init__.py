"""Custom rasa-sdk actions: they pick content by id and return events, never prose."""
