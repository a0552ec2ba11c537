# ruff: noqa: E501 - the attack programs in six languages keep their natural line lengths
"""Hidden tests out of a program's reach (real bubblewrap sandbox, every language).

On Submit the examples run in a sandbox run of their own and every hidden test in another, so
code answering an example finds only the examples' inputs, however it looks: the harness's
frames, the heap, ``/proc/self/mem``, what is left on stdin, the files. A hidden test shows only
its verdict and a standard error class. A looping SQL query costs one time-out, not one per test.
"""

from __future__ import annotations

import dataclasses
import json
import time
from dataclasses import dataclass, field
from typing import Any

import pytest

from core.coding.problems.grading import grade_submission
from core.coding.problems.harness.runs import NOT_RUN_AFTER_TIMEOUT, PARALLEL_RUNS
from core.coding.problems.loader import default_bank
from core.coding.problems.model import FunctionProblem, SqlProblem
from core.coding.problems.sql_grading import SQL_RUNS
from core.coding.sandbox.bwrap import BwrapSandbox
from core.coding.sandbox.models import RunRequest, RunResult, Verdict
from core.coding.sandbox.sql import SQL_LIMITS
from core.domain import CodingLanguage

L = CodingLanguage
FIRST_EXAMPLE = '["f(a[1]) {ok}"]'  # balanced-brackets' first example, as the harness gets it
HIDDEN = ("no brackets here", "{[()()]}[]", "([{}])")  # three of its hidden inputs
# Each program, answering the first example, collects every test-like line it can find
# (``["..."]``) and raises it as that example's error, which Submit shows in full.
PATTERN = r'\["[a-z0-9 (){}\[\]]{1,40}"\]'
ATTACKS = {
    L.PYTHON: r"""import gc, os, re, sys
P = re.compile(rb'%(p)s')
def is_balanced(text):
    if text != "f(a[1]) {ok}":
        return False
    found, frame = set(), sys._getframe()
    while frame:  # the harness's frames: its list of tests
        for value in frame.f_locals.values():
            if isinstance(value, list):
                found.update(v for v in value if isinstance(v, str) and len(v) < 60)
        frame = frame.f_back
    for obj in gc.get_objects():  # every list on the heap
        if isinstance(obj, list) and obj and all(isinstance(v, str) for v in obj[:50]):
            found.update(v for v in obj if len(v) < 60 and v.startswith("["))
    for d, _, names in [*os.walk("/box"), *os.walk("/tmp"), ("/proc/self/fd", [], ["0"])]:
        for name in names:  # the files, and what is left on stdin
            try:
                found.update(m.decode() for m in P.findall(open(os.path.join(d, name), "rb").read()))
            except OSError:
                pass
    with open("/proc/self/maps") as maps, open("/proc/self/mem", "rb", 0) as mem:
        for line in maps:  # the process's own memory
            parts = line.split()
            start, end = (int(x, 16) for x in parts[0].split("-"))
            if parts[1].startswith("rw") and (len(parts) < 6 or parts[5] == "[heap]"):
                mem.seek(start)
                found.update(m.decode() for m in P.findall(mem.read(end - start)))
    raise ValueError("FOUND:" + "|".join(sorted(found))[:1900])
""",
    L.JAVASCRIPT: r"""const fs = require('fs');
const found = new Set();
const forEach = Array.prototype.forEach;  // the harness walks its tests with forEach
Array.prototype.forEach = function (...a) {
  for (const v of this.slice(0, 50)) if (typeof v === 'string') found.add(v.slice(0, 60));
  return forEach.apply(this, a);
};
const scan = (text) => { for (const m of text.match(/%(p)s/g) || []) found.add(m); };
function isBalanced(text) {
  if (text !== 'f(a[1]) {ok}') return false;
  try { scan(fs.readFileSync('/proc/self/fd/0', 'latin1')); } catch (e) {}
  const fd = fs.openSync('/proc/self/mem', 'r');
  for (const line of fs.readFileSync('/proc/self/maps', 'utf8').split('\n')) {
    const parts = line.split(/\s+/);
    if (!parts[0] || !parts[1].startsWith('rw') || (parts[5] && parts[5] !== '[heap]')) continue;
    const [start, end] = parts[0].split('-').map((x) => parseInt(x, 16));
    for (let at = start; at < end; at += 1 << 20) {
      const buffer = Buffer.alloc(Math.min(1 << 20, end - at));
      try { fs.readSync(fd, buffer, 0, buffer.length, at); } catch (e) { break; }
      scan(buffer.toString('latin1'));
    }
  }
  throw new Error('FOUND:' + [...found].sort().join('|').slice(0, 1900));
}
""",
    L.PHP: r"""<?php
function intervista_scan(string $text, array &$found): void {
    if (preg_match_all('/%(p)s/', $text, $m)) { foreach ($m[0] as $hit) { $found[$hit] = true; } }
}
function isBalanced($text) {
    if ($text !== 'f(a[1]) {ok}') { return false; }
    $found = [];
    foreach (debug_backtrace() as $frame) {  // every frame's arguments
        foreach ($frame['args'] ?? [] as $arg) { if (is_string($arg)) { $found[$arg] = true; } }
    }
    intervista_scan((string) @file_get_contents('php://stdin'), $found);
    $mem = fopen('/proc/self/mem', 'rb');
    foreach (file('/proc/self/maps') as $line) {
        $parts = preg_split('/\s+/', trim($line));
        if (!str_starts_with($parts[1], 'rw') || (($parts[5] ?? '[heap]') !== '[heap]')) { continue; }
        [$start, $end] = array_map('hexdec', explode('-', $parts[0]));
        for ($at = $start; $at < $end; $at += 1 << 20) {
            if (@fseek($mem, $at) !== 0) { break; }
            $data = @fread($mem, min(1 << 20, $end - $at));
            if (!$data) { break; }
            intervista_scan($data, $found);
        }
    }
    $keys = array_keys($found);
    sort($keys);
    throw new RuntimeException('FOUND:' . substr(implode('|', $keys), 0, 1900));
}
""",
    L.RUBY: r"""P = /%(p)s/n
def is_balanced(text)
  return false unless text == 'f(a[1]) {ok}'
  found = {}
  ObjectSpace.each_object(String) { |s| found[s.b] = true if s.bytesize < 60 && s.start_with?('[') }
  (File.read('/proc/self/fd/0', mode: 'rb') rescue '').scan(P) { |m| found[m] = true }
  File.open('/proc/self/mem', 'rb') do |mem|
    File.readlines('/proc/self/maps').each do |line|
      parts = line.split
      next unless parts[1].start_with?('rw') && (parts[5] || '[heap]') == '[heap]'
      start, stop = parts[0].split('-').map { |x| x.to_i(16) }
      (mem.seek(start); mem.read(stop - start) rescue '').to_s.b.scan(P) { |m| found[m] = true }
    end
  end
  raise ArgumentError, 'FOUND:' + found.keys.sort.join('|')[0, 1900]
end
""",
    L.JAVA: r"""import java.io.*;
import java.nio.charset.StandardCharsets;
import java.util.*;
import java.util.regex.*;
class Solution {
    static final Pattern P = Pattern.compile("%(pj)s");
    static void scan(byte[] data, int size, Set<String> found) {
        Matcher m = P.matcher(new String(data, 0, size, StandardCharsets.ISO_8859_1));
        while (m.find()) found.add(m.group());
    }
    public static boolean isBalanced(String text) throws Exception {
        if (!text.equals("f(a[1]) {ok}")) return false;
        Set<String> found = new TreeSet<>();
        try { byte[] in = new FileInputStream("/proc/self/fd/0").readAllBytes(); scan(in, in.length, found); } catch (IOException e) { }
        RandomAccessFile mem = new RandomAccessFile("/proc/self/mem", "r");
        byte[] buffer = new byte[1 << 20];
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/maps"))) {
            String[] parts = line.trim().split("\\s+"), range = parts[0].split("-");
            if (!parts[1].startsWith("rw") || (parts.length > 5 && !parts[5].equals("[heap]"))) continue;
            long start = Long.parseUnsignedLong(range[0], 16), end = Long.parseUnsignedLong(range[1], 16);
            for (long at = start; at < end; at += buffer.length) {
                int size = (int) Math.min(buffer.length, end - at);
                try { mem.seek(at); mem.readFully(buffer, 0, size); } catch (IOException e) { break; }
                scan(buffer, size, found);
            }
        }
        String all = "FOUND:" + String.join("|", found);
        throw new IllegalStateException(all.substring(0, Math.min(1900, all.length())));
    }
}
""",
    L.CSHARP: r"""using System; using System.Collections.Generic; using System.IO; using System.Text;
using System.Text.RegularExpressions;
public class Solution {
    static readonly Regex Narrow = new Regex("%(pj)s");
    static readonly Regex Wide = new Regex("\\[\\x00\"\\x00(?:[a-z0-9 (){}\\[\\]]\\x00){1,40}\"\\x00\\]\\x00");
    public static bool IsBalanced(string text) {
        if (text != "f(a[1]) {ok}") return false;
        var found = new SortedSet<string>(StringComparer.Ordinal);
        var latin = Encoding.GetEncoding("iso-8859-1");
        var buffer = new byte[1 << 20];
        using (var mem = new FileStream("/proc/self/mem", FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1)) {
            foreach (var line in File.ReadAllLines("/proc/self/maps")) {
                var parts = line.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
                if (!parts[1].StartsWith("rw") || (parts.Length > 5 && parts[5] != "[heap]")) continue;
                var range = parts[0].Split('-');
                long start = Convert.ToInt64(range[0], 16), end = Convert.ToInt64(range[1], 16);
                for (long at = start; at < end; at += buffer.Length) {
                    int read;
                    try { mem.Seek(at, SeekOrigin.Begin); read = mem.Read(buffer, 0, (int)Math.Min(buffer.Length, end - at)); }
                    catch (Exception) { break; }
                    if (read <= 0) break;
                    string chunk = latin.GetString(buffer, 0, read);  // UTF-8 bytes and UTF-16 strings
                    foreach (Match m in Narrow.Matches(chunk)) found.Add(m.Value);
                    foreach (Match m in Wide.Matches(chunk)) found.Add(m.Value.Replace("\0", ""));
                }
            }
        }
        var all = "FOUND:" + string.Join("|", found);
        throw new InvalidOperationException(all.Substring(0, Math.Min(1900, all.Length)));
    }
}
""",
}


