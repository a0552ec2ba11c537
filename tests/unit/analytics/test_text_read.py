"""Chunking and the rendered SQL of full text reads."""

from __future__ import annotations

from core.analytics import text_read
from core.analytics.tables import BIG_TABLES, EVENTS, RESPONSES


def test_id_ranges_cover_every_id_once() -> None:
    assert list(text_read.id_ranges(1, 10, 4)) == [(0, 4), (4, 8), (8, 10)]
    assert list(text_read.id_ranges(5, 5, 4)) == [(4, 5)]
    for low, high, step in [(1, 1000, 7), (37, 40, 100), (1, 12, 3)]:
        covered = [
            i for lo, hi in text_read.id_ranges(low, high, step) for i in range(lo + 1, hi + 1)
        ]
        assert covered == list(range(low, high + 1))


def test_one_field_per_column_and_free_text_quoted() -> None:
    for spec in BIG_TABLES:
        sqlite = text_read.sqlite_row(spec)
        fmt = sqlite.split("'")[1]
        assert fmt.count("%") == len(spec.columns)
        postgres = text_read.postgres_row(spec)
        assert postgres.count("coalesce(") == len(spec.columns)
    sqlite = text_read.sqlite_row(RESPONSES)
    assert sqlite.count("%Q") == 2  # bank id and question text; enumerations go bare
    assert "quote(r.score)" in sqlite and "quote(r.override_score)" in sqlite


def test_chunk_sql_takes_its_bounds_as_parameters() -> None:
    sql = text_read.chunk_sql(RESPONSES, "postgresql")  # by question id: a merge join
    assert sql.endswith(
        "WHERE r.question_id > :lo AND r.question_id <= :hi AND q.id > :lo AND q.id <= :hi"
    )
    assert sql.startswith("SELECT string_agg(")
    sqlite = text_read.chunk_sql(RESPONSES, "sqlite")  # along the answers' rowids
    assert sqlite.startswith("SELECT CAST(group_concat(printf(")
    assert sqlite.endswith("WHERE r.id > :lo AND r.id <= :hi")
    assert text_read.chunk_sql(EVENTS, "postgresql").endswith("WHERE id > :lo AND id <= :hi")
