"""The problem file format (``bank/<id>/problem.json``), validated with pydantic.

A problem is either a ``function`` problem (the candidate writes one function; tests call it
with JSON arguments and compare its JSON result) or a ``sql`` problem (the candidate writes one
SELECT; tests run it against the problem's schema with each test's data).
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    field_validator,
    model_validator,
)

from core.domain import Difficulty

SCALAR_TYPES = ("int", "long", "float", "bool", "string")
VALUE_TYPES = (
    *SCALAR_TYPES,
    *(f"{t}[]" for t in SCALAR_TYPES),
    *(f"{t}[][]" for t in ("int", "long", "float", "string")),
)
_IDENT = re.compile(r"^[a-z][a-z0-9_]*$")
_PROBLEM_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,60}$")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _snake_case(value: str) -> str:
    if not _IDENT.match(value):
        raise ValueError("must be snake_case (a-z, 0-9, _), starting with a letter")
    return value


def _value_type(value: str) -> str:
    if value not in VALUE_TYPES:
        raise ValueError(f"unknown type {value!r}; use one of {', '.join(VALUE_TYPES)}")
    return value


SnakeName = Annotated[str, AfterValidator(_snake_case)]
ValueType = Annotated[str, AfterValidator(_value_type)]


class Param(_Frozen):
    name: SnakeName
    type: ValueType


class Signature(_Frozen):
    name: SnakeName
    params: tuple[Param, ...] = Field(min_length=1)
    returns: ValueType


class Comparison(_Frozen):
    """How a result is compared: ``exact`` JSON equality (numbers within ``tolerance``),
    ``unordered`` (the top-level list as a multiset). SQL: ``ordered`` rows or a multiset."""

    mode: Literal["exact", "unordered"] = "exact"
    tolerance: float = Field(1e-6, ge=0)
    ordered: bool = False  # SQL only


class ProblemLimits(_Frozen):
    cpu_seconds: float = Field(3.0, gt=0, le=30)
    memory_mb: int = Field(256, ge=64, le=2048)


class FunctionTest(_Frozen):
    args: tuple[Any, ...]
    expected: Any
    weight: float = Field(1.0, gt=0)
    explanation: str = ""


class SqlTest(_Frozen):
    data: str = Field(min_length=1)  # INSERT statements run after the schema
    expected_columns: tuple[str, ...] = ()
    expected_rows: tuple[tuple[Any, ...], ...]
    weight: float = Field(1.0, gt=0)
    explanation: str = ""


class SqlSpec(_Frozen):
    schema_sql: str = Field(min_length=1)


class _ProblemBase(_Frozen):
    """Fields every problem file has. ``examples`` are visible; ``tests`` are hidden."""

    id: str
    title: str = Field(min_length=3, max_length=120)
    difficulty: Difficulty
    tags: tuple[str, ...] = ()
    statement: str = Field(min_length=20)
    compare: Comparison = Comparison()
    limits: ProblemLimits = ProblemLimits()

    @field_validator("id")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not _PROBLEM_ID.match(value):
            raise ValueError("must be a lowercase slug (a-z, 0-9, -)")
        return value


class FunctionProblem(_ProblemBase):
    kind: Literal["function"]
    function: Signature
    examples: tuple[FunctionTest, ...] = Field(min_length=1)
    tests: tuple[FunctionTest, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _tests_fit_signature(self) -> FunctionProblem:
        for key in ("examples", "tests"):
            for index, test in enumerate(getattr(self, key)):
                _check_test(self.function, test, f"{key}.{index}")
        return self


class SqlProblem(_ProblemBase):
    kind: Literal["sql"]
    sql: SqlSpec
    examples: tuple[SqlTest, ...] = Field(min_length=1)
    tests: tuple[SqlTest, ...] = Field(min_length=1)


ProblemSpec = Annotated[FunctionProblem | SqlProblem, Field(discriminator="kind")]
PROBLEM_ADAPTER: TypeAdapter[FunctionProblem | SqlProblem] = TypeAdapter(ProblemSpec)


def _check_test(signature: Signature, test: FunctionTest, where: str) -> None:
    if len(test.args) != len(signature.params):
        raise ValueError(
            f"{where}.args: {len(test.args)} values for {len(signature.params)} parameters"
        )
    for param, value in zip(signature.params, test.args, strict=True):
        if not value_matches(value, param.type):
            raise ValueError(f"{where}.args: {param.name} = {value!r} is not a {param.type}")
    if not value_matches(test.expected, signature.returns):
        raise ValueError(f"{where}.expected: {test.expected!r} is not a {signature.returns}")


def value_matches(value: Any, type_name: str) -> bool:
    """Does a JSON value fit one of the format's types?"""
    if type_name.endswith("[]"):
        inner = type_name[:-2]
        return isinstance(value, list) and all(value_matches(v, inner) for v in value)
    if type_name in ("int", "long"):
        limit = 2**31 if type_name == "int" else 2**63
        return isinstance(value, int) and not isinstance(value, bool) and -limit <= value < limit
    if type_name == "float":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if type_name == "bool":
        return isinstance(value, bool)
    return isinstance(value, str)
