"""``bot bench``: turn latency, throughput, server memory and training time, ours against stock.

The stock configuration is what ``rasa init`` writes (DIET + TED, 100 epochs), trained on the
same data and domain in the same run, so the figures are comparable on this machine. The scaled
profile (``--workers`` over a throwaway PostgreSQL and Redis, ``bot/local_servers.py``) is
measured with one worker and with two, on the same model, for the throughput it gains.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import tempfile
import time
import uuid
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import aiohttp
import yaml

from bot.fake_twilio import FROM_NUMBER, channel_settings, sign, start_fake_twilio
from bot.local_servers import child_processes, start_postgres, start_redis
from bot.paths import PROJECT_ROOT, var_dir
from bot.runner import RunSettings, environment, running_assistant
from bot.training import train

STOCK_CONFIG = {
    "recipe": "default.v1",
    "language": "en",
    "assistant_id": "stock-rasa-init",
    "pipeline": [
        {"name": "WhitespaceTokenizer"},
        {"name": "RegexFeaturizer"},
        {"name": "LexicalSyntacticFeaturizer"},
        {"name": "CountVectorsFeaturizer"},
        {"name": "CountVectorsFeaturizer", "analyzer": "char_wb", "min_ngram": 1, "max_ngram": 4},
        {"name": "DIETClassifier", "epochs": 100, "constrain_similarities": True},
        {"name": "EntitySynonymMapper"},
        {"name": "FallbackClassifier", "threshold": 0.3, "ambiguity_threshold": 0.1},
    ],
    "policies": [
        {"name": "MemoizationPolicy"},
        {"name": "RulePolicy"},
        {"name": "TEDPolicy", "max_history": 5, "epochs": 100, "constrain_similarities": True},
    ],
}
MESSAGES = [
    "hi",
    "what is child sexual exploitation",
    "what are the warning signs",
    "can boys be exploited too",
    "what is grooming",
    "is it my fault",
    "how do i report online abuse",
    "what is county lines",
    "where can i get help",
    "thanks",
]
SINGLE_CONVERSATIONS = 15
TURNS_PER_SINGLE_CONVERSATION = 20
CONCURRENT_CONVERSATIONS = 50
TURNS_PER_CONVERSATION = 10
SMS_SENDERS = 20
TEXTS_PER_SENDER = 8
SECONDS_BETWEEN_TEXTS = 0.5
LONG_CONVERSATIONS = 3
LONG_TURNS = 125  # turns 3 to 12 ("message 5") against the last ten ("message 120")


@dataclass
class Figures:
    """What one configuration measured."""

    name: str
    train_seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    concurrent_msgs_per_s: float
    concurrent_p95_ms: float
    sms_ack_p95_ms: float
    turn5_p95_ms: float
    turn120_p95_ms: float
    rasa_rss_mb: float


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


async def _turn(session: aiohttp.ClientSession, url: str, sender: str, text: str) -> float:
    started = time.perf_counter()
    async with session.post(url, json={"sender": sender, "message": text}) as response:
        response.raise_for_status()
        replies = await response.json()
    if not replies:
        raise RuntimeError(
            f"no reply to {text!r}: the server is not answering, figures would be void"
        )
    return (time.perf_counter() - started) * 1000


async def _one_at_a_time(url: str) -> list[float]:
    """Hold conversations one after another (every turn counted, session starts included)."""
    latencies = []
    async with aiohttp.ClientSession() as session:
        for _ in range(SINGLE_CONVERSATIONS):
            sender = uuid.uuid4().hex
            for i in range(TURNS_PER_SINGLE_CONVERSATION):
                latencies.append(await _turn(session, url, sender, MESSAGES[i % len(MESSAGES)]))
    return latencies


async def _concurrent(url: str) -> tuple[float, list[float]]:
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:

        async def conversation(index: int) -> list[float]:
            sender = f"bench-{index}-{uuid.uuid4().hex}"
            return [
                await _turn(session, url, sender, MESSAGES[(index + i) % len(MESSAGES)])
                for i in range(TURNS_PER_CONVERSATION)
            ]

        started = time.perf_counter()
        results = await asyncio.gather(*(conversation(i) for i in range(CONCURRENT_CONVERSATIONS)))
        elapsed = time.perf_counter() - started
    latencies = [ms for result in results for ms in result]
    return len(latencies) / elapsed, latencies


async def _acknowledged(session: aiohttp.ClientSession, webhook: str, number: str) -> float:
    """Send one signed text as Twilio would; return how long its acknowledgement took."""
    fields = {"MessageSid": f"SM{uuid.uuid4().hex}", "From": number, "To": FROM_NUMBER}
    fields["Body"] = MESSAGES[hash(fields["MessageSid"]) % len(MESSAGES)]
    started = time.perf_counter()
    headers = {"X-Twilio-Signature": sign(webhook, fields)}
    async with session.post(webhook, data=fields, headers=headers) as response:
        if response.status != 200:
            raise RuntimeError(f"the SMS webhook answered {response.status}: figures would be void")
    return (time.perf_counter() - started) * 1000


async def _sms_while_busy(settings: RunSettings) -> tuple[float, list[float], list[float]]:
    """Hold the concurrent web conversations while people text; time each acknowledgement."""

    async def texter(session: aiohttp.ClientSession, index: int) -> list[float]:
        acks = []
        for _ in range(TEXTS_PER_SENDER):
            acks.append(await _acknowledged(session, settings.sms_webhook, f"+4477009{index:05d}"))
            await asyncio.sleep(SECONDS_BETWEEN_TEXTS)
        return acks

    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        web = asyncio.ensure_future(_concurrent(settings.rest_webhook))
        await asyncio.sleep(1.0)  # the web conversations are under way
        texts = await asyncio.gather(*(texter(session, i) for i in range(SMS_SENDERS)))
        rate, concurrent = await web
    return rate, concurrent, [ms for acks in texts for ms in acks]


async def _long_conversations(url: str) -> tuple[list[float], list[float]]:
    """Hold long conversations one after another; return early and late turns' latencies."""
    early, late = [], []
    questions = MESSAGES[1:-1]  # no greeting or thanks: a long run of questions
    async with aiohttp.ClientSession() as session:
        for _ in range(LONG_CONVERSATIONS):
            sender = uuid.uuid4().hex
            for i in range(LONG_TURNS):
                ms = await _turn(session, url, sender, questions[i % len(questions)])
                if 2 <= i < 12:
                    early.append(ms)
                elif i >= LONG_TURNS - 10:
                    late.append(ms)
    return early, late


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure(name: str, config: Path | None, model: Path, work: Path) -> Figures:
    """Train ``config`` into ``model`` (timed), serve it and measure turns and memory."""
    started = time.monotonic()
    train(force=True, config=config, out=model)
    train_seconds = time.monotonic() - started
    work_dir = work / name.split()[0]
    work_dir.mkdir()
    return _serve_and_measure(name, RunSettings.isolated(work_dir, model), train_seconds)


