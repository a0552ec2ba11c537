"""DuckDB queries: proctoring, templates, questions and coding (on the ``sel`` temp table).

- A *warning* is ``core.proctor.warning_count``'s: an event of severity ``warning`` or
  ``critical`` that is not a connection event; ``info`` events ("could not tell") are counted
  by kind but are not warnings. The Review page and the candidate's page count the same way.
- Template completion rate = completed / interviews that were due (not cancelled, and started
  or scheduled before now).
- Questions are identified by their question-bank id, else by their text. Discrimination is
  the item-rest correlation: the correlation, over completed interviews, between the answer's
  effective score and the mean effective score of the same interview's other answers.
- Coding: an attempt is a Submit (hidden tests); "submits to acceptance" counts Submits up to
  and including the first accepted one, per (interview, question).

SQL text is built only from constant table and column names (hence ``noqa: S608``); every
value is a bound parameter.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from core.analytics.filters import QuestionThresholds
from core.proctor.warning_count import warning_sql

IS_WARNING = warning_sql("e.kind", "e.severity")


def events_by_kind(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Events by kind and severity, and per started interview."""
    return con.execute(
        """
        SELECT CAST(e.kind AS VARCHAR) AS kind, CAST(e.severity AS VARCHAR) AS severity,
               count(*) AS events,
               count(*) / greatest((SELECT count(*) FROM sel WHERE started), 1)
                 AS per_started_interview
        FROM proctor_events e SEMI JOIN sel s ON s.id = e.interview_id
        GROUP BY e.kind, e.severity ORDER BY events DESC, kind, severity
        """
    ).df()


