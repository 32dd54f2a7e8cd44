"""The ``bot`` command: train, run, check and review content, benchmark."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from functools import partial

from bot.console.accounts import ROLES
from bot.content.catalogue import load_catalogue, selected_profile_id
from bot.content.checks import check_content, coverage_lines, format_report, language_coverage
from bot.content.reviews import production_problems, record_reviews
from bot.content.schema import ContentError


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def cmd_train(args: argparse.Namespace) -> int:
    """Train the model if it is missing or older than its inputs."""
    from bot.training import train

    train(force=args.force)
    return 0


def _print_gate(profile_id: str) -> bool:
    catalogue = load_catalogue()
    problems = production_problems(catalogue, catalogue.profile(profile_id))
    if problems:
        print(f"Production refused: {len(problems)} things are not reviewed or verified:")
        for problem in problems:
            print(f"  - {problem}")
        return False
    print("Every shipped item is reviewed and every service verified.")
    return True


def cmd_run(args: argparse.Namespace) -> int:
    """Start the assistant; in production only when all content is reviewed and verified."""
    from bot.runner import RunSettings, serve
    from bot.storage.lock_store import REDIS_URL_SETTING
    from bot.training import train

    if args.production and not _print_gate(args.profile):
        return 2
    if not args.production:
        print("Development mode: the chat shows a notice while any content is unreviewed.")
    os.environ["BOT_LOCAL_PROFILE"] = args.profile
    load_catalogue().profile(args.profile)  # fail early on an unknown profile
    try:
        settings = RunSettings(
            host=args.host,
            rasa_port=args.rasa_port,
            actions_port=args.actions_port,
            sms_port=args.sms_port,
            profile=args.profile,
            rest_channel=not args.production,
            workers=args.workers,
            redis_url=os.environ.get(REDIS_URL_SETTING) or None,
        )
    except ValueError as error:
        print(f"Cannot start: {error}.")
        return 2
    train()
    return serve(settings)


def cmd_content_check(args: argparse.Namespace) -> int:
    """Report on content; exit 1 when there are errors."""
    catalogue = load_catalogue()
    profile = catalogue.profile(args.profile) if args.profile else None
    findings, figures = check_content(catalogue, profile)
    print(format_report(findings, figures))
    print("\n".join(coverage_lines(language_coverage(catalogue))))
    return 1 if any(f.level == "error" for f in findings) else 0


def cmd_content_review(args: argparse.Namespace) -> int:
    """Record a review of the named items as they are now."""
    catalogue = load_catalogue()
    record_reviews(catalogue, args.items, args.reviewer, date.today())
    print(f"Recorded review of {len(args.items)} items by {args.reviewer}.")
    return 0


def cmd_content_gate(args: argparse.Namespace) -> int:
    """Exit 0 only if production may start with this profile."""
    return 0 if _print_gate(args.profile) else 2


def cmd_bench(args: argparse.Namespace) -> int:
    """Measure latency, throughput, memory and training time against a stock configuration."""
    from bot.bench import run_bench

    return run_bench(skip_stock=args.skip_stock)


def cmd_purge(args: argparse.Namespace) -> int:
    """Delete conversations past their retention period now."""
    from bot.runner import RunSettings, retention_purger

    print(f"Deleted {retention_purger(RunSettings())()} conversations past their retention period.")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    """Measure the safety net (messages, conversations) or intent accuracy on labelled sets."""
    from pathlib import Path

    from bot.evaluation import Hold, evaluate_files, run_eval
    from bot.nlu.intent_evaluation import evaluate_intent_files, is_intent_set
    from bot.training import model_path, train

    if args.current_patterns and not args.in_process:
        print("--current-patterns needs --in-process", file=sys.stderr)
        return 2
    model = model_path() if args.current_patterns and model_path().exists() else train()
    paths = [Path(file) for file in args.files]
    intent_sets = [path for path in paths if is_intent_set(path)]
    safety_sets = [path for path in paths if path not in intent_sets]
    shown = not args.figures_only
    hold: Hold = run_eval
    if args.in_process:
        from bot.evaluation_in_process import run_in_process

        hold = partial(run_in_process, current_patterns=args.current_patterns)
    below = evaluate_files(safety_sets, args.check, shown, hold) if safety_sets else 0
    if intent_sets:
        below |= evaluate_intent_files(intent_sets, model, show_misses=shown)
    return below if args.check else 0


def cmd_sms_problems(args: argparse.Namespace) -> int:
    """List texters who opted out or whose messages failed, numbers masked."""
    from bot.channels.phone_numbers import PhoneVault, mask
    from bot.storage.sms import SmsStore

    vault = PhoneVault()
    problems = SmsStore().problems()
    for contact, failed in problems:
        number = mask(vault.unseal(contact.address_encrypted))
        state = "opted out (STOP or 21610): do not text" if contact.opted_out else "texts allowed"
        print(f"{contact.conversation_id}  {number}  {state}")
        for message in failed:
            code = f" (Twilio error {message.error_code})" if message.error_code else ""
            print(f"    message {message.id}: {message.status}{code}")
    if not problems:
        print("No SMS problems: nobody opted out and no message failed.")
    return 0


def cmd_users_add(args: argparse.Namespace) -> int:
    """Create a console account and print its one-time password."""
    from bot.console.accounts import AccountError, AccountStore
    from bot.console.audit import AuditLog

    try:
        password = AccountStore().add(args.name, args.role)
    except AccountError as error:
        print(f"Not added: {error}", file=sys.stderr)
        return 1
    AuditLog().record("cli", "user_added", detail=f"{args.name} ({args.role})")
    print(f"Added {args.name} ({args.role}). One-time password, to change at first login:")
    print(password)
    return 0


def cmd_users_disable(args: argparse.Namespace) -> int:
    """Stop a console account from logging in."""
    from bot.console.accounts import AccountError, AccountStore
    from bot.console.audit import AuditLog

    try:
        AccountStore().disable(args.name)
    except AccountError as error:
        print(f"Not disabled: {error}", file=sys.stderr)
        return 1
    AuditLog().record("cli", "user_disabled", detail=args.name)
    print(f"Disabled {args.name}.")
    return 0


def cmd_audit_verify(args: argparse.Namespace) -> int:
    """Check the audit log's hash chain; exit 1 if it is broken."""
    from bot.console.audit import AuditLog

    problems = AuditLog().verify()
    for problem in problems:
        print(f"BROKEN: {problem}")
    print("Audit log intact." if not problems else f"{len(problems)} break(s) in the audit log.")
    return 1 if problems else 0


