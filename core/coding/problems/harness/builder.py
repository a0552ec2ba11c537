"""Build the source files of a harnessed run for one language."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from core.coding.problems.model import Signature
from core.coding.problems.naming import function_name
from core.domain import CodingLanguage

_TEMPLATES = Path(__file__).parent / "templates"
_MARK_NAME = "__INTERVISTA_NAME__"
_MARK_CALL = "/*INTERVISTA_CALL*/"


@dataclass(frozen=True)
class HarnessFiles:
    """Files for ``run_program``: ``sources`` (name -> text), the file to run, the name of the
    candidate's file (compile messages about it are the candidate's), and ``library_sources``:
    fixed harness code that is compiled once per process and put on the class path."""

    sources: dict[str, str]
    main_file: str
    candidate_file: str
    library_sources: dict[str, str] = field(default_factory=dict)


def _template(name: str) -> str:
    return (_TEMPLATES / name).read_text(encoding="utf-8")


def _java_converter(type_name: str) -> str:
    base = type_name.split("[")[0]
    depth = type_name.count("[]")
    stem = {"int": "Int", "long": "Long", "float": "Float", "bool": "Bool", "string": "String"}[
        base
    ]
    return f"to{stem}" + ("" if depth == 0 else "Array" if depth == 1 else "Array2")


def _csharp_converter(type_name: str) -> str:
    base = type_name.split("[")[0]
    depth = type_name.count("[]")
    stem = {"int": "Int", "long": "Long", "float": "Float", "bool": "Bool", "string": "Str"}[base]
    return f"To{stem}" + ("" if depth == 0 else "Array" if depth == 1 else "Array2")


def library_sources(language: CodingLanguage) -> dict[str, str]:
    """The fixed harness code a language compiles once per process (empty when none)."""
    if language is CodingLanguage.JAVA:
        return {"IntervistaLib.java": _template("IntervistaLib.java")}
    return {}


def build_harness(signature: Signature, language: CodingLanguage, code: str) -> HarnessFiles:
    """Harness + candidate files calling ``signature`` in ``language``."""
    name = function_name(signature, language)
    match language:
        case CodingLanguage.PYTHON:
            harness = _template("harness.py").replace(_MARK_NAME, name)
            return HarnessFiles({"main.py": harness, "solution.py": code}, "main.py", "solution.py")
        case CodingLanguage.JAVASCRIPT:
            harness = _template("harness.js").replace(_MARK_NAME, name)
            return HarnessFiles({"main.js": harness, "solution.js": code}, "main.js", "solution.js")
        case CodingLanguage.PHP:
            harness = _template("harness.php").replace(_MARK_NAME, name)
            files = {"main.php": harness, "solution.php": code}
            return HarnessFiles(files, "main.php", "solution.php")
        case CodingLanguage.RUBY:
            harness = _template("harness.rb").replace(_MARK_NAME, name)
            return HarnessFiles({"main.rb": harness, "solution.rb": code}, "main.rb", "solution.rb")
        case CodingLanguage.JAVA:
            args = ", ".join(
                f"IntervistaLib.{_java_converter(p.type)}(args.get({i}))"
                for i, p in enumerate(signature.params)
            )
            call = f"Solution.{name}({args})"
            harness = _template("IntervistaMain.java").replace(_MARK_CALL, call)
            files = {"IntervistaMain.java": harness, "Solution.java": code}
            library = library_sources(CodingLanguage.JAVA)
            return HarnessFiles(files, "IntervistaMain.java", "Solution.java", library)
        case CodingLanguage.CSHARP:
            args = ", ".join(
                f"{_csharp_converter(p.type)}(args[{i}])" for i, p in enumerate(signature.params)
            )
            call = f"return Solution.{name}({args});"
            harness = _template("IntervistaMain.cs").replace(_MARK_CALL, call)
            files = {"IntervistaMain.cs": harness, "Solution.cs": code}
            return HarnessFiles(files, "IntervistaMain.cs", "Solution.cs")
    raise ValueError(f"no function harness for {language}")