def warning_share_trend(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per week of start: started interviews and the share with at least one warning."""
    return con.execute(
        """
        SELECT CAST(date_trunc('week', started_at) AS DATE) AS week,
               count(*) AS started,
               count(*) FILTER (WHERE warnings > 0) AS with_warnings,
               count(*) FILTER (WHERE warnings > 0) / count(*) AS share_with_warnings
        FROM sel WHERE started AND started_at IS NOT NULL
        GROUP BY ALL ORDER BY week
        """
    ).df()


def warnings_over_time(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute(
        f"""
        SELECT CAST(date_trunc('week', e.started_at) AS DATE) AS week,
               CAST(e.kind AS VARCHAR) AS kind, count(*) AS warnings
        FROM proctor_events e SEMI JOIN sel s ON s.id = e.interview_id
        WHERE {IS_WARNING}
        GROUP BY ALL ORDER BY week, kind
        """  # noqa: S608
    ).df()


def most_flagged(con: duckdb.DuckDBPyConnection, limit: int = 15) -> pd.DataFrame:
    return con.execute(
        f"""
        WITH top AS (
            SELECT * FROM sel WHERE warnings > 0
            ORDER BY warnings DESC, critical DESC, id LIMIT ?
        ),
        kinds AS (
            SELECT e.interview_id,
                   string_agg(DISTINCT CAST(e.kind AS VARCHAR), ', '
                              ORDER BY CAST(e.kind AS VARCHAR)) AS kinds
            FROM proctor_events e SEMI JOIN top t ON t.id = e.interview_id
            WHERE {IS_WARNING}
            GROUP BY e.interview_id
        )
        SELECT t.id AS interview_id, t.candidate_id, t.title,
               CAST(t.started_at AS DATE) AS started_on, t.warnings, t.critical, k.kinds,
               t.score_pct
        FROM top t JOIN kinds k ON k.interview_id = t.id
        ORDER BY t.warnings DESC, t.critical DESC, t.id
        """,  # noqa: S608
        [limit],
    ).df()


def template_stats(con: duckdb.DuckDBPyConnection, threshold: float) -> pd.DataFrame:
    return con.execute(
        """
        SELECT t.id AS template_id, t.title, CAST(t.interview_type AS VARCHAR) AS interview_type,
               CAST(t.difficulty AS VARCHAR) AS difficulty,
               count(*) AS interviews,
               count(*) FILTER (WHERE s.completed) AS completed,
               count(*) FILTER (WHERE s.completed)
                 / greatest(count(*) FILTER (WHERE s.status <> 'cancelled'
                   AND (s.started OR s.no_show)), 1) AS completion_rate,
               avg(s.score_pct) AS mean_score,
               avg(CASE WHEN s.score_pct >= ? THEN 1.0 ELSE 0.0 END)
                 FILTER (WHERE s.score_pct IS NOT NULL) AS pass_rate,
               any_value(t.times_used) AS times_used_counter,
               any_value(t.average_score) AS average_score_counter
        FROM sel s JOIN interview_templates t ON t.id = s.template_id
        GROUP BY t.id, t.title, t.interview_type, t.difficulty
        ORDER BY interviews DESC, t.title, t.id
        """,
        [threshold],
    ).df()


def template_trend(con: duckdb.DuckDBPyConnection, top: int = 8) -> pd.DataFrame:
    """Interviews per week for the ``top`` most used templates (the rest as "Other")."""
    return con.execute(
        """
        WITH ranked AS (
            SELECT template_id, row_number() OVER (ORDER BY count(*) DESC, template_id) AS rank
            FROM sel WHERE template_id IS NOT NULL GROUP BY template_id
        )
        SELECT CAST(date_trunc('week', s.interview_at) AS DATE) AS week,
               CASE WHEN r.rank <= ? THEN t.title ELSE 'Other' END AS template,
               count(*) AS interviews, avg(s.score_pct) AS mean_score
        FROM sel s JOIN ranked r USING (template_id)
        JOIN interview_templates t ON t.id = s.template_id
        GROUP BY ALL ORDER BY week, template
        """,
        [top],
    ).df()


def question_stats(con: duckdb.DuckDBPyConnection, limits: QuestionThresholds) -> pd.DataFrame:
    return con.execute(
        """
        WITH answers AS (
            SELECT coalesce(r.bank_id, 'text: ' || left(r.question_text, 80)) AS question,
                   CAST(r.question_type AS VARCHAR) AS question_type,
                   CAST(r.question_difficulty AS VARCHAR) AS difficulty, r.interview_id,
                   coalesce(r.override_score, r.score) AS score
            FROM interview_responses r
            JOIN sel s ON s.id = r.interview_id
            WHERE s.completed AND coalesce(r.override_score, r.score) IS NOT NULL
        ),
        totals AS (
            SELECT interview_id, sum(score) AS total, count(*) AS n FROM answers GROUP BY ALL
        ),
        with_rest AS (
            SELECT a.*, (t.total - a.score) / nullif(t.n - 1, 0) AS rest_mean
            FROM answers a JOIN totals t USING (interview_id)
        ),
        stats AS (
            SELECT question, any_value(question_type) AS question_type,
                   any_value(difficulty) AS difficulty, count(*) AS answers,
                   avg(score) AS mean, stddev_samp(score) AS spread,
                   corr(score, rest_mean) AS discrimination
            FROM with_rest GROUP BY question
        )
        SELECT *, CASE
            WHEN answers < $min_answers THEN 'too few answers'
            WHEN mean >= $easy THEN 'too easy'
            WHEN mean <= $hard THEN 'too hard'
            WHEN discrimination IS NULL OR discrimination < $disc THEN 'not discriminating'
            ELSE 'ok' END AS flag
        FROM stats ORDER BY question
        """,
        {
            "min_answers": limits.min_answers,
            "easy": limits.too_easy_mean,
            "hard": limits.too_hard_mean,
            "disc": limits.min_discrimination,
        },
    ).df()


def language_mix(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute(
        """
        SELECT CAST(c.language AS VARCHAR) AS language, CAST(c.kind AS VARCHAR) AS kind,
               count(*) AS submissions
        FROM code_submissions c SEMI JOIN sel s ON s.id = c.interview_id
        GROUP BY c.language, c.kind ORDER BY submissions DESC, language, kind
        """
    ).df()


def prepare_coding(con: duckdb.DuckDBPyConnection) -> None:
    """Temp table ``code_items``: one row per (interview, question) with Submits, the first
    accepted Submit's position, and the hidden tests passed (for the next two queries)."""
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE code_items AS
        WITH numbered AS (
            SELECT c.interview_id, c.question_id, c.language, c.verdict,
                   c.tests_passed, c.tests_total,
                   row_number() OVER (PARTITION BY c.interview_id, c.question_id
                                      ORDER BY c.id) AS attempt
            FROM code_submissions c SEMI JOIN sel s ON s.id = c.interview_id
            WHERE c.kind = 'submit'
        )
        SELECT interview_id, question_id, any_value(language) AS language,
               count(*) AS submits,
               count(*) FILTER (WHERE verdict = 'accepted') AS accepted,
               sum(tests_passed) AS tests_passed, sum(tests_total) AS tests_total,
               min(attempt) FILTER (WHERE verdict = 'accepted') AS first_accepted
        FROM numbered GROUP BY interview_id, question_id
        """
    )


def coding_pass_rates(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per language: Submits, accepted share, hidden tests passed share, problems solved."""
    return con.execute(
        """
        SELECT CAST(language AS VARCHAR) AS language, sum(submits) AS submits,
               sum(accepted) / sum(submits) AS accepted_share,
               sum(tests_passed) / greatest(sum(tests_total), 1) AS tests_passed_share,
               avg(CASE WHEN first_accepted IS NOT NULL THEN 1.0 ELSE 0.0 END) AS solved_share
        FROM code_items GROUP BY language ORDER BY submits DESC, language
        """
    ).df()


def submits_to_accept(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """How many Submits (interview, question) pairs needed; 'never' when none was accepted."""
    return con.execute(
        """
        SELECT submits, count(*) AS problems
        FROM (
            SELECT CASE WHEN first_accepted IS NULL THEN 'never'
                        WHEN first_accepted >= 6 THEN '6+'
                        ELSE CAST(first_accepted AS VARCHAR) END AS submits,
                   coalesce(least(first_accepted, 6), 99) AS position
            FROM code_items
        )
        GROUP BY submits, position ORDER BY position
        """
    ).df()
