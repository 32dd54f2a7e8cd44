"""Follow-up questions answered in context (``content/follow_ups.yml``).

"What should I do?" means one thing after a parent is told the signs of exploitation and
another after a young person has told the bot what is happening to them. The file names the
*contexts* (groups of earlier answers: the responses and actions that give them) and, for each
follow-up intent, which reviewed response answers it in each context, with a default for when
nothing before fits. It holds no wording: it says which reviewed item follows which, so a
safeguarding reviewer can read the routing beside the words.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.content.schema import ContentError
from bot.content.service_schema import NEEDS

DEFAULT = "default"
# Custom actions that give a context or answer a follow-up (everything else is a response id).
ACTIONS = frozenset({"action_show_help_services", "action_summarise_sign_checker"})


@dataclass(frozen=True)
class Context:
    """A group of earlier answers after which follow-ups mean the same thing."""

    id: str
    given_by: frozenset[str]  # response or action names that give this context
    need: str | None  # what a help listing asked for in this context should put first


@dataclass(frozen=True)
class FollowUps:
    """The contexts, and each follow-up intent's answer per context."""

    contexts: tuple[Context, ...]
    answers: dict[str, dict[str, str]]  # intent -> context id (or "default") -> action

    def context_of(self, earlier_actions: Iterable[str]) -> Context | None:
        """Return the context of the latest earlier action that gives one (newest first)."""
        for action in earlier_actions:
            for context in self.contexts:
                if action in context.given_by:
                    return context
        return None

    def answer(self, intent: str, context: Context | None) -> str:
        """Return the response or action that answers ``intent`` in ``context``."""
        choices = self.answers[intent]
        if context is not None and context.id in choices:
            return choices[context.id]
        return choices[DEFAULT]

    def referenced(self) -> set[str]:
        """Return every response or action name the file routes to."""
        return {name for choices in self.answers.values() for name in choices.values()}


def parse_follow_ups(raw: Any, file: Path, responses: set[str]) -> FollowUps:
    """Parse the file; every name in it must be a known response or one of ``ACTIONS``."""
    where = file.name
    known = responses | ACTIONS
    if raw is None:
        return FollowUps((), {})
    if not isinstance(raw, dict) or set(raw) != {"contexts", "answers"}:
        raise ContentError(f"{where}: needs exactly 'contexts' and 'answers'")
    contexts = []
    for context_id, spec in (raw["contexts"] or {}).items():
        if not isinstance(spec, dict) or not isinstance(spec.get("given_by"), list):
            raise ContentError(f"{where}: context {context_id!r} needs a 'given_by' list")
        unknown = set(map(str, spec["given_by"])) - known
        if unknown:
            raise ContentError(f"{where}: context {context_id!r}: unknown {sorted(unknown)}")
        need = spec.get("need")
        if need is not None and need not in NEEDS:
            raise ContentError(f"{where}: context {context_id!r}: need must be one of {NEEDS}")
        contexts.append(Context(str(context_id), frozenset(map(str, spec["given_by"])), need))
    context_ids = {c.id for c in contexts}
    answers: dict[str, dict[str, str]] = {}
    for intent, choices in (raw["answers"] or {}).items():
        if not isinstance(choices, dict) or DEFAULT not in choices:
            raise ContentError(f"{where}: {intent!r} needs a 'default' answer")
        for context_id, name in choices.items():
            if context_id != DEFAULT and context_id not in context_ids:
                raise ContentError(f"{where}: {intent!r}: unknown context {context_id!r}")
            if name not in known:
                raise ContentError(f"{where}: {intent!r}: unknown response or action {name!r}")
        answers[str(intent)] = {str(k): str(v) for k, v in choices.items()}
    return FollowUps(tuple(contexts), answers)
