"""What the candidate sees after Run, Submit and Run with my input.

Every value that came from the candidate's program (outputs, errors, prints) is shown with
``st.code`` (monospace, never HTML) or in a table; hidden tests show only their verdicts.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd
import streamlit as st

from core.coding.custom_run import CustomRunResult
from core.coding.problems.harness.runs import NOT_RUN_AFTER_TIMEOUT
from core.ui.format import md_escape

STATUS_LABELS = {
    "passed": "passed ✓",
    "failed": "wrong answer ✗",
    "error": "runtime error ✗",
    "time_limit": "time limit exceeded ✗",
    "memory_limit": "memory limit exceeded ✗",
    "output_limit": "output limit exceeded ✗",
    "not_run": "not run",
    "compile_error": "compile error ✗",
    "ok": "finished ✓",
}
VERDICT_LABELS = {
    "accepted": "Accepted",
    "wrong_answer": "Wrong answer",
    "time_limit": "Time limit exceeded",
    "memory_limit": "Memory limit exceeded",
    "runtime_error": "Runtime error",
    "compile_error": "Compile error",
    "output_limit": "Output limit exceeded",
    "sandbox_error": "Run rejected: its report was tampered with",
}
SHOWN_CHARS = 4000
_CLASS_NAME = re.compile(r"[A-Za-z_][\w: -]{0,80}")


def candidate_zone() -> tuple[ZoneInfo, bool]:
    """The browser's time zone (``st.context.timezone``), or UTC and False when unknown."""
    name = getattr(st.context, "timezone", None)
    if name:
        try:
            return ZoneInfo(str(name)), True
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return ZoneInfo("UTC"), False


def clock_time(value: datetime) -> str:
    """A time of day in the candidate's zone, naming the zone (UTC said plainly when the
    browser did not tell us its zone)."""
    zone, known = candidate_zone()
    when = value if value.tzinfo else value.replace(tzinfo=UTC)
    text = f"{when.astimezone(zone):%H:%M:%S}"
    return f"{text} ({zone.key})" if known else f"{text} UTC (your time zone is unknown)"


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "\n… (truncated)"


def _block(title: str, text: str) -> None:
    st.caption(title)  # our own label
    cut = text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "\n… (truncated)"
    st.code(cut, language=None)  # the program's text: monospace, never HTML


def _measures(data: Mapping[str, Any]) -> str:
    parts = []
    if data.get("wall_seconds"):
        parts.append(f"ran in {float(data['wall_seconds']):.2f} s")
    if data.get("cpu_seconds"):
        parts.append(f"CPU {float(data['cpu_seconds']):.2f} s")
    if data.get("peak_memory_kb"):
        parts.append(f"memory {int(data['peak_memory_kb']) / 1024:.0f} MB")
    if data.get("signal"):
        parts.append(f"killed by signal {data['signal']}")
    elif data.get("exit_code") is not None:
        parts.append(f"exit status {data['exit_code']}")
    text = " · ".join(parts)
    return text[:1].upper() + text[1:]


def compile_errors(data: Mapping[str, Any], *, headline: bool = True) -> None:
    messages = data.get("compile_errors") or []
    if headline:
        st.error("Compile error: your code did not compile. The lines are marked in the editor.")
    else:
        st.caption("Your code did not compile; the lines are marked in the editor.")
    for message in messages if isinstance(messages, Sequence) else []:
        line, column = message.get("line"), message.get("column")
        where = f"Line {line}" + (f", column {column}" if column else "") + ": " if line else ""
        st.code(f"{where}{message.get('message', '')}", language=None)
    if data.get("compile_output"):
        _block("Compiler output", str(data["compile_output"]))