def measure_scaled(workers: int, model: Path, work: Path) -> Figures:
    """Serve ``model`` with ``workers`` server processes over PostgreSQL and Redis; measure."""
    postgres, redis = start_postgres(), start_redis()
    try:
        work_dir = work / f"scaled-{workers}"
        work_dir.mkdir()
        settings = replace(
            RunSettings.isolated(work_dir, model),
            database_url=postgres.new_database(),
            redis_url=redis.url,
            workers=workers,
        )
        return _serve_and_measure(f"scaled x{workers}", settings, 0.0)
    finally:
        postgres.stop()
        redis.stop()


def _serve_and_measure(name: str, settings: RunSettings, train_seconds: float) -> Figures:
    """Start the assistant, measure turns one at a time and at once, texts, and its memory."""
    twilio, fake = start_fake_twilio()
    sms = {**channel_settings(twilio, settings.sms_webhook), "BOT_VAR_DIR": str(var_dir())}
    with environment(sms), running_assistant(settings) as processes:
        single = asyncio.run(_one_at_a_time(settings.rest_webhook))
        early, late = asyncio.run(_long_conversations(settings.rest_webhook))
        rate, concurrent, acks = asyncio.run(_sms_while_busy(settings))
        server = processes[1].pid  # with several workers: the largest of them
        rss = max(_rss_mb(pid) for pid in child_processes(server) or [server])
    fake.shutdown()
    return Figures(
        name=name,
        train_seconds=round(train_seconds, 1),
        p50_ms=round(statistics.median(single), 1),
        p95_ms=round(_percentile(single, 95), 1),
        p99_ms=round(_percentile(single, 99), 1),
        concurrent_msgs_per_s=round(rate, 1),
        concurrent_p95_ms=round(_percentile(concurrent, 95), 1),
        sms_ack_p95_ms=round(_percentile(acks, 95), 1),
        turn5_p95_ms=round(_percentile(early, 95), 1),
        turn120_p95_ms=round(_percentile(late, 95), 1),
        rasa_rss_mb=round(rss, 0),
    )