def _attack(language: CodingLanguage) -> str:
    java_pattern = PATTERN.replace("\\", "\\\\").replace('"', '\\"')
    return ATTACKS[language] % {"p": PATTERN, "pj": java_pattern}


@dataclass
class Unhurried:
    """The real sandbox with three times the time limits: the attacks read the whole heap
    (the JVM's is hundreds of MB), which under a full parallel suite on two cores can pass
    the problem's wall limit before the attack's result is in. What is tested is what the
    attack can reach, not how fast it is."""

    inner: BwrapSandbox
    sandboxed: bool = True

    def run(self, request: RunRequest) -> RunResult:
        limits = dataclasses.replace(
            request.limits,
            cpu_seconds=request.limits.cpu_seconds * 3,
            wall_seconds=request.limits.wall_seconds * 3,
        )
        return self.inner.run(dataclasses.replace(request, limits=limits))


@pytest.mark.parametrize("language", list(ATTACKS))
def test_an_example_finds_no_hidden_input_however_it_looks(
    sandbox: Any, language: CodingLanguage
) -> None:
    result = grade_submission(
        "balanced-brackets",
        language,
        _attack(language),
        visible_only=False,
        sandbox=Unhurried(sandbox),
    )
    first = result.tests[0]
    assert first.visible and first.status == "error", result.to_dict()
    # The attack works: it found the examples' inputs (all in the examples' own run) ...
    assert "FOUND:" in (first.error or "") and FIRST_EXAMPLE in (first.error or ""), first.error
    assert '["((x)"]' in (first.error or ""), first.error
    # ... and no hidden input, anywhere in what is stored and shown.
    text = json.dumps(result.to_dict())
    assert not [h for h in HIDDEN if json.dumps(h)[1:-1] in text], first.error
    hidden = [t for t in result.tests if not t.visible]
    assert len(hidden) == 8 and all(t.args is None and t.error is None for t in hidden)


