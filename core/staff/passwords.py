"""Password hashing behind one small interface: argon2id in production, a cheap hasher for tests.

The hasher in use comes from the ``password_hasher`` setting (``INTERVISTA_PASSWORD_HASHER``).
Its default, ``argon2id``, is the only one for real deployments. ``fast-insecure-for-tests`` is
one salted SHA-256 with no work factor: it exists so that a test suite creating hundreds of
accounts does not spend minutes in argon2. It is refused unless that setting names it.

Each scheme writes its own prefix (``$argon2id$``, ``$fast-insecure-for-tests$``), so a stored
hash is always verified by the scheme that wrote it:

- under ``argon2id`` a fast hash never verifies (the sign-in fails like a wrong password);
- under ``fast-insecure-for-tests`` argon2id hashes still verify (and are never downgraded).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Final, Literal, Protocol

from argon2 import PasswordHasher as _Argon2
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from core.config import get_settings

HasherName = Literal["argon2id", "fast-insecure-for-tests"]
ARGON2ID: Final = "argon2id"
FAST_INSECURE_FOR_TESTS: Final = "fast-insecure-for-tests"


class PasswordHasherRefused(RuntimeError):
    """The test-only hasher was asked for without the setting that allows it."""


class PasswordHasher(Protocol):
    """Hashes and checks staff passwords. ``verify`` never raises for a bad or foreign hash."""

    name: str

    def owns(self, password_hash: str) -> bool:
        """Whether this scheme wrote ``password_hash`` (by its prefix)."""
        ...

    def hash(self, password: str) -> str: ...

    def verify(self, password_hash: str, password: str) -> bool: ...

    def needs_rehash(self, password_hash: str) -> bool: ...


class Argon2idHasher:
    """argon2id with argon2-cffi's default (RFC 9106 low-memory) parameters."""

    name = ARGON2ID
    prefix = "$argon2id$"

    def __init__(self) -> None:
        self._impl = _Argon2()

    def owns(self, password_hash: str) -> bool:
        return password_hash.startswith(self.prefix)

    def hash(self, password: str) -> str:
        return self._impl.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        if not self.owns(password_hash):
            return False
        try:
            return self._impl.verify(password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        try:
            return self._impl.check_needs_rehash(password_hash)
        except InvalidHashError:
            return True


class FastInsecureHasherForTests:
    """FOR TESTS ONLY: one salted SHA-256, no work factor; trivially brute-forced if leaked.

    Every call checks that the ``password_hasher`` setting is ``fast-insecure-for-tests``.
    """

    name = FAST_INSECURE_FOR_TESTS
    prefix = f"${FAST_INSECURE_FOR_TESTS}$"

    def _allowed(self) -> None:
        if _configured_name() != FAST_INSECURE_FOR_TESTS:
            raise PasswordHasherRefused(
                "the fast-insecure-for-tests password hasher is only for test suites; set "
                "INTERVISTA_PASSWORD_HASHER=fast-insecure-for-tests to use it"
            )

    def owns(self, password_hash: str) -> bool:
        return password_hash.startswith(self.prefix)

    @staticmethod
    def _digest(salt: str, password: str) -> str:
        return hashlib.sha256(f"{salt}${password}".encode()).hexdigest()

    def hash(self, password: str) -> str:
        self._allowed()
        salt = secrets.token_hex(8)
        return f"{self.prefix}{salt}${self._digest(salt, password)}"

    def verify(self, password_hash: str, password: str) -> bool:
        self._allowed()
        if not self.owns(password_hash):
            return False
        salt, _, digest = password_hash[len(self.prefix) :].partition("$")
        return bool(salt and digest) and hmac.compare_digest(digest, self._digest(salt, password))

    def needs_rehash(self, password_hash: str) -> bool:
        return False


_argon2id: Argon2idHasher | None = None
_fast: FastInsecureHasherForTests | None = None
_dummy_hashes: dict[str, str] = {}


def _configured_name() -> str:
    return get_settings().password_hasher  # read at each call: cached, and tests reset it


def argon2id() -> Argon2idHasher:
    global _argon2id
    if _argon2id is None:
        _argon2id = Argon2idHasher()
    return _argon2id


def current() -> PasswordHasher:
    """The hasher the ``password_hasher`` setting selects."""
    global _fast
    if _configured_name() == FAST_INSECURE_FOR_TESTS:
        if _fast is None:
            _fast = FastInsecureHasherForTests()
        return _fast
    return argon2id()


def hash_password(password: str) -> str:
    return current().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Check ``password`` against a stored hash of any scheme the current setting accepts."""
    hasher = current()
    if hasher.owns(password_hash):
        return hasher.verify(password_hash, password)
    if hasher.name != ARGON2ID:  # test mode still accepts real argon2id hashes
        return argon2id().verify(password_hash, password)
    return False


def needs_rehash(password_hash: str) -> bool:
    """Whether a hash that just verified should be replaced by one from the current hasher.

    Only the current scheme's own hashes are upgraded: test mode never downgrades argon2id.
    """
    hasher = current()
    return hasher.owns(password_hash) and hasher.needs_rehash(password_hash)


def dummy_hash() -> str:
    """A real hash of a random password, computed on first use (not at import), so that a
    sign-in for an unknown account costs what a known one costs (no timing oracle)."""
    hasher = current()
    value = _dummy_hashes.get(hasher.name)
    if value is None:
        value = _dummy_hashes[hasher.name] = hasher.hash(secrets.token_urlsafe(16))
    return value
