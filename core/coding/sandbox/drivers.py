"""Language drivers: how to compile and run a program in each language inside the sandbox.

Paths are relative to the sandbox working directory: sources live in ``src/``, compiled
artifacts are copied into ``src/app/`` for the run step. Runtime versions are those of Debian 12
(see docs/sandbox.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from core.coding.sandbox.models import Limits
from core.domain import CodingLanguage

JAVA_HOME = "/usr/lib/jvm/java-17-openjdk-amd64"
JVM_FLAGS = (
    "-Xshare:auto",
    "-XX:TieredStopAtLevel=1",
    "-XX:+UseSerialGC",
    "-XX:ReservedCodeCacheSize=32m",
    "-XX:CompressedClassSpaceSize=64m",
    "-XX:MaxMetaspaceSize=128m",
    "-Xss8m",
)
JS_PRELOAD = """'use strict';
// Intervista: console.assert throws, so a failed assertion fails the run instead of printing.
console.assert = function intervistaAssert(condition, ...data) {
  if (!condition) {
    throw new Error('Assertion failed' + (data.length ? ': ' + data.join(' ') : ''));
  }
};
"""
CS_LISTENER = """namespace IntervistaHarness {
public sealed class ThrowingTraceListener : System.Diagnostics.TraceListener {
  public override void Write(string message) {}
  public override void WriteLine(string message) {}
  public override void Fail(string message) {
    throw new System.Exception("Assertion failed " + message);
  }
  public override void Fail(string message, string detail) { Fail(message + " " + detail); }
}
}
"""
CS_CONFIG = """<?xml version="1.0" encoding="utf-8"?>
<configuration><system.diagnostics><trace autoflush="true"><listeners><clear/>
<add name="intervista" type="IntervistaHarness.ThrowingTraceListener, prog"/>
</listeners></trace></system.diagnostics></configuration>
"""


@dataclass(frozen=True)
class CompileDiagnostic:
    """One compiler message with its position in the candidate's file."""

    file: str
    line: int
    column: int | None
    message: str


class LanguageDriver(Protocol):
    """How one language is compiled (optional) and run inside the sandbox."""

    language: CodingLanguage
    compiled: bool
    memory_markers: tuple[str, ...]

    def main_file(self, code: str) -> str: ...

    def support_files(self) -> dict[str, str]: ...

    def compile_command(self) -> str | None: ...

    def run_files(self) -> dict[str, str]: ...

    def run_argv(self, main_file: str) -> tuple[str, ...]: ...

    def limits(self, base: Limits) -> Limits: ...

    def parse_diagnostics(self, output: str) -> list[CompileDiagnostic]: ...


class _Interpreted:
    compiled = False
    extension = ""

    def main_file(self, code: str) -> str:
        return f"main.{self.extension}"

    def support_files(self) -> dict[str, str]:
        return {}

    def compile_command(self) -> str | None:
        return None

    def run_files(self) -> dict[str, str]:
        return {}

    def limits(self, base: Limits) -> Limits:
        return base

    def parse_diagnostics(self, output: str) -> list[CompileDiagnostic]:
        return []


class PythonDriver(_Interpreted):
    language = CodingLanguage.PYTHON
    extension = "py"
    memory_markers: tuple[str, ...] = ("MemoryError",)

    def run_argv(self, main_file: str) -> tuple[str, ...]:
        return ("/usr/bin/python3", "-I", "-B", f"src/{main_file}")


class JavaScriptDriver(_Interpreted):
    language = CodingLanguage.JAVASCRIPT
    extension = "js"
    memory_markers: tuple[str, ...] = (
        "heap out of memory",
        "Allocation failed",
        "Invalid array length",
    )

    def support_files(self) -> dict[str, str]:
        return {"intervista_preload.js": JS_PRELOAD}

    def run_argv(self, main_file: str) -> tuple[str, ...]:
        return (
            "/usr/bin/node",
            "--max-old-space-size=256",
            "-r",
            "./src/intervista_preload.js",
            f"src/{main_file}",
        )

    def limits(self, base: Limits) -> Limits:
        # V8 reserves large virtual ranges; the heap itself is capped by --max-old-space-size.
        return base.with_overrides(memory_mb=max(base.memory_mb, 2048))


class PhpDriver(_Interpreted):
    language = CodingLanguage.PHP
    extension = "php"
    memory_markers: tuple[str, ...] = ("Allowed memory size", "Out of memory")

    def run_argv(self, main_file: str) -> tuple[str, ...]:
        return (
            "/usr/bin/php8.2",
            "-n",
            "-d",
            "memory_limit=256M",
            "-d",
            "display_errors=stderr",
            "-d",
            "error_reporting=E_ALL",
            f"src/{main_file}",
        )


