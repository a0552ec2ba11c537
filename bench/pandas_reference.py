"""The dashboard's aggregations done in pandas, for the benchmark's baseline and as a cross-check
of the SQL (same definitions as ``queries_scores``/``queries_activity``; no filters). Not app
code: it lives beside the benchmark.

Input: the copy's tables as DataFrames (``AnalyticsStore.frames``). Runs on the caller's thread.
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pandas as pd

from core.analytics.filters import QuestionThresholds
from core.analytics.queries_scores import naive_utc

WARNING = ("warning", "critical")


def _rate(mask: pd.Series) -> float:
    return float(mask.mean()) if len(mask) else float("nan")


def selection(t: dict[str, pd.DataFrame], now: datetime) -> pd.DataFrame:
    i = t["interviews"]
    i = i[~i["is_practice"]].copy()
    r = t["interview_responses"]
    eff = r["override_score"].fillna(r["score"])
    per = (
        pd.DataFrame(
            {"interview_id": r["interview_id"], "eff": eff, "over": r["override_score"].notna()}
        )
        .groupby("interview_id")
        .agg(mean_score=("eff", "mean"), n_scored=("eff", "count"), any_override=("over", "any"))
    )
    i = i.join(per, on="id")
    e = t["proctor_events"]
    w = e[e["severity"].isin(WARNING)]
    warned = w.groupby("interview_id").agg(
        warnings=("id", "size"), critical=("severity", lambda s: int((s == "critical").sum()))
    )
    i = i.join(warned, on="id")
    i[["warnings", "critical"]] = i[["warnings", "critical"]].fillna(0)
    commented = set(t["review_comments"]["interview_id"])
    i["any_override"] = i["any_override"].fillna(False).astype(bool)
    i["completed"] = i["status"] == "completed"
    i["started"] = i["started_at"].notna() | i["status"].isin(["in_progress", "completed"])
    i["no_show"] = (
        (i["status"] != "cancelled") & ~i["started"] & (i["scheduled_at"] < naive_utc(now))
    )
    i["score_pct"] = np.where(
        i["completed"] & (i["n_scored"] > 0), np.round(10 * i["mean_score"], 6), np.nan
    )
    i["reviewed"] = i["completed"] & (
        i["decision"].notna() | i["any_override"] | i["id"].isin(commented)
    )
    i["interview_at"] = i["scheduled_at"].fillna(i["started_at"]).fillna(i["created_at"])
    return i


def compute(
    t: dict[str, pd.DataFrame], threshold: float, now: datetime, limits: QuestionThresholds
) -> dict[str, pd.DataFrame]:
    s = selection(t, now)
    out: dict[str, pd.DataFrame] = {}
    scored = s[s["score_pct"].notna()].copy()
    scored["pass"] = scored["score_pct"] >= threshold
    minutes = (s["completed_at"] - s["started_at"]).dt.total_seconds() / 60
    out["headline"] = pd.DataFrame(
        [
            {
                "interviews": len(s),
                "completed": int(s["completed"].sum()),
                "scored": len(scored),
                "mean_score": scored["score_pct"].mean(),
                "pass_rate": _rate(scored["pass"]),
                "overridden": int(scored["any_override"].sum()),
                "no_shows": int(s["no_show"].sum()),
                "median_minutes": minutes[s["completed"]].median(),
            }
        ]
    )
    bins = np.minimum(np.floor(scored["score_pct"] / 10), 9) * 10
    out["score_distribution"] = (
        scored.groupby(bins).agg(interviews=("id", "size"), passed=("pass", "sum")).reset_index()
    )
    jobs = t["jobs"].set_index("id")
    templates = t["interview_templates"].set_index("id")
    groups = {
        "job": scored["job_id"].map(jobs["title"] + " — " + jobs["company"]).fillna("No job"),
        "template": scored["template_id"].map(templates["title"]).fillna("No template"),
        "type": scored["interview_type"].astype(str),
        "difficulty": scored["difficulty"].astype(str),
    }
    for dim, key in groups.items():
        g = scored.groupby(key)["score_pct"]
        out[f"score_by_{dim}"] = pd.DataFrame(
            {
                "interviews": g.size(),
                "mean": g.mean(),
                "q1": g.quantile(0.25),
                "median": g.median(),
                "q3": g.quantile(0.75),
                "min": g.min(),
                "max": g.max(),
                "pass_rate": scored.groupby(key)["pass"].mean(),
            }
        ).reset_index()
    week = scored["completed_at"].dt.to_period("W-SUN").dt.start_time
    out["score_trend"] = (
        scored.groupby(week)
        .agg(
            interviews=("id", "size"),
            mean_score=("score_pct", "mean"),
            pass_rate=("pass", "mean"),
            overridden_share=("any_override", "mean"),
        )
        .reset_index()
    )
    live = s[s["status"] != "cancelled"]
    out["funnel"] = pd.DataFrame(
        {
            "stage": ["scheduled", "started", "completed", "reviewed", "decided"],
            "interviews": [
                len(live),
                int(live["started"].sum()),
                int(live["completed"].sum()),
                int(live["reviewed"].sum()),
                int((live["completed"] & live["decision"].notna()).sum()),
            ],
        }
    )
    outcome = np.select(
        [s["completed"], s["status"] == "cancelled", s["no_show"], s["started"]],
        ["completed", "cancelled", "no-show", "started, not completed"],
        "upcoming",
    )
    out["outcomes"] = s.groupby(outcome).size().rename("interviews").reset_index()
    done = s[s["completed"] & s["started_at"].notna()]
    mins = (
        np.minimum(
            np.floor((done["completed_at"] - done["started_at"]).dt.total_seconds() / 300), 23
        )
        * 5
    )
    out["time_to_complete"] = (
        done.groupby([done["interview_type"].astype(str), mins])
        .size()
        .rename("interviews")
        .reset_index()
    )
    _activity(t, s, threshold, limits, out)
    return out


def _activity(
    t: dict[str, pd.DataFrame],
    s: pd.DataFrame,
    threshold: float,
    limits: QuestionThresholds,
    out: dict[str, pd.DataFrame],
) -> None:
    ids = s["id"]
    e = t["proctor_events"]
    e = e[e["interview_id"].isin(ids)]
    started = max(int(s["started"].sum()), 1)
    k = e.groupby(["kind", "severity"], observed=True).size().rename("events").reset_index()
    k["per_started_interview"] = k["events"] / started
    out["events_by_kind"] = k
    st = s[s["started"] & s["started_at"].notna()]
    wk = st["started_at"].dt.to_period("W-SUN").dt.start_time
    out["warning_share"] = st.groupby(wk).agg(
        started=("id", "size"), with_warnings=("warnings", lambda x: int((x > 0).sum()))
    )
    w = e[e["severity"].isin(WARNING)]
    out["warnings_over_time"] = (
        w.groupby([w["started_at"].dt.to_period("W-SUN").dt.start_time, w["kind"]], observed=True)
        .size()
        .rename("warnings")
        .reset_index()
    )
    out["most_flagged"] = (
        s[s["warnings"] > 0]
        .sort_values(["warnings", "critical", "id"], ascending=[False, False, True])
        .head(15)
    )
    with_t = s[s["template_id"].notna()].copy()
    with_t["due"] = (with_t["status"] != "cancelled") & (with_t["started"] | with_t["no_show"])
    with_t["pass"] = np.where(with_t["score_pct"].notna(), with_t["score_pct"] >= threshold, np.nan)
    tg = with_t.groupby("template_id")
    out["templates"] = pd.DataFrame(
        {
            "interviews": tg.size(),
            "completed": tg["completed"].sum(),
            "completion_rate": tg["completed"].sum() / tg["due"].sum().clip(lower=1),
            "mean_score": tg["score_pct"].mean(),
            "pass_rate": tg["pass"].mean(),
        }
    ).reset_index()
    tw = with_t["interview_at"].dt.to_period("W-SUN").dt.start_time
    out["template_trend"] = (
        with_t.groupby([tw, "template_id"])
        .agg(interviews=("id", "size"), mean_score=("score_pct", "mean"))
        .reset_index()
    )
    out["questions"] = _questions(t, s, limits)
    c = t["code_submissions"]
    c = c[c["interview_id"].isin(ids)]
    out["language_mix"] = (
        c.groupby(["language", "kind"], observed=True).size().rename("submissions").reset_index()
    )
    sub = c[c["kind"] == "submit"].sort_values("id").copy()
    sub["attempt"] = sub.groupby(["interview_id", "question_id"]).cumcount() + 1
    sub["acc_attempt"] = sub["attempt"].where(sub["verdict"] == "accepted")
    items = sub.groupby(["interview_id", "question_id"]).agg(
        language=("language", "first"),
        submits=("id", "size"),
        accepted=("verdict", lambda v: int((v == "accepted").sum())),
        tests_passed=("tests_passed", "sum"),
        tests_total=("tests_total", "sum"),
        first_accepted=("acc_attempt", "min"),
    )
    lg = items.groupby("language", observed=True)
    out["coding_pass_rates"] = pd.DataFrame(
        {
            "submits": lg["submits"].sum(),
            "accepted_share": lg["accepted"].sum() / lg["submits"].sum(),
            "tests_passed_share": lg["tests_passed"].sum() / lg["tests_total"].sum().clip(lower=1),
            "solved_share": lg["first_accepted"].apply(lambda x: x.notna().mean()),
        }
    ).reset_index()
    label = items["first_accepted"].map(
        lambda v: "never" if pd.isna(v) else ("6+" if v >= 6 else str(int(v)))
    )
    out["submits_to_accept"] = label.value_counts().rename("problems").reset_index()


def _questions(
    t: dict[str, pd.DataFrame], s: pd.DataFrame, limits: QuestionThresholds
) -> pd.DataFrame:
    r = t["interview_responses"]
    done = set(s.loc[s["completed"], "id"])
    a = r[r["interview_id"].isin(done)].copy()
    a["score_eff"] = a["override_score"].fillna(a["score"])
    a = a[a["score_eff"].notna()]
    a["question"] = a["bank_id"].fillna("text: " + a["question_text"].fillna("").str[:80])
    per = a.groupby("interview_id")["score_eff"].agg(["sum", "count"])
    a = a.join(per, on="interview_id")
    a["rest_mean"] = (a["sum"] - a["score_eff"]) / (a["count"] - 1).replace(0, np.nan)
    g = a.groupby("question")
    stats = pd.DataFrame(
        {
            "answers": g.size(),
            "mean": g["score_eff"].mean(),
            "spread": g["score_eff"].std(),
            "discrimination": g[["score_eff", "rest_mean"]].apply(
                lambda x: x["score_eff"].corr(x["rest_mean"])
            ),
        }
    ).reset_index()
    stats["flag"] = np.select(
        [
            stats["answers"] < limits.min_answers,
            stats["mean"] >= limits.too_easy_mean,
            stats["mean"] <= limits.too_hard_mean,
            stats["discrimination"].isna() | (stats["discrimination"] < limits.min_discrimination),
        ],
        ["too few answers", "too easy", "too hard", "not discriminating"],
        "ok",
    )
    return stats
