"""The review gate, both ways, through the real `bot` command on a copy of content."""

import subprocess
import sys
from datetime import date

import yaml

from bot.content.catalogue import load_catalogue
from bot.content.reviews import ReviewState, production_problems, record_reviews, review_states


def bot(*args, env_content):
    import os

    env = {**os.environ, "BOT_CONTENT_DIR": str(env_content)}
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def verify_everything(content_dir):
    """Make the copy releasable: every service verified, no samples (as a council would)."""
    for path in [*(content_dir / "services").glob("*.yml"), *(content_dir / "local").glob("*.yml")]:
        data = yaml.safe_load(path.read_text())
        if "sample" in data:
            data["sample"] = False
        for service in data["services"]:
            service["verified_on"] = date.today()
            service["sample"] = False
            for contact in service["contacts"]:
                contact["verified"] = True
        path.write_text(yaml.safe_dump(data))


def test_shipped_content_is_draft_and_production_refuses_it(content_copy):
    result = bot("run", "--production", env_content=content_copy)
    assert result.returncode == 2
    assert "Production refused" in result.stdout
    assert "utter_greet: unreviewed" in result.stdout
    assert "wiltshire-mash: unverified" in result.stdout


def test_reviewing_everything_opens_the_gate_and_an_edit_closes_it_again(content_copy):
    verify_everything(content_copy)
    keys = sorted(
        load_catalogue(content_copy).reviewable(load_catalogue(content_copy).profile("wiltshire"))
    )
    reviewed = bot(
        "content",
        "review",
        *keys,
        "--reviewer",
        "Sam Patel, Safeguarding lead",
        env_content=content_copy,
    )
    assert reviewed.returncode == 0, reviewed.stderr
    gate = bot("content", "gate", "--profile", "wiltshire", env_content=content_copy)
    assert gate.returncode == 0, gate.stdout

    record = yaml.safe_load((content_copy / "reviews.yml").read_text())["reviews"]["utter_greet"]
    assert record["reviewer"] == "Sam Patel" and record["role"] == "Safeguarding lead"
    assert len(record["sha256"]) == 64

    path = content_copy / "responses" / "conversation.yml"
    path.write_text(
        path.read_text().replace("I am a computer program", "I am a computer programme", 1)
    )
    gate = bot("content", "gate", "--profile", "wiltshire", env_content=content_copy)
    assert gate.returncode == 2
    assert "utter_greet: changed since review" in gate.stdout


def test_review_needs_name_and_role(content_copy):
    result = bot("content", "review", "utter_greet", "--reviewer", "Sam", env_content=content_copy)
    assert result.returncode == 1
    assert "Name, role" in result.stderr


def test_review_states_track_each_item(content_copy):
    catalogue = load_catalogue(content_copy)
    assert review_states(catalogue)["utter_greet"] is ReviewState.UNREVIEWED
    record_reviews(catalogue, ["utter_greet"], "Sam Patel, Safeguarding lead", date(2026, 11, 21))
    catalogue = load_catalogue(content_copy)
    assert review_states(catalogue)["utter_greet"] is ReviewState.REVIEWED
    assert any(
        "utter_goodbye" in p for p in production_problems(catalogue, catalogue.profile("wiltshire"))
    )