def editor_annotations(data: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """Ace gutter marks for the compile errors of a result (rows count from 0)."""
    if not data or not data.get("compile_errors"):
        return []
    return [
        {
            "row": int(m["line"]) - 1,
            "column": max(0, int(m.get("column") or 1) - 1),
            "type": "error",
            "text": str(m.get("message", ""))[:500],
        }
        for m in data["compile_errors"]
        if m.get("line")
    ]


def graded_results(results: Mapping[str, Any], *, kind: str, at: datetime) -> None:
    """A stored Run or Submit: verdict and counts, every example in full, hidden verdicts."""
    verdict = str(results.get("verdict", ""))
    passed, total = results.get("passed", 0), results.get("total", 0)
    st.caption(f"Last {kind} at {clock_time(at)}")
    summary = f"{VERDICT_LABELS.get(verdict, verdict)}: {passed} of {total} tests passed"
    show = {"accepted": st.success, "compile_error": st.error}.get(verdict, st.warning)
    show(summary)
    if results.get("sandboxed") is False:
        st.error("This server runs code WITHOUT a sandbox (development setting).")
    if verdict == "compile_error":
        compile_errors(results, headline=False)
    tests = [t for t in results.get("tests") or [] if isinstance(t, Mapping)]
    examples = [t for t in tests if t.get("visible")]
    for number, test in enumerate(examples, start=1):
        _example(number, test, results)
    hidden = [t for t in tests if not t.get("visible")]
    if hidden:
        ok = sum(1 for t in hidden if t.get("status") == "passed")
        st.markdown(f"**Hidden tests: {ok} of {len(hidden)} passed** (their data stays hidden)")
        rows = [
            {"Hidden test": n, "Result": hidden_result(t)} for n, t in enumerate(hidden, start=1)
        ]
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    if results.get("visible_only"):
        if results.get("stdout_excerpt"):
            _block("Output (stdout)", str(results["stdout_excerpt"]))
        if results.get("stderr_excerpt"):
            _block("Errors (stderr)", str(results["stderr_excerpt"]))
    else:
        st.caption(
            "Printed output is shown after Run only; hidden tests show their verdicts only."
        )
    if measures := _measures(results):
        st.caption(measures)
    for note in results.get("notes") or [] if _examples_apart(results) else []:
        st.caption(md_escape(str(note)))  # the examples' run (no hidden input); may echo output


def _examples_apart(results: Mapping[str, Any]) -> bool:
    """Did the examples run without any hidden input in reach (a Run, or a Submit graded with
    the examples in a run of their own)? Results stored before that say nothing."""
    return bool(results.get("visible_only") or results.get("examples_run_apart"))


def hidden_result(test: Mapping[str, Any]) -> str:
    """A hidden test's line: its verdict, a standard error class or our own note — nothing
    the program wrote (no input, expected or actual value, message or output)."""
    status = str(test.get("status", ""))
    label = STATUS_LABELS.get(status, "?")
    kind = test.get("error_class")
    if status == "error" and isinstance(kind, str) and _CLASS_NAME.fullmatch(kind):
        return f"runtime error: {kind} ✗"
    if status == "not_run" and test.get("note") == NOT_RUN_AFTER_TIMEOUT:
        return NOT_RUN_AFTER_TIMEOUT
    return label


def _example(number: int, test: Mapping[str, Any], results: Mapping[str, Any]) -> None:
    status = str(test.get("status", ""))
    label = f"Example {number}: {STATUS_LABELS.get(status, status)}"
    with st.expander(label, expanded=status not in ("passed", "not_run")):
        args = test.get("args")
        if args is None:
            st.caption("Input: the example's tables (shown with the problem)")
        else:
            _block("Input", "\n".join(_shown(a) for a in args))
        _block("Expected output", _shown(test.get("expected")))
        if not _examples_apart(results) and status != "passed":
            # Stored before the examples ran apart: their output could hold hidden inputs.
            st.caption("Press Run examples to see your output and any error for this example.")
            return
        if status in ("passed", "failed"):
            _block("Your output", _shown(test.get("actual")))
        if test.get("error"):
            _block("Error", str(test["error"]))
        if test.get("stdout"):
            _block("Printed (stdout)", str(test["stdout"]))
        if test.get("time_ms") is not None:
            ms = float(test["time_ms"])
            st.caption(f"{ms:.1f} ms" if ms >= 0.1 else "under 0.1 ms")


def _unique(names: Sequence[str]) -> list[str]:
    """Column names a table can show (``SELECT a, a`` gives two columns named ``a``)."""
    seen: dict[str, int] = {}
    unique = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        unique.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return unique


def custom_result(result: CustomRunResult, *, at: datetime) -> None:
    """The outcome of Run with my input: no verdict against expected values, only facts."""
    st.caption(f"Ran on your input at {clock_time(at)}")
    if not result.sandboxed:
        st.error("This server runs code WITHOUT a sandbox (development setting).")
    if result.status == "compile_error":
        compile_errors(
            {
                "compile_errors": [
                    {"line": m.line, "column": m.column, "message": m.message}
                    for m in result.compile_errors
                ],
                "compile_output": result.compile_output,
            }
        )
    elif result.status == "ok":
        st.success("Your code ran to the end.")
        if result.columns:
            st.dataframe(
                pd.DataFrame([list(r) for r in result.rows], columns=_unique(result.columns)),
                hide_index=True,
            )
            if result.row_count > len(result.rows):
                st.caption(f"The first {len(result.rows)} of {result.row_count} rows.")
        elif result.language != "SQL":
            _block("Returned value", result.value)
        else:
            st.caption("The query returned no columns.")
    else:
        st.error(f"Your code did not finish: {STATUS_LABELS.get(result.status, result.status)}")
        if result.error:
            _block("Error", result.error)
    if result.stdout:
        _block("Output (stdout)", result.stdout)
    if result.stderr:
        _block("Errors (stderr)", result.stderr)
    fields = {
        "wall_seconds": result.wall_seconds,
        "cpu_seconds": result.cpu_seconds,
        "peak_memory_kb": result.peak_memory_kb,
        "exit_code": result.exit_code,
        "signal": result.signal,
    }
    if measures := _measures(fields):
        st.caption(measures)


def queue_label(position: int, running: str) -> str:
    """The status line while a run waits for a free sandbox slot (``position`` 1 = next;
    0 = running now: ``running``)."""
    if position <= 0:
        return running
    if position == 1:
        return "Waiting for a free runner — you are next (the server is busy)…"
    return f"Waiting for a free runner — {position - 1} ahead of you (the server is busy)…"
