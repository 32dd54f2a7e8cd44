"""``bot content check``: everything a content editor or reviewer needs to know before release.

Errors fail the check (and ``make test``): a response used by the dialogue that has no content,
content nobody uses, an SMS text over three segments, a young person's text above the
readability threshold, a quick reply to an intent that does not exist. Warnings are reported:
unreviewed or changed items, unverified or stale services, SMS texts over two segments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import textstat
import yaml

from bot.content.catalogue import Catalogue
from bot.content.review_keys import review_key
from bot.content.reviews import ReviewState, review_states
from bot.content.schema import ANY_AUDIENCE, LANGUAGES
from bot.content.service_schema import LocalProfile, Service
from bot.paths import PROJECT_ROOT
from bot.sms_encoding import MAX_SMS_CHARACTERS, count_segments

VERIFICATION_MAX_AGE = timedelta(days=180)
LANGUAGE_NAMES = {"en": "English", "cy": "Welsh"}
SMS_SEGMENTS_AIM = 2
SMS_SEGMENTS_MAX = 3
YOUNG_PERSON_MAX_GRADE = 8.0
CONTENT_ID_LITERAL = re.compile(r"[\"']((?:utter|label|handoff)_[a-z0-9_]*[a-z0-9])[\"']")
# Literals that look like content ids but are not (Rasa's key for the response a message came from).
NOT_CONTENT_IDS = frozenset({"utter_action"})
# Canned replies are all offered to duty workers by the console, so each one is in use.
CANNED_REPLY_PREFIX = "canned_"
# Items sent to a person as they are (not fragments of a longer message): reading grade applies.
WHOLE_MESSAGE_PREFIXES = ("utter_", "handoff_", CANNED_REPLY_PREFIX)
TEMPLATE_VARIABLE = re.compile(r"\{([a-z_]+)\}")
# Words that say a service can be reached at any hour, and words that stretch a claim over every
# service the text names ("they are all free and open all day and night").
ALWAYS_OPEN_CLAIM = re.compile(
    r"\b(any ?time|all day and night|day or night|24 hours|24/7|24-7|all the time|always open"
    r"|unrhyw bryd|24 awr|ddydd a nos|drwy'r amser|bob amser)\b",
    re.IGNORECASE,
)
EVERY_SERVICE_CLAIM = re.compile(r"\b(all|both|each of them|every one|i gyd|y ddau)\b", re.I)
NEGATED = re.compile(r"\b(not|ddim|nid)\b[\w' ]{0,12}$", re.IGNORECASE)
# Words a young person may not know, and a word that shows the same text explains them.
JARGON_EXPLAINED_BY = {
    r"\bMASH\b": ("safeguarding",),
    r"\bduty worker": ("council",),
    r"\bcounty lines\b": ("drugs",),
    r"\bLADO\b": ("designated officer", "a person at the council"),
    r"\bNRM\b": ("national referral mechanism",),
    r"\bDSL\b": ("safeguarding lead",),
    r"\bSARCs?\b": ("sexual assault referral",),
}
SENTENCE_OR_LINE = re.compile(r"(?<=[.!?;])\s+|\n+")


@dataclass(frozen=True)
class Finding:
    """One line of the content report."""

    level: str  # "error", "warning" or "info"
    subject: str
    message: str


def _data_references(project_root: Path, domain: dict[str, Any]) -> set[str]:
    """Return the response ids the dialogue data and domain use."""
    used: set[str] = set()
    for path in sorted((project_root / "data").rglob("*.yml")):
        text = path.read_text(encoding="utf-8")
        used.update(re.findall(r"action:\s*(utter_[a-z0-9_]+)", text))
    for form in (domain.get("forms") or {}).values():
        used.update(f"utter_ask_{slot}" for slot in form.get("required_slots", []))
    return used


def _code_references(project_root: Path) -> set[str]:
    """Return the content ids named as literals in actions and the bot package."""
    used: set[str] = set()
    for folder in ("actions", "bot"):
        for path in sorted((project_root / folder).rglob("*.py")):
            used.update(CONTENT_ID_LITERAL.findall(path.read_text(encoding="utf-8")))
    return used - NOT_CONTENT_IDS


def readability_grade(text: str) -> float:
    """Return the Flesch-Kincaid grade of ``text``, ignoring template variables and URLs."""
    plain = TEMPLATE_VARIABLE.sub("", text)
    plain = re.sub(r"\S+\.(?:uk|org|com)\S*", "", plain)
    # each line of a list is read as a sentence of its own
    plain = re.sub(r"(?<![.!?:])\n+", ".\n", plain.strip())
    return float(textstat.flesch_kincaid_grade(plain))


def unexplained_jargon(text: str) -> list[str]:
    """Return a problem for each professional word the text uses without explaining it."""
    problems = []
    for term, explanations in JARGON_EXPLAINED_BY.items():
        used = re.search(term, text)
        if used and not any(e in text.lower() for e in explanations):
            problems.append(f"uses {used.group(0)!r} without explaining it")
    return problems


def _digits(text: str) -> str:
    """Return ``text`` with the spaces inside numbers removed ("116 000" reads as "116000")."""
    return re.sub(r"(?<=\d)[ -](?=\d)", "", text)


def _named_services(text: str, services: list[Service]) -> list[Service]:
    """Return the services whose number or full name appears in ``text``."""
    digits = _digits(text).lower()
    return [
        service
        for service in services
        if any(c.value.lower() in digits for c in service.contacts if c.type in ("phone", "text"))
        or service.name["en"].lower() in digits
    ]


def opening_claim_problems(text: str, services: list[Service]) -> list[str]:
    """Return a problem for each claim that a service is open all the time when it is not.

    A sentence (or a part of a list between semicolons) that says "any time", "24/7" or the like
    covers the services it names (or, naming none, those of the sentence before: "Childline
    0800 1111, SafeCall 116 000. Free, any time."); with "all" or "both" it covers every
    service the text names.
    """
    problems: list[str] = []
    sentences = [s for s in SENTENCE_OR_LINE.split(text) if s.strip()]
    for index, sentence in enumerate(sentences):
        claim = ALWAYS_OPEN_CLAIM.search(sentence)
        if not claim or NEGATED.search(sentence[: claim.start()]):
            continue
        covered = _named_services(sentence, services)
        if EVERY_SERVICE_CLAIM.search(sentence):
            covered = _named_services(text, services)
        elif not covered and index > 0:
            covered = _named_services(sentences[index - 1], services)
        problems.extend(
            f'says "{claim.group(0)}" of {service.name["en"]}, which is not open all the time'
            for service in covered
            if not service.always_open
        )
    return problems


def check_content(
    catalogue: Catalogue,
    profile: LocalProfile | None = None,
    today: date | None = None,
    project_root: Path = PROJECT_ROOT,
) -> tuple[list[Finding], dict[str, Any]]:
    """Check the catalogue; return the findings and per-item figures (segments, grade)."""
    today = today or date.today()
    findings: list[Finding] = []
    figures: dict[str, Any] = {}
    domain = yaml.safe_load((project_root / "domain.yml").read_text(encoding="utf-8"))
    used_by_data = _data_references(project_root, domain)
    used_by_code = _code_references(project_root) | catalogue.follow_ups.referenced()
    intents = set(domain.get("intents") or [])

    for missing in sorted((used_by_data | used_by_code) - set(catalogue.items)):
        findings.append(
            Finding("error", missing, "used by the dialogue or actions but not in content/")
        )
    canned = {i for i in catalogue.items if i.startswith(CANNED_REPLY_PREFIX)}
    for unused in sorted(set(catalogue.items) - used_by_data - used_by_code - canned):
        findings.append(Finding("error", unused, "in content/ but never used"))

    for item in catalogue.items.values():
        item_figures: dict[str, Any] = {}
        for variant in item.variants:
            label = f"{variant.language}/{'+'.join(variant.audiences)}"
            sms = count_segments(variant.sms)
            item_figures[f"{label} sms"] = f"{sms.segments} seg {sms.encoding}"
            if sms.segments > SMS_SEGMENTS_MAX or sms.units > MAX_SMS_CHARACTERS:
                findings.append(
                    Finding("error", item.id, f"{label}: SMS takes {sms.segments} segments")
                )
            elif sms.segments > SMS_SEGMENTS_AIM:
                findings.append(
                    Finding("warning", item.id, f"{label}: SMS takes {sms.segments} segments")
                )
            if sms.encoding != "GSM-7":
                findings.append(
                    Finding("warning", item.id, f"{label}: SMS needs UCS-2 (non-GSM-7 characters)")
                )
            for button in variant.buttons:
                if button.intent not in intents:
                    findings.append(
                        Finding("error", item.id, f"quick reply to unknown intent {button.intent}")
                    )
            if (
                item.id.startswith(WHOLE_MESSAGE_PREFIXES)
                and variant.language == "en"
                and (ANY_AUDIENCE in variant.audiences or "young_person" in variant.audiences)
            ):
                findings.extend(
                    Finding("error", item.id, f"{label}: {problem}")
                    for problem in unexplained_jargon(variant.web)
                )
                grades = [readability_grade(variant.web), readability_grade(variant.sms)]
                worst = max(grades)
                item_figures[f"{label} grade"] = round(worst, 1)
                if worst > YOUNG_PERSON_MAX_GRADE:
                    findings.append(
                        Finding(
                            "error",
                            item.id,
                            f"{label}: reading grade {worst:.1f} is above {YOUNG_PERSON_MAX_GRADE}",
                        )
                    )
        figures[item.id] = item_figures

    profiles = [profile] if profile else list(catalogue.profiles.values())
    services = [*catalogue.national_services, *(s for p in profiles for s in p.services)]
    for item in catalogue.items.values():
        for variant in item.variants:
            label = f"{variant.language}/{'+'.join(variant.audiences)}"
            for text in (variant.web, variant.sms):
                findings.extend(
                    Finding("error", item.id, f"{label}: {problem}")
                    for problem in opening_claim_problems(text, services)
                )

    for item in catalogue.items.values():
        for language in LANGUAGES:
            if language not in item.languages():
                findings.append(
                    Finding("warning", item.id, f"no {LANGUAGE_NAMES[language]} wording")
                )

    for key, state in sorted(review_states(catalogue, profile).items()):
        if state is ReviewState.CHANGED:
            findings.append(Finding("warning", key, "changed since it was reviewed"))
        elif state is ReviewState.UNREVIEWED:
            findings.append(Finding("warning", key, "not reviewed yet"))

    for service in services:
        if service.verified_on is None:
            findings.append(Finding("warning", f"service:{service.id}", "never verified at source"))
        elif today - service.verified_on > VERIFICATION_MAX_AGE:
            age = (today - service.verified_on).days
            findings.append(Finding("warning", f"service:{service.id}", f"verified {age} days ago"))
        if service.sample or not all(c.verified for c in service.contacts):
            findings.append(
                Finding("warning", f"service:{service.id}", "sample or unverified number")
            )
    return findings, figures


def language_coverage(catalogue: Catalogue) -> dict[str, dict[str, int]]:
    """Return, per language, the items worded in it and how many of those are reviewed.

    Each language of an item is reviewed on its own (``bot/content/review_keys.py``).
    """
    states = review_states(catalogue)
    coverage = {}
    for language in LANGUAGES:
        having = [i for i in catalogue.items.values() if language in i.languages()]
        reviewed = [
            i for i in having if states.get(review_key(i.id, language)) is ReviewState.REVIEWED
        ]
        coverage[language] = {
            "items": len(catalogue.items),
            "worded": len(having),
            "reviewed": len(reviewed),
        }
    return coverage


def coverage_lines(coverage: dict[str, dict[str, int]]) -> list[str]:
    """Return one line per language: items worded in it, and reviewed."""
    return [
        f"{LANGUAGE_NAMES[language]} ({language}): {c['worded']} of {c['items']} items worded "
        f"({100 * c['worded'] // max(c['items'], 1)}%), {c['reviewed']} reviewed"
        for language, c in coverage.items()
    ]


def format_report(findings: list[Finding], figures: dict[str, Any]) -> str:
    """Return the report as text: figures per item, then findings, then a one-line summary."""
    lines = ["Per item (SMS segments; reading grade of texts a young person may read):"]
    for item_id in sorted(figures):
        shown = ", ".join(f"{k}: {v}" for k, v in figures[item_id].items())
        lines.append(f"  {item_id}: {shown}")
    lines.append("")
    for level in ("error", "warning"):
        for finding in (f for f in findings if f.level == level):
            lines.append(f"{level.upper():8} {finding.subject}: {finding.message}")
    errors = sum(f.level == "error" for f in findings)
    warnings = sum(f.level == "warning" for f in findings)
    lines.append(f"\ncontent check: {len(figures)} items, {errors} errors, {warnings} warnings")
    return "\n".join(lines)
