"""Content: the single source of every word the bot sends, with its review records."""
