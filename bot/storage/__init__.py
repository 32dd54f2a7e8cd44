"""Storage: the tracker store, and the assistant's database (escalations, SMS, exits, schema)."""
