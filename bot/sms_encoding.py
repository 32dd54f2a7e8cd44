"""How many SMS segments a text takes: GSM-7 when every character allows it, otherwise UCS-2."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = set("^{}\\[~]|€\f")
MAX_SMS_CHARACTERS = 1600


@dataclass(frozen=True)
class SegmentCount:
    """The encoding a text needs and how many segments it takes."""

    encoding: str
    units: int
    segments: int


def is_gsm7(text: str) -> bool:
    """Return whether every character of ``text`` fits the GSM-7 alphabet."""
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in text)


def count_segments(text: str) -> SegmentCount:
    """Count the segments of ``text`` as a phone network would (concatenated SMS)."""
    if is_gsm7(text):
        units = sum(2 if ch in GSM7_EXTENSION else 1 for ch in text)
        single, multi, encoding = 160, 153, "GSM-7"
    else:
        units = sum(2 if ord(ch) > 0xFFFF else 1 for ch in text)
        single, multi, encoding = 70, 67, "UCS-2"
    segments = 1 if units <= single else math.ceil(units / multi)
    return SegmentCount(encoding=encoding, units=units, segments=segments)


MAX_SEGMENTS_PER_MESSAGE = 3


@dataclass(frozen=True)
class SmsPart:
    """One message to send: its text and how many segments it takes."""

    text: str
    segments: int


SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def split_for_sms(text: str, max_segments: int = MAX_SEGMENTS_PER_MESSAGE) -> list[SmsPart]:
    """Split ``text`` into messages of at most ``max_segments`` segments.

    Whole sentences are kept together wherever they fit, so "Your reference number is
    K7MQ-4XPB." never arrives in two texts; a sentence too long for one message is split
    between words, and a word too long for one message is cut. Empty text gives no messages.
    """
    parts: list[str] = []
    current = ""

    def fits(candidate: str) -> bool:
        return (
            count_segments(candidate).segments <= max_segments
            and len(candidate) <= MAX_SMS_CHARACTERS
        )

    def add(piece: str, joiner: str) -> None:
        nonlocal current
        joined = current + joiner + piece if current else piece
        if fits(joined):
            current = joined
            return
        if current:
            parts.append(current)
        current = piece
        while not fits(current):  # one enormous piece: cut off the longest prefix that fits
            low, high = 1, len(current)
            while low < high:
                middle = (low + high + 1) // 2
                low, high = (middle, high) if fits(current[:middle]) else (low, middle - 1)
            cut = current.rfind(" ", 0, low + 1)
            cut = cut if cut > 0 else low
            parts.append(current[:cut].rstrip())
            current = current[cut:].lstrip()

    for line in text.strip().splitlines():
        for index, sentence in enumerate(s for s in SENTENCE_END.split(line.strip()) if s):
            add(" ".join(sentence.split()), " " if index else "\n")
    if current:
        parts.append(current)
    return [SmsPart(part, count_segments(part).segments) for part in parts if part]
