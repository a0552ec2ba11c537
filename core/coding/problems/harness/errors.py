"""The class of an error a hidden test raised, as the candidate may see it: a name from a fixed
list of each language's standard exceptions, never the program's own text.

A hidden test's error message may hold its input (``raise ValueError(text)``), and so may the
name of a class the program made up (``type(text, (Exception,), {})``) or a ``toString()`` it
overrode: only names on these lists are passed on; anything else is just "an exception".
"""

from __future__ import annotations

import builtins
import re

from core.domain import CodingLanguage


def _names(text: str, prefix: str = "") -> frozenset[str]:
    return frozenset(prefix + name for name in text.split())


_PYTHON = frozenset(
    name
    for name in dir(builtins)
    if isinstance(getattr(builtins, name), type)
    and issubclass(getattr(builtins, name), BaseException)
)
_JAVASCRIPT = _names(
    "Error TypeError RangeError ReferenceError SyntaxError EvalError URIError AggregateError"
    " InternalError"
)
_JAVA = _names(
    (
        "ArithmeticException ArrayIndexOutOfBoundsException ArrayStoreException "
        "ClassCastException IllegalArgumentException IllegalStateException "
        "IndexOutOfBoundsException NegativeArraySizeException NullPointerException "
        "NumberFormatException StringIndexOutOfBoundsException UnsupportedOperationException "
        "RuntimeException Exception Error AssertionError StackOverflowError OutOfMemoryError "
        "CloneNotSupportedException InterruptedException SecurityException"
    ),
    "java.lang.",
) | _names(
    (
        "ConcurrentModificationException NoSuchElementException InputMismatchException "
        "EmptyStackException MissingResourceException"
    ),
    "java.util.",
)
_PHP = _names(
    "Error TypeError ValueError ArithmeticError DivisionByZeroError ArgumentCountError "
    "UnhandledMatchError AssertionError ErrorException Exception RuntimeException "
    "LogicException InvalidArgumentException OutOfRangeException OutOfBoundsException "
    "LengthException DomainException RangeException UnexpectedValueException "
    "OverflowException UnderflowException BadFunctionCallException BadMethodCallException "
    "JsonException"
)
_RUBY = _names(
    "StandardError RuntimeError NoMethodError NameError ZeroDivisionError TypeError "
    "ArgumentError IndexError KeyError RangeError FloatDomainError StopIteration "
    "FrozenError SystemStackError NoMemoryError NotImplementedError LocalJumpError "
    "RegexpError IOError EncodingError FiberError ThreadError ScriptError Math::DomainError "
    "Encoding::CompatibilityError Encoding::UndefinedConversionError"
)
_CSHARP = _names(
    "Exception SystemException ApplicationException IndexOutOfRangeException "
    "NullReferenceException DivideByZeroException ArithmeticException OverflowException "
    "InvalidOperationException InvalidCastException ArgumentException "
    "ArgumentOutOfRangeException ArgumentNullException KeyNotFoundException "
    "FormatException NotImplementedException NotSupportedException "
    "StackOverflowException OutOfMemoryException RankException ArrayTypeMismatchException "
    "AggregateException"
)
_KNOWN = {
    CodingLanguage.PYTHON: _PYTHON,
    CodingLanguage.JAVASCRIPT: _JAVASCRIPT,
    CodingLanguage.JAVA: _JAVA,
    CodingLanguage.PHP: _PHP,
    CodingLanguage.RUBY: _RUBY,
    CodingLanguage.CSHARP: _CSHARP,
}
_LEADING_NAME = re.compile(r"[A-Za-z_][\w.:$]{0,80}")
_SQL_KINDS = (
    ("syntax error", "syntax error"),
    ("no such table", "no such table"),
    ("no such column", "no such column"),
    ("no such function", "no such function"),
    ("readonly", "the query tried to change the data"),
    ("read-only", "the query tried to change the data"),
    ("one statement at a time", "more than one statement"),
    ("ambiguous column", "ambiguous column name"),
    ("misuse of aggregate", "misuse of an aggregate"),
    ("too many terms", "too many terms"),
)


def error_class(language: CodingLanguage, message: str | None) -> str | None:
    """The standard exception class ``message`` starts with (``IndexError: list index out of
    range`` gives ``IndexError``; Java's ``java.lang.X`` gives ``X``), or None when the name is
    not one of the language's standard exceptions."""
    if not message:
        return None
    found = _LEADING_NAME.match(message.strip())
    if found is None:
        return None
    name = found.group(0).rstrip(":.")
    if name not in _KNOWN.get(language, frozenset()):
        return None
    return name.rsplit(".", 1)[-1] if language is CodingLanguage.JAVA else name


def sql_error_class(message: str | None) -> str | None:
    """A fixed description of a SQLite error (``no such column``), or None: SQLite's own text
    can quote values."""
    text = (message or "").lower()
    return next((kind for marker, kind in _SQL_KINDS if marker in text), None)
