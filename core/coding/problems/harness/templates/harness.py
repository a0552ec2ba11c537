# ruff: noqa: S102, S110, SIM105, SIM115, UP031, PTH100, PTH118, PTH120 - runs in the sandbox
# Intervista test harness: reads "nonce" then one JSON argument list per line from stdin,
# loads src/solution.py, calls the function once per line, writes "<nonce> <i> <json>" lines.
import json
import os
import sys
import time
import traceback


def _intervista_main(name):
    lines = sys.stdin.read().split("\n")
    nonce, tests = lines[0].strip(), [line for line in lines[1:] if line.strip()]
    sys.stdin = open(os.devnull)

    def emit(tag, payload):
        try:
            sys.stdout.flush()
        except Exception:
            pass
        os.write(1, ("\n%s %s %s\n" % (nonce, tag, json.dumps(payload))).encode())

    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "solution.py")) as handle:
        source = handle.read()
    try:
        code = compile(source, "solution.py", "exec")
    except SyntaxError as exc:
        emit("compile", {"line": exc.lineno, "message": "%s: %s" % (type(exc).__name__, exc.msg)})
        return
    namespace = {"__name__": "solution"}
    try:
        exec(code, namespace)
    except BaseException as exc:
        emit("load", {"error": "".join(traceback.format_exception_only(type(exc), exc)).strip()})
        return
    function = namespace.get(name)
    if not callable(function):
        emit("load", {"error": "function %s is not defined" % name})
        return
    sys.setrecursionlimit(20000)
    for index, line in enumerate(tests):
        args = json.loads(line)
        start = time.perf_counter()
        try:
            value = function(*args)
            ms = (time.perf_counter() - start) * 1000
            payload = {"ok": True, "ms": ms, "value": value}
            json.dumps(payload)  # not JSON-serialisable: reported as this test's error
        except BaseException as exc:
            ms = (time.perf_counter() - start) * 1000
            frames = [
                f for f in traceback.extract_tb(exc.__traceback__) if f.filename == "solution.py"
            ]
            where = " (line %d)" % frames[-1].lineno if frames else ""
            message = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            payload = {"ok": False, "ms": ms, "error": message[:2000] + where}
            if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                emit(str(index), payload)
                raise
        emit(str(index), payload)


_intervista_main("__INTERVISTA_NAME__")
