"""Host-side scratch directories for one run: the program's input files and its stdin."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path, PurePosixPath


def _safe_relative(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ValueError(f"unsafe file name for the sandbox: {name!r}")
    return path


@contextmanager
def scratch_dir(files: Mapping[str, bytes], stdin: bytes) -> Iterator[Path]:
    """A temporary dir holding ``src/<files>`` (world-readable, read-only) and ``stdin``.

    Removed afterwards. Runs on the calling thread.
    """
    root = Path(tempfile.mkdtemp(prefix="intervista-run-"))
    try:
        root.chmod(0o755)
        src = root / "src"
        src.mkdir(mode=0o755)
        for name, content in files.items():
            target = src / _safe_relative(name)
            target.parent.mkdir(mode=0o755, parents=True, exist_ok=True)
            target.write_bytes(content)
            target.chmod(0o644)
        (root / "stdin").write_bytes(stdin)
        (root / "stdin").chmod(0o644)
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)
