"""Per-language names, signatures and starter code, derived from one language-neutral signature.

Python and Ruby keep snake_case; JavaScript, Java and PHP use camelCase; C# uses PascalCase for
the method. Java and C# solutions are ``public static`` methods of a class ``Solution``.
"""

from __future__ import annotations

from core.coding.problems.model import Signature
from core.domain import CodingLanguage

_JAVA_TYPES = {
    "int": "int",
    "long": "long",
    "float": "double",
    "bool": "boolean",
    "string": "String",
}
_CS_TYPES = {"int": "int", "long": "long", "float": "double", "bool": "bool", "string": "string"}


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def pascal(name: str) -> str:
    return "".join(part.title() for part in name.split("_"))


def function_name(signature: Signature, language: CodingLanguage) -> str:
    if language in (CodingLanguage.PYTHON, CodingLanguage.RUBY):
        return signature.name
    if language is CodingLanguage.CSHARP:
        return pascal(signature.name)
    return camel(signature.name)


def java_type(type_name: str) -> str:
    base = type_name.split("[")[0]
    return _JAVA_TYPES[base] + type_name[len(base) :]


def csharp_type(type_name: str) -> str:
    base = type_name.split("[")[0]
    return _CS_TYPES[base] + type_name[len(base) :]


def signature_line(signature: Signature, language: CodingLanguage) -> str:
    """The declaration the candidate must keep, e.g. ``def two_sum(nums, target):``."""
    name = function_name(signature, language)
    params = signature.params
    match language:
        case CodingLanguage.PYTHON:
            return f"def {name}({', '.join(p.name for p in params)}):"
        case CodingLanguage.RUBY:
            return f"def {name}({', '.join(p.name for p in params)})"
        case CodingLanguage.JAVASCRIPT:
            return f"function {name}({', '.join(camel(p.name) for p in params)}) {{"
        case CodingLanguage.PHP:
            return f"function {name}({', '.join('$' + camel(p.name) for p in params)}) {{"
        case CodingLanguage.JAVA:
            args = ", ".join(f"{java_type(p.type)} {camel(p.name)}" for p in params)
            return f"public static {java_type(signature.returns)} {name}({args}) {{"
        case CodingLanguage.CSHARP:
            args = ", ".join(f"{csharp_type(p.type)} {camel(p.name)}" for p in params)
            return f"public static {csharp_type(signature.returns)} {name}({args}) {{"
    raise ValueError(f"no function signature for {language}")


def starter_code(signature: Signature, language: CodingLanguage) -> str:
    """Code the editor starts with: the signature and a body that clearly does nothing yet."""
    line = signature_line(signature, language)
    match language:
        case CodingLanguage.PYTHON:
            body = (
                '    # write your solution here\n    raise NotImplementedError("not implemented")\n'
            )
            return f"{line}\n{body}"
        case CodingLanguage.RUBY:
            body = "  # write your solution here\n"
            body += "  raise NotImplementedError, 'not implemented'\nend\n"
            return f"{line}\n{body}"
        case CodingLanguage.JAVASCRIPT:
            body = "  // write your solution here\n  throw new Error('not implemented');\n}\n"
            return f"{line}\n{body}"
        case CodingLanguage.PHP:
            body = "  // write your solution here\n  throw new Exception('not implemented');\n}\n"
            return f"<?php\n{line}\n{body}"
        case CodingLanguage.JAVA:
            return (
                "import java.util.*;\n\nclass Solution {\n    "
                f"{line}\n        // write your solution here\n"
                '        throw new UnsupportedOperationException("not implemented");\n    }\n}\n'
            )
        case CodingLanguage.CSHARP:
            return (
                "using System;\nusing System.Collections.Generic;\nusing System.Linq;\n\n"
                f"public class Solution {{\n    {line}\n        // write your solution here\n"
                '        throw new NotImplementedException("not implemented");\n    }\n}\n'
            )
    raise ValueError(f"no starter code for {language}")