class RubyDriver(_Interpreted):
    language = CodingLanguage.RUBY
    extension = "rb"
    memory_markers: tuple[str, ...] = ("NoMemoryError", "failed to allocate memory")

    def run_argv(self, main_file: str) -> tuple[str, ...]:
        return ("/usr/bin/ruby3.1", f"src/{main_file}")


class JavaDriver:
    language = CodingLanguage.JAVA
    compiled = True
    memory_markers: tuple[str, ...] = ("OutOfMemoryError",)
    _diagnostic = re.compile(
        r"^src/(?P<file>[^:\n]+\.java):(?P<line>\d+): (?:error|warning): (?P<msg>.*)$", re.M
    )

    def main_file(self, code: str) -> str:
        match = re.search(r"public\s+(?:final\s+|abstract\s+)*class\s+([A-Za-z_]\w*)", code)
        return f"{match.group(1) if match else 'Main'}.java"

    def support_files(self) -> dict[str, str]:
        return {}

    def compile_command(self) -> str:
        flags = " ".join(f"-J{flag}" for flag in JVM_FLAGS if not flag.startswith("-Xss"))
        return (
            f"{JAVA_HOME}/bin/javac {flags} -J-Xmx512m -proc:none -encoding UTF-8 -nowarn "
            "-Xmaxerrs 50 -cp src/lib -d out src/*.java"
        )

    def run_files(self) -> dict[str, str]:
        return {}

    def run_argv(self, main_file: str) -> tuple[str, ...]:
        main_class = main_file.removesuffix(".java")
        return (f"{JAVA_HOME}/bin/java", *JVM_FLAGS, "-Xmx256m", "-cp", "src/app", main_class)

    def limits(self, base: Limits) -> Limits:
        return base.with_overrides(
            memory_mb=max(base.memory_mb, 2048), processes=max(base.processes, 128)
        )

    def parse_diagnostics(self, output: str) -> list[CompileDiagnostic]:
        return [
            CompileDiagnostic(m["file"], int(m["line"]), None, m["msg"].strip())
            for m in self._diagnostic.finditer(output)
        ]


class CSharpDriver:
    language = CodingLanguage.CSHARP
    compiled = True
    memory_markers: tuple[str, ...] = ("OutOfMemoryException",)
    _diagnostic = re.compile(
        r"^src/(?P<file>[^(\n]+\.cs)\((?P<line>\d+),(?P<col>\d+)\): error (?P<msg>.*)$", re.M
    )

    def main_file(self, code: str) -> str:
        return "Main.cs"

    def support_files(self) -> dict[str, str]:
        return {"IntervistaTraceListener.cs": CS_LISTENER}

    def compile_command(self) -> str:
        return (
            "/usr/bin/env MONO_GC_PARAMS=max-heap-size=512m "
            "/usr/bin/mono /usr/lib/mono/4.5/mcs.exe -d:DEBUG -r:System.Numerics.dll "
            "-nowarn:168,219,414,649,1998 -out:out/prog.exe src/*.cs"
        )

    def run_files(self) -> dict[str, str]:
        return {"app/prog.exe.config": CS_CONFIG}

    def run_argv(self, main_file: str) -> tuple[str, ...]:
        return (
            "/usr/bin/env",
            "MONO_GC_PARAMS=max-heap-size=256m",
            "/usr/bin/mono",
            "src/app/prog.exe",
        )

    def limits(self, base: Limits) -> Limits:
        return base.with_overrides(memory_mb=max(base.memory_mb, 2048))

    def parse_diagnostics(self, output: str) -> list[CompileDiagnostic]:
        return [
            CompileDiagnostic(m["file"], int(m["line"]), int(m["col"]), m["msg"].strip())
            for m in self._diagnostic.finditer(output)
        ]


DRIVERS: dict[CodingLanguage, LanguageDriver] = {
    driver.language: driver
    for driver in (
        PythonDriver(),
        JavaScriptDriver(),
        JavaDriver(),
        PhpDriver(),
        RubyDriver(),
        CSharpDriver(),
    )
}


def get_driver(language: CodingLanguage) -> LanguageDriver:
    """The driver for a programming language (SQL has its own runner, see ``sql.py``)."""
    try:
        return DRIVERS[language]
    except KeyError:
        raise ValueError(f"no program driver for {language}") from None
