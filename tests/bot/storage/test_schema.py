"""The models the code uses match the schema the migrations build, table by table."""

import threading

import sqlalchemy as sa
from rasa.shared.core.domain import Domain

import bot.console.accounts
import bot.console.audit
import bot.console.sessions
import bot.storage.escalation_records
import bot.storage.exits
import bot.storage.figures
import bot.storage.sms  # noqa: F401  (each module declares its tables on the shared Base)
from bot.storage import migrations
from bot.storage.database import Base, create_engine
from bot.storage.migrations import MIGRATIONS, migrate
from bot.storage.tracker_store import AssistantTrackerStore


def test_every_model_matches_the_migrated_table(database_url):
    engine = create_engine(database_url)
    migrate(engine)
    inspector = sa.inspect(engine)
    assert len(Base.metadata.tables) >= 13
    for name, table in Base.metadata.tables.items():
        migrated = {c["name"]: c for c in inspector.get_columns(name)}
        assert set(migrated) == {c.name for c in table.columns}, name
        for column in table.columns:
            assert migrated[column.name]["nullable"] == column.nullable, (name, column.name)


def test_one_engine_per_database_in_a_process(tmp_path):
    url = f"sqlite:///{tmp_path / 'one.db'}"
    assert create_engine(url) is create_engine(url)


def test_processes_starting_together_migrate_the_database_once(postgres_server):
    """Several server processes start at once on one PostgreSQL database: no migration fails."""
    url = postgres_server.new_database()
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def start_process() -> None:
        engine = sa.create_engine(url)  # each process has its own engine and migration record
        barrier.wait()
        try:
            migrations._MIGRATED.discard(engine.url.render_as_string(hide_password=False))
            migrate(engine)
            AssistantTrackerStore(domain=Domain.empty(), host=url, figures_url=url)
        except BaseException as error:
            errors.append(error)
        finally:
            engine.dispose()

    threads = [threading.Thread(target=start_process) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with create_engine(url).connect() as connection:
        versions = connection.execute(sa.text("SELECT version FROM schema_migrations")).scalars()
        assert sorted(versions) == [v for v, _, _ in MIGRATIONS]
