"""The CSE signposting assistant: content, safety net, channels, console, storage, running."""