def cmd_report(args: argparse.Namespace) -> int:
    """Write the figures of a period as a printable HTML report or as CSV (audited)."""
    from bot.console.audit import AuditLog
    from bot.content.catalogue import cached_catalogue
    from bot.figures.periods import Period
    from bot.figures.report import FigureReports, as_csv, as_html
    from bot.paths import content_dir
    from bot.services import uk_now
    from bot.storage.figures import FigureStore

    try:
        period = Period(args.first, args.last)
    except ValueError as error:
        print(f"No report: {error}", file=sys.stderr)
        return 1
    figures = FigureReports(FigureStore(), cached_catalogue(content_dir())).figures(period)
    if args.format == "csv":
        text = as_csv(figures)
    else:
        text = as_html(figures, uk_now().date(), inline_css=True)
    AuditLog().record("cli", "figures_report", detail=f"{args.format}, {period.label}")
    if args.output == "-":
        sys.stdout.write(text)
    else:
        with open(args.output, "w", encoding="utf-8") as out:
            out.write(text)
        print(f"Wrote the figures for {period.label} to {args.output}.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser for every subcommand."""
    parser = argparse.ArgumentParser(prog="bot", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    train = sub.add_parser("train", help="train the model if it is missing or out of date")
    train.add_argument("--force", action="store_true", help="train even if up to date")
    train.set_defaults(func=cmd_train)

    run = sub.add_parser("run", help="start the assistant (Rasa server and action server)")
    run.add_argument("--production", action="store_true", help="refuse unreviewed content")
    run.add_argument("--host", default=os.environ.get("BOT_HOST", "127.0.0.1"))
    run.add_argument("--rasa-port", type=int, default=_env_int("BOT_RASA_PORT", 5005))
    run.add_argument("--actions-port", type=int, default=_env_int("BOT_ACTIONS_PORT", 5055))
    run.add_argument(
        "--sms-port",
        type=int,
        default=_env_int("BOT_SMS_PORT", 5006),
        help="port of the SMS receiver (Twilio's webhooks)",
    )
    run.add_argument("--profile", default=selected_profile_id(), help="local profile id")
    run.add_argument(
        "--workers",
        type=int,
        default=_env_int("BOT_WORKERS", 1),
        help="Rasa server processes (more than 1 needs PostgreSQL and BOT_REDIS_URL)",
    )
    run.set_defaults(func=cmd_run)

    content = sub.add_parser("content", help="check and review content")
    content_sub = content.add_subparsers(dest="content_command", required=True)
    check = content_sub.add_parser("check", help="validate content and report figures")
    check.add_argument("--profile", default=None, help="only this local profile")
    check.set_defaults(func=cmd_content_check)
    review = content_sub.add_parser("review", help="record a review of items")
    review.add_argument(
        "items", nargs="+", help="item ids (id@cy for the Welsh wording), or service:<id>"
    )
    review.add_argument("--reviewer", required=True, help='"Name, role"')
    review.set_defaults(func=cmd_content_review)
    gate = content_sub.add_parser("gate", help="exit 0 only if production may start")
    gate.add_argument("--profile", default=selected_profile_id())
    gate.set_defaults(func=cmd_content_gate)

    purge = sub.add_parser("purge", help="delete conversations past their retention period")
    purge.set_defaults(func=cmd_purge)

    evaluation = sub.add_parser("eval", help="measure the safety net on labelled messages")
    evaluation.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="CSV (text,route[,about]), JSONL conversations (turns, expected, key_turn, about)"
        " or CSV questions (text,intent)",
    )
    evaluation.add_argument("--check", action="store_true", help="exit 1 below the targets")
    evaluation.add_argument(
        "--figures-only", action="store_true", help="print no misses (for held-out sets)"
    )
    evaluation.add_argument(
        "--in-process",
        action="store_true",
        help="hold the conversations in this process, actions included, without the servers'"
        " HTTP (about twice as fast: for tuning sets)",
    )
    evaluation.add_argument(
        "--current-patterns",
        action="store_true",
        help="with --in-process: read with the patterns now in content/, without retraining",
    )
    evaluation.set_defaults(func=cmd_eval)

    sms = sub.add_parser("sms", help="SMS records for staff")
    sms_sub = sms.add_subparsers(dest="sms_command", required=True)
    problems = sms_sub.add_parser("problems", help="opted-out texters and failed messages")
    problems.set_defaults(func=cmd_sms_problems)

    users = sub.add_parser("users", help="duty-worker console accounts")
    users_sub = users.add_subparsers(dest="users_command", required=True)
    add = users_sub.add_parser("add", help="create an account with a one-time password")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=ROLES)
    add.set_defaults(func=cmd_users_add)
    disable = users_sub.add_parser("disable", help="stop an account from logging in")
    disable.add_argument("name")
    disable.set_defaults(func=cmd_users_disable)

    audit = sub.add_parser("audit", help="the console's audit log")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True)
    verify = audit_sub.add_parser("verify", help="check the hash chain")
    verify.set_defaults(func=cmd_audit_verify)

    report = sub.add_parser("report", help="figures for a period, for scrutiny (HTML or CSV)")
    report.add_argument("--from", dest="first", type=date.fromisoformat, required=True)
    report.add_argument("--to", dest="last", type=date.fromisoformat, required=True)
    report.add_argument("--format", choices=("html", "csv"), default="html")
    report.add_argument("--output", default="-", help="a file to write (default: print it)")
    report.set_defaults(func=cmd_report)

    bench = sub.add_parser("bench", help="measure speed, memory and training time")
    bench.add_argument("--skip-stock", action="store_true", help="skip the stock DIET+TED baseline")
    bench.set_defaults(func=cmd_bench)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the ``bot`` command."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except ContentError as exc:
        print(f"Content error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
