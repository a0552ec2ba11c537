"""The password policy as a table: what is refused (with which stable code), what is accepted,
and that an over-long password is refused on its length alone."""

from __future__ import annotations

import pytest

from core.staff import auth, password_policy
from core.staff.password_policy import MAX_LENGTH, problem

EMAIL = "jane.doe@example.com"

# (password, the code it is refused with); the email is EMAIL's.
REFUSED = [
    ("aaaaaaaaaa", "password_repetitive"),
    ("password12", "password_common"),
    (" " * 10, "password_blank"),
    ("\t \n" * 5, "password_blank"),
    ("x" * (MAX_LENGTH + 1), "password_too_long"),
    ("correct horse battery! " * 50, "password_too_long"),  # a fine phrase, just too long
    ("jane.doejane.doe", "password_contains_email"),
    ("Jane.Doe2024!", "password_contains_email"),
    ("short", "password_too_short"),
    ("nine char", "password_too_short"),
    ("abcabcabcabc", "password_repetitive"),
    ("1212121212", "password_repetitive"),
    ("xxxxxxxxxy", "password_repetitive"),  # two different characters
    ("1234567890", "password_sequence"),
    ("0987654321", "password_sequence"),
    ("qwertyuiop", "password_sequence"),
    ("qwerty12345", "password_sequence"),
    ("1q2w3e4r5t", "password_sequence"),
    ("abcdefghijk", "password_sequence"),
    ("Password123", "password_common"),
    ("P@ssw0rd!2024", "password_common"),
    ("letmein2024", "password_common"),
    ("qwerty2024!!", "password_common"),
    ("passwordpassword", "password_common"),
    ("Summer2025!", "password_common"),
    ("Intervista2026", "password_common"),
    ("correct horse battery staple", "password_common"),
]
ACCEPTED = [
    "correct horse battery",  # the test suite's own
    "tulip marble quietly",
    "a long password!",  # a word from the list inside a phrase is fine
    "jane walks to the river at dawn",  # the email's name with plenty besides
    "Tr0ub4dor&3",  # weak, but no rule says so: the rules stay few and explainable
    "Ünïcödé pässwörd ✓",
    ("correct horse battery! " * 50)[:MAX_LENGTH],  # at the maximum
]


@pytest.mark.parametrize(("password", "code"), REFUSED)
def test_refused_passwords_name_their_rule(password: str, code: str) -> None:
    found = problem(password, email=EMAIL)
    assert found is not None and found.code == code, (password[:40], found)
    with pytest.raises(auth.PasswordRejected) as raised:
        auth.validate_new_password(password, email=EMAIL)
    assert raised.value.code == code and str(raised.value) == found.message
    assert isinstance(raised.value, auth.AuthError)  # pages and the CLI already catch it


@pytest.mark.parametrize("password", ACCEPTED)
def test_good_passphrases_are_accepted(password: str) -> None:
    assert problem(password, email=EMAIL) is None
    auth.validate_new_password(password, email=EMAIL)


def test_every_message_is_clear_and_every_code_distinct() -> None:
    codes = [p.code for p in password_policy.ALL_PROBLEMS]
    assert len(codes) == len(set(codes)) and all(c.startswith("password_") for c in codes)
    assert all(
        p.message.endswith(".") and len(p.message) > 25 for p in password_policy.ALL_PROBLEMS
    )
    assert "1024" in password_policy.TOO_LONG.message and "10" in password_policy.TOO_SHORT.message


def test_ten_megabytes_are_refused_on_the_length_alone() -> None:
    """A str subclass that fails if anything but its length is asked for: the policy must not
    lower-case, strip or scan a huge text."""

    class OnlyLength(str):
        def __getattribute__(self, name: str) -> object:
            if name not in {"__len__", "__class__"}:
                raise AssertionError(f"the policy looked at {name}")
            return super().__getattribute__(name)

    huge = OnlyLength("p" * 10_000_000)
    assert problem(huge, email=EMAIL) is password_policy.TOO_LONG


def test_the_deny_list_ships_and_generated_passwords_pass() -> None:
    assert {"password", "qwerty", "letmein", "intervista"} <= password_policy.denied()
    assert 100 <= len(password_policy.denied()) < 2000  # a modest, curated list
    for _ in range(200):
        assert problem(auth.generate_password(), email="admin@intervista.local") is None