@dataclass
class Recording:
    """The real sandbox, keeping every request it was given (what entered the sandbox)."""

    inner: BwrapSandbox
    requests: list[RunRequest] = field(default_factory=list)
    sandboxed: bool = True

    def run(self, request: RunRequest) -> RunResult:
        self.requests.append(request)
        return self.inner.run(request)


def _arg_lines(request: RunRequest) -> list[Any]:
    return [json.loads(line) for line in request.stdin.decode().splitlines()[1:] if line.strip()]


@pytest.mark.parametrize("language", [L.PYTHON, L.JAVA])
def test_each_hidden_test_gets_a_run_of_its_own_and_no_expected_value(
    sandbox: Any, language: CodingLanguage
) -> None:
    problem = default_bank()["run-length-encoding"]
    recording = Recording(sandbox)
    result = grade_submission(
        "run-length-encoding",
        language,
        problem.solutions[language],
        visible_only=False,
        sandbox=recording,
    )
    assert result.verdict is Verdict.ACCEPTED, result.to_dict()
    runs = [r for r in recording.requests if r.stdin]  # Java's compilations get no stdin
    inputs = sorted(json.dumps(_arg_lines(r)) for r in runs)
    spec = problem.spec
    assert isinstance(spec, FunctionProblem)
    expected_runs = [[list(t.args) for t in spec.examples]] + [[list(t.args)] for t in spec.tests]
    assert inputs == sorted(json.dumps(i) for i in expected_runs)
    everything = b"".join(r.stdin + b"".join(r.files.values()) for r in recording.requests)
    outputs = [t.expected for t in (*spec.examples, *spec.tests) if len(t.expected) > 1]
    assert len(outputs) > 5  # "a1b2a1", "z12", ...: never sent in
    assert not [o for o in outputs if json.dumps(o).encode() in everything]


