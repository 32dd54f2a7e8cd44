"""The CSE signposting assistant: content, services, training, running and checks."""
