"""The safety net: read every message into signals and decide on the whole conversation."""
