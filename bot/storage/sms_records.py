"""The SMS tables (made by the migrations), as the SMS store reads and writes them.

Kept apart from ``bot/storage/sms.py`` (the store) as ``escalation_records.py`` is from the
escalation store.
"""

from __future__ import annotations

import sqlalchemy as sa

from bot.storage.database import Base


class InboundRow(Base):
    """The ``sms_inbound`` table."""

    __tablename__ = "sms_inbound"
    message_sid = sa.Column(sa.String(64), primary_key=True)
    conversation_id = sa.Column(sa.String(200), nullable=False)
    received_at = sa.Column(sa.DateTime(timezone=True), nullable=False)
    pending_encrypted = sa.Column(sa.Text, nullable=True)
    # who is processing it (a server generation, migration 12) and until when
    taken_by = sa.Column(sa.String(64), nullable=True)
    taken_until = sa.Column(sa.DateTime(timezone=True), nullable=True)
    attempts = sa.Column(sa.Integer, nullable=False, default=0, server_default="0")  # migration 14


class SeenRow(Base):
    """The ``sms_seen`` table (migration 9): every inbound message id ever seen, keyed."""

    __tablename__ = "sms_seen"
    message_key = sa.Column(sa.String(64), primary_key=True)
    seen_at = sa.Column(sa.DateTime(timezone=True), nullable=False)


class ContactRow(Base):
    """The ``sms_contacts`` table."""

    __tablename__ = "sms_contacts"
    conversation_id = sa.Column(sa.String(200), primary_key=True)
    address_encrypted = sa.Column(sa.Text, nullable=False)
    opted_out = sa.Column(sa.Boolean, nullable=False)
    safe_to_text = sa.Column(sa.Boolean, nullable=True)
    safe_to_text_asked = sa.Column(sa.Boolean, nullable=False)
    options = sa.Column(sa.Text, nullable=False)
    updated_at = sa.Column(sa.DateTime(timezone=True), nullable=False)


class OutboundRow(Base):
    """The ``sms_outbound`` table."""

    __tablename__ = "sms_outbound"
    id = sa.Column(sa.Integer, primary_key=True)
    conversation_id = sa.Column(sa.String(200), nullable=False)
    body = sa.Column(sa.Text, nullable=False)
    segments = sa.Column(sa.Integer, nullable=False)
    status = sa.Column(sa.String(20), nullable=False)
    twilio_sid = sa.Column(sa.String(64), nullable=True, unique=True)
    error_code = sa.Column(sa.Integer, nullable=True)
    attempts = sa.Column(sa.Integer, nullable=False)
    created_at = sa.Column(sa.DateTime(timezone=True), nullable=False)
    updated_at = sa.Column(sa.DateTime(timezone=True), nullable=False)
    inbound_sid = sa.Column(sa.String(64), nullable=True)  # the text it answers (migration 10)


class StatusUpdateRow(Base):
    """The ``sms_status_updates`` table: every status callback, kept in order of arrival.

    A callback can arrive before the send that caused it has recorded Twilio's id; keeping the
    callbacks lets that send apply them when it does, so no final status is lost.
    """

    __tablename__ = "sms_status_updates"
    id = sa.Column(sa.Integer, primary_key=True)
    twilio_sid = sa.Column(sa.String(64), nullable=False)
    status = sa.Column(sa.String(20), nullable=False)
    error_code = sa.Column(sa.Integer, nullable=True)
    received_at = sa.Column(sa.DateTime(timezone=True), nullable=False)
