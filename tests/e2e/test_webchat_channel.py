"""The web chat channel over real socket.io connections to the running assistant."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import urllib.error
import urllib.request
from typing import Any

import pytest
import socketio

from bot.storage.exits import ExitStore

pytestmark = pytest.mark.slow
WAIT = 20.0


def user_texts(tracker_db, sender: str) -> list[str]:
    with sqlite3.connect(tracker_db) as connection:
        rows = connection.execute(
            "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user' ORDER BY id",
            (sender,),
        ).fetchall()
    return [json.loads(data)["text"] for (data,) in rows]


class ChatClient:
    """A socket.io client that records every event the server sends it."""

    def __init__(self) -> None:
        self.sio = socketio.AsyncClient(reconnection=False)
        self.events: list[tuple[str, Any]] = []
        for name in (
            "session_confirm",
            "bot_uttered",
            "bot_typing",
            "session_required",
            "message_received",
        ):
            self.sio.on(name, self._recorder(name))

    def _recorder(self, name: str):
        async def record(data: Any = None) -> None:
            self.events.append((name, data))

        return record

    async def connect(self, base_url: str) -> None:
        await self.sio.connect(base_url, transports=["polling"], socketio_path="/socket.io")

    async def wait_for(self, name: str, count: int = 1) -> list[Any]:
        for _ in range(int(WAIT * 20)):
            found = [data for event, data in self.events if event == name]
            if len(found) >= count:
                return found
            await asyncio.sleep(0.05)
        raise AssertionError(f"no {name} x{count}; got {self.events}")

    async def start(self, base_url: str, claim: dict[str, Any] | None = None) -> dict[str, Any]:
        await self.connect(base_url)
        await self.sio.emit("session_request", claim or {})
        return (await self.wait_for("session_confirm"))[-1]

    def texts(self) -> list[str]:
        return [data["text"] for event, data in self.events if event == "bot_uttered"]


@pytest.fixture()
async def clients():
    made: list[ChatClient] = []

    def make() -> ChatClient:
        made.append(ChatClient())
        return made[-1]

    yield make
    for client in made:
        if client.sio.connected:
            await client.sio.disconnect()


async def test_a_new_session_gets_an_id_and_secret_and_replies_arrive_with_typing(
    assistant, clients
):
    client = clients()
    confirm = await client.start(assistant.rasa_url)
    assert len(confirm["session_id"]) == 32 and len(confirm["secret"]) == 64
    assert confirm["resumed"] is False
    await client.sio.emit("user_uttered", {"message": "what is cse"})
    replies = await client.wait_for("bot_uttered", 2)
    assert any("Child sexual exploitation (CSE)" in r["text"] for r in replies)
    assert all(r["sender"] == "bot" for r in replies)
    # "typing" goes on before the replies and off once the turn is over
    typing = [d["typing"] for d in await client.wait_for("bot_typing", 2)]
    assert typing == [True, False]


async def test_a_reconnect_with_the_secret_resumes_the_same_conversation(assistant, clients):
    first = clients()
    confirm = await first.start(assistant.rasa_url)
    await first.sio.disconnect()
    again = clients()
    resumed = await again.start(assistant.rasa_url, confirm)
    assert resumed["session_id"] == confirm["session_id"] and resumed["resumed"] is True


async def test_knowing_a_session_id_is_not_enough_to_read_or_post(assistant, clients):
    owner = clients()
    confirm = await owner.start(assistant.rasa_url)
    intruder = clients()
    forged = await intruder.start(
        assistant.rasa_url, {"session_id": confirm["session_id"], "secret": "0" * 64}
    )
    assert forged["session_id"] != confirm["session_id"] and forged["resumed"] is False
    # a message naming the owner's session is still taken as the intruder's own
    await intruder.sio.emit(
        "user_uttered", {"message": "hello", "session_id": confirm["session_id"]}
    )
    await intruder.wait_for("bot_uttered")
    await owner.sio.emit("user_uttered", {"message": "what is grooming"})
    await owner.wait_for("bot_uttered", 2)
    await asyncio.sleep(0.5)
    grooming_reply = owner.texts()[-1]
    assert grooming_reply not in intruder.texts()
    # and the intruder's words never entered the owner's conversation
    assert user_texts(assistant.tracker_db_path, confirm["session_id"]) == ["what is grooming"]


async def test_messages_before_a_session_are_refused_not_processed(assistant, clients):
    client = clients()
    await client.connect(assistant.rasa_url)
    await client.sio.emit("user_uttered", {"message": "hello"})
    await client.wait_for("session_required")
    assert client.texts() == []


@pytest.mark.parametrize("payload", [None, "text", {"message": None}, {"message": 42}, {}])
async def test_malformed_payloads_get_an_answer_not_a_crash(assistant, clients, payload):
    client = clients()
    await client.start(assistant.rasa_url)
    await client.sio.emit("user_uttered", payload)
    replies = await client.wait_for("bot_uttered")
    assert replies[0]["text"]


async def test_quick_exit_marks_the_conversation_and_closes_the_socket(assistant, clients):
    client = clients()
    confirm = await client.start(assistant.rasa_url)
    await client.sio.emit("quick_exit", {})
    exits = ExitStore(assistant.database_url)
    for _ in range(100):
        if exits.exited_at(confirm["session_id"]) and not client.sio.connected:
            break
        await asyncio.sleep(0.05)
    assert exits.exited_at(confirm["session_id"]) is not None
    assert not client.sio.connected


def post_exit_beacon(base_url: str, claim: dict[str, Any]) -> int:
    request = urllib.request.Request(
        f"{base_url}/webchat/exit", data=json.dumps(claim).encode(), method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


async def test_the_exit_beacon_needs_the_secret(assistant, clients):
    client = clients()
    confirm = await client.start(assistant.rasa_url)
    exits = ExitStore(assistant.database_url)
    forged = {"session_id": confirm["session_id"], "secret": "f" * 64}
    assert await asyncio.to_thread(post_exit_beacon, assistant.rasa_url, forged) == 403
    assert exits.exited_at(confirm["session_id"]) is None
    assert await asyncio.to_thread(post_exit_beacon, assistant.rasa_url, confirm) == 204
    assert exits.exited_at(confirm["session_id"]) is not None


async def test_one_connection_cannot_start_conversation_after_conversation(
    assistant, clients, escalations
):
    client = clients()
    await client.connect(assistant.rasa_url)
    ids = []
    for n in range(6):
        await client.sio.emit("session_request", {})
        ids.append((await client.wait_for("session_confirm", n + 1))[-1]["session_id"])
        await client.sio.emit("user_uttered", {"message": "my uncle touches me at night"})
        await client.wait_for("bot_typing", 2 * (n + 1))
    assert len(set(ids)) == 3  # the rest went on in the third conversation
    opened = [e for cid in set(ids) for e in escalations.all_for(cid)]
    assert len(opened) == 3
    assert ids[3:] == [ids[2]] * 3


async def test_a_message_sent_again_after_a_reconnect_is_confirmed_and_taken_once(
    assistant, clients
):
    client = clients()
    await client.start(assistant.rasa_url)
    message = {"message": "what is grooming", "client_id": "ab" * 16}
    await client.sio.emit("user_uttered", message)
    await client.wait_for("bot_typing", 2)
    await client.sio.emit("user_uttered", message)  # the page did not see the confirmation
    confirmations = await client.wait_for("message_received", 2)
    assert confirmations == [{"client_id": "ab" * 16}] * 2
    await asyncio.sleep(1.5)
    answers = client.texts()
    assert len(answers) == len(set(answers)) and answers  # answered once, not twice


async def test_a_disclosure_on_the_web_chat_arrives_as_one_or_two_messages(assistant, clients):
    client = clients()
    await client.start(assistant.rasa_url)
    await client.sio.emit("user_uttered", {"message": "what is cse"})
    await client.wait_for("bot_typing", 2)
    before = len(client.texts())
    await client.sio.emit(
        "user_uttered",
        {"message": "a man from snap keeps making me send him pics and says i owe him"},
    )
    await client.wait_for("bot_typing", 4)
    turn = client.texts()[before:]
    assert 1 <= len(turn) <= 2, turn
    assert any("reference number" in text for text in turn)
