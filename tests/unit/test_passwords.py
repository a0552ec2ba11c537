"""Password hashers: argon2id for real, the fast one only when the setting allows it, and a
stored hash of one scheme verifies (or fails cleanly) under the other."""

from __future__ import annotations

import pytest

from core.staff import passwords

PASSWORD = "correct horse battery"


def test_the_suite_runs_with_the_fast_hasher() -> None:
    hashed = passwords.hash_password(PASSWORD)
    assert hashed.startswith("$fast-insecure-for-tests$") and PASSWORD not in hashed
    assert passwords.verify_password(hashed, PASSWORD)
    assert not passwords.verify_password(hashed, PASSWORD + "!")
    assert passwords.hash_password(PASSWORD) != hashed  # salted
    assert not passwords.needs_rehash(hashed)


@pytest.mark.usefixtures("argon2id_hashing")
def test_production_hashes_with_argon2id() -> None:
    hashed = passwords.hash_password(PASSWORD)
    assert hashed.startswith("$argon2id$")
    assert passwords.verify_password(hashed, PASSWORD)
    assert not passwords.verify_password(hashed, "wrong password")
    assert passwords.dummy_hash().startswith("$argon2id$")


@pytest.mark.usefixtures("argon2id_hashing")
def test_fast_hasher_is_refused_without_the_setting() -> None:
    with pytest.raises(passwords.PasswordHasherRefused, match="INTERVISTA_PASSWORD_HASHER"):
        passwords.FastInsecureHasherForTests().hash(PASSWORD)


def test_a_fast_hash_never_verifies_under_argon2id(request: pytest.FixtureRequest) -> None:
    fast = passwords.hash_password(PASSWORD)
    request.getfixturevalue("argon2id_hashing")
    assert passwords.current().name == "argon2id"
    assert passwords.verify_password(fast, PASSWORD) is False


def test_an_argon2id_hash_still_verifies_in_test_mode() -> None:
    real = passwords.argon2id().hash(PASSWORD)
    assert passwords.current().name == "fast-insecure-for-tests"
    assert passwords.verify_password(real, PASSWORD)
    assert not passwords.verify_password(real, "wrong password")
    assert not passwords.needs_rehash(real)  # never downgraded to the fast scheme


@pytest.mark.parametrize(
    "stored", ["", "plain text", "$argon2id$garbage", "$fast-insecure-for-tests$"]
)
def test_malformed_hashes_fail_cleanly(stored: str, request: pytest.FixtureRequest) -> None:
    assert passwords.verify_password(stored, PASSWORD) is False
    request.getfixturevalue("argon2id_hashing")
    assert passwords.verify_password(stored, PASSWORD) is False
