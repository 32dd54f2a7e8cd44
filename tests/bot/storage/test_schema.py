"""The models the code uses match the schema the migrations build, table by table."""

import sqlalchemy as sa

import bot.console.accounts
import bot.console.audit
import bot.console.sessions
import bot.storage.escalation_records
import bot.storage.exits
import bot.storage.sms  # noqa: F401  (each module declares its tables on the shared Base)
from bot.storage.database import Base, create_engine
from bot.storage.migrations import migrate


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
