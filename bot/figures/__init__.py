"""Figures for managers and councillors: anonymous counts recorded at the time, told safely."""
