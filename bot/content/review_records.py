"""``content/reviews.yml``: read and changed under a lock, written whole and atomically.

Reviews and service verifications travel with the content (and show in ``git diff``). Every
change holds an exclusive lock on ``reviews.yml.lock`` beside the file, reads the file as it is
now (not as a catalogue loaded earlier saw it), applies the change and replaces the file in one
rename, so two reviewers approving at once never lose each other's record and a reader never
sees half a file. The command line and the console both change it through :func:`change_records`.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

REVIEWS_FILE = "reviews.yml"
SECTIONS = ("reviews", "verifications")
HEADER = (
    "# Review records: who reviewed each item, when, their decision and the hash of what they\n"
    "# read; and who verified each service's contacts at source. Written by `bot content review`\n"
    "# and the console's Review pages; do not edit by hand.\n"
)
Records = dict[str, dict[str, dict[str, Any]]]


def read_records(root: Path) -> Records:
    """Return the sections of ``root/reviews.yml`` (empty when there is no file yet)."""
    path = root / REVIEWS_FILE
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None
    data = data or {}
    return {section: dict(data.get(section) or {}) for section in SECTIONS}


@contextmanager
def _locked(root: Path) -> Iterator[None]:
    with open(root / f"{REVIEWS_FILE}.lock", "a", encoding="utf-8") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def change_records(root: Path, change: Callable[[Records], None]) -> Records:
    """Apply ``change`` to the records as they are now, under the lock; return what was written."""
    with _locked(root):
        records = read_records(root)
        change(records)
        body = yaml.safe_dump(
            {section: dict(sorted(records[section].items())) for section in SECTIONS},
            sort_keys=False,
            allow_unicode=True,
        )
        handle, temporary = tempfile.mkstemp(dir=root, prefix=".reviews-", suffix=".yml")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(HEADER + body)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, root / REVIEWS_FILE)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    return records