def run_bench(skip_stock: bool = False) -> int:
    """Measure ours, the scaled profile and the stock configuration; print a table and JSON."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        ours = work / "ours.tar.gz"
        results = [measure("ours", PROJECT_ROOT / "config.yml", ours, work)]
        results += [measure_scaled(workers, ours, work) for workers in (1, 2)]
        if not skip_stock:
            stock_config = work / "stock-config.yml"
            stock_config.write_text(yaml.safe_dump(STOCK_CONFIG, sort_keys=False))
            results.append(measure("stock DIET+TED", stock_config, work / "stock.tar.gz", work))
    header = (
        f"{'config':16} {'train s':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
        f"{'50-conc msg/s':>14} {'50-conc p95 ms':>15} {'SMS ack p95':>11} {'p95 @5':>7} "
        f"{'p95 @120':>8} "
        f"{'Rasa RSS MB':>12}"
    )
    print("\n" + header)
    for f in results:
        print(
            f"{f.name:16} {f.train_seconds:>8} {f.p50_ms:>7} {f.p95_ms:>7} {f.p99_ms:>7} "
            f"{f.concurrent_msgs_per_s:>14} {f.concurrent_p95_ms:>15} {f.sms_ack_p95_ms:>11} "
            f"{f.turn5_p95_ms:>7} "
            f"{f.turn120_p95_ms:>8} {f.rasa_rss_mb:>12}"
        )
    print(
        f"\n(one at a time: {SINGLE_CONVERSATIONS} conversations x {TURNS_PER_SINGLE_CONVERSATION} "
        f"turns; concurrent: {CONCURRENT_CONVERSATIONS} conversations x {TURNS_PER_CONVERSATION} "
        f"turns while {SMS_SENDERS} people text {TEXTS_PER_SENDER} times each, "
        f"{SECONDS_BETWEEN_TEXTS} s apart (SMS ack: the webhook's answer); "
        f"long: {LONG_CONVERSATIONS} conversations x {LONG_TURNS} turns, p95 of turns 3-12 "
        "(@5) and of the last 10 (@120); REST channel on loopback; session starts included)"
    )
    gain = results[2].concurrent_msgs_per_s / results[1].concurrent_msgs_per_s
    print(f"scaled profile, 2 workers vs 1: {gain:.2f}x throughput (RSS: the largest worker)")
    for f in results:
        print(f"{f.name}: turn p95 at message 120 vs 5: {f.turn120_p95_ms / f.turn5_p95_ms:.2f}x")
    print(json.dumps([asdict(f) for f in results]))
    return 0
