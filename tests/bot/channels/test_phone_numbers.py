"""Phone numbers: keyed-hash ids, encrypted storage, masked display, a private key file."""

import stat

from cryptography.fernet import Fernet

from bot.channels.phone_numbers import KEY_ENV_VAR, KEY_FILE_NAME, PhoneVault, mask
from bot.keys import load_or_create_key

NUMBER = "+447700900123"


def test_the_conversation_id_is_a_keyed_hash_that_reveals_no_digits():
    vault = PhoneVault(Fernet.generate_key())
    conversation_id = vault.conversation_id(NUMBER)
    assert conversation_id == vault.conversation_id("+44 7700 900123")
    assert conversation_id != PhoneVault(Fernet.generate_key()).conversation_id(NUMBER)
    assert "900123" not in conversation_id and "7700" not in conversation_id
    assert vault.conversation_id(f"whatsapp:{NUMBER}") != conversation_id


def test_numbers_are_stored_encrypted_and_shown_masked():
    vault = PhoneVault(Fernet.generate_key())
    token = vault.encrypt(NUMBER)
    assert "900123" not in token and vault.unseal(token) == NUMBER
    assert mask(NUMBER) == "•••• ••• 123"
    assert mask(f"whatsapp:{NUMBER}") == "WhatsApp •••• ••• 123"


def test_the_key_file_is_created_once_and_private(tmp_path, monkeypatch):
    monkeypatch.delenv("BOT_SMS_KEY", raising=False)
    path = tmp_path / "sms.key"
    key = load_or_create_key(KEY_ENV_VAR, KEY_FILE_NAME, path)
    assert load_or_create_key(KEY_ENV_VAR, KEY_FILE_NAME, path) == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
