"""Storage: where conversations are kept (Rasa's tracker store) and, later, escalations."""