def test_a_hidden_test_shows_its_verdict_and_a_standard_error_class_only(sandbox: Any) -> None:
    code = (
        "def is_balanced(text):\n"
        "    if text == '([{}])':\n"  # a made-up class named after the input
        "        raise type('Leak_' + text.encode().hex(), (Exception,), {})(text)\n"
        "    if text == 'no brackets here':\n"
        "        print(text)\n"
        "        raise IndexError(text)\n"
        "    return text == 'f(a[1]) {ok}'\n"
    )
    result = grade_submission(
        "balanced-brackets", L.PYTHON, code, visible_only=False, sandbox=sandbox
    )
    spec = default_bank()["balanced-brackets"].spec
    assert isinstance(spec, FunctionProblem)
    hidden = {json.dumps(t.args): t for t in spec.tests}
    outcomes = [t for t in result.tests if not t.visible]
    by_input = dict(zip(hidden, outcomes, strict=True))
    assert by_input['["no brackets here"]'].error_class == "IndexError"
    assert by_input['["([{}])"]'].status == "error"
    assert by_input['["([{}])"]'].error_class is None  # not a standard class: not named
    text = json.dumps(result.to_dict())
    assert "Leak_" not in text and not [h for h in HIDDEN if h in text]
    assert all(
        t.args is None and t.expected is None and t.actual is None and t.error is None
        for t in outcomes
    )


def test_a_looping_function_costs_about_one_time_limit(sandbox: Any) -> None:
    loop = "def is_balanced(text):\n    while True:\n        pass\n"
    started = time.monotonic()
    result = grade_submission(
        "balanced-brackets", L.PYTHON, loop, visible_only=False, sandbox=sandbox
    )
    elapsed = time.monotonic() - started
    assert result.verdict is Verdict.TIME_LIMIT
    skipped = [t for t in result.tests if t.status == "not_run"]
    assert len(skipped) >= 8 - PARALLEL_RUNS, [t.status for t in result.tests]
    assert all(t.note == NOT_RUN_AFTER_TIMEOUT for t in skipped)
    cpu = default_bank()["balanced-brackets"].spec.limits.cpu_seconds
    assert elapsed < 2 * (cpu * 2 + 5), elapsed  # 9 runs one after another: far more


def test_a_looping_sql_query_costs_one_time_out(sandbox: Any) -> None:
    loop = (
        "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT COUNT(*), 1 FROM r"
    )
    started = time.monotonic()
    result = grade_submission(
        "department-headcount", L.SQL, loop, visible_only=False, sandbox=sandbox
    )
    elapsed = time.monotonic() - started
    assert result.verdict is Verdict.TIME_LIMIT, result.to_dict()
    statuses = [t.status for t in result.tests]
    assert statuses.count("time_limit") <= SQL_RUNS and "not_run" in statuses, statuses
    assert all(t.note == NOT_RUN_AFTER_TIMEOUT for t in result.tests if t.status == "not_run")
    assert elapsed < SQL_LIMITS.wall_seconds + 5, elapsed  # before: one time-out per test


def test_an_sql_example_sees_only_its_own_rows(sandbox: Any) -> None:
    problem = default_bank()["department-headcount"]
    query = "SELECT name, id FROM departments"
    result = grade_submission(
        "department-headcount", L.SQL, query, visible_only=False, sandbox=sandbox
    )
    text = json.dumps(result.to_dict())
    example_names = {row[0] for row in result.tests[0].actual or []}
    assert example_names  # what the example's data holds
    assert isinstance(problem.spec, SqlProblem)
    for test in problem.spec.tests:
        for name in {r[0] for r in test.expected_rows} - example_names:
            assert f'"{name}"' not in text, name
    assert all(t.actual is None and t.expected is None for t in result.tests if not t.visible)
