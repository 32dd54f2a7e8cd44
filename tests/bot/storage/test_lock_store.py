"""Conversation locks shared through a real Redis: one ticket each, one turn at a time."""

import asyncio
import threading

from rasa.core.lock_store import LockStore
from rasa.utils.endpoints import EndpointConfig

from bot.storage.lock_store import AtomicRedisLockStore, lock_store_type


def stores(redis_server, count: int) -> list[AtomicRedisLockStore]:
    """Separate stores, as separate server processes would have."""
    endpoint = EndpointConfig(url=redis_server.url)
    return [AtomicRedisLockStore(endpoint) for _ in range(count)]


def test_the_endpoint_type_is_this_store_with_redis_and_memory_without():
    assert lock_store_type(None) == "in_memory"
    store = LockStore.create(EndpointConfig(type=lock_store_type("redis://x"), url="redis://x"))
    assert isinstance(store, AtomicRedisLockStore)


def take_tickets_at_once(workers: list[AtomicRedisLockStore], conversation: str) -> list[int]:
    """Have every worker take a ticket for ``conversation`` at the same moment."""
    barrier = threading.Barrier(len(workers))
    tickets: list[int] = []

    def take(store: AtomicRedisLockStore) -> None:
        barrier.wait()
        tickets.append(store.issue_ticket(conversation))

    threads = [threading.Thread(target=take, args=(store,)) for store in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tickets


def test_workers_taking_tickets_at_the_same_moment_each_get_their_own(redis_server):
    workers = stores(redis_server, 8)
    for round_number in range(20):
        tickets = take_tickets_at_once(workers, f"c{round_number}")
        assert sorted(tickets) == list(range(len(workers))), round_number


async def test_a_second_worker_waits_until_the_first_turn_is_done(redis_server):
    first, second = stores(redis_server, 2)
    order: list[str] = []

    async def turn(store: AtomicRedisLockStore, name: str, hold: float) -> None:
        async with store.lock("person", wait_time_in_seconds=0.02):
            order.append(f"{name} starts")
            await asyncio.sleep(hold)
            order.append(f"{name} ends")

    first_turn = asyncio.create_task(turn(first, "first", 0.3))
    await asyncio.sleep(0.05)
    await turn(second, "second", 0)
    await first_turn
    assert order == ["first starts", "first ends", "second starts", "second ends"]
    assert first.get_lock("person") is None  # nobody waits: the lock is gone


def test_an_expired_ticket_of_a_dead_worker_does_not_block_the_conversation(redis_server):
    dead, alive = stores(redis_server, 2)
    dead.issue_ticket("person", lock_lifetime=0)  # taken, never given back
    alive.update_lock("person")
    ticket = alive.issue_ticket("person")
    assert not alive.get_lock("person").is_locked(ticket)
