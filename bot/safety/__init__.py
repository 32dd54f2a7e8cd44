"""The safety net: normalise every message, spot danger and disclosures, decide a route."""
