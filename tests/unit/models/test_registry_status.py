"""The registry and the status logic on small files written by the test (no models needed)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from core.config import load_settings
from core.models.registry import (
    MODELS,
    ModelFile,
    ModelSpec,
    ModelStatus,
    UrlSource,
    Variant,
    models_dir,
    parse_checksums,
    registry,
    with_overrides,
)
from core.models.status import model_report

A, B = b"alpha", b"bravo"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


SPEC = ModelSpec(
    name="toy",
    purpose="test",
    degraded_without="nothing",
    source=UrlSource("toy.bin"),
    variants=(
        Variant(
            "official",
            "ctranslate2",
            (ModelFile("toy/a.bin", _sha(A)), ModelFile("toy/b.bin", _sha(B))),
            True,
        ),
        Variant("export", "onnx", (ModelFile("toy.onnx", _sha(A)),)),
    ),
)


@pytest.mark.parametrize(
    ("files", "expected", "variant", "detail"),
    [
        ({}, ModelStatus.MISSING, "", "not downloaded"),
        ({"toy/a.bin": A, "toy/b.bin": B}, ModelStatus.VERIFIED, "official", ""),
        ({"toy/a.bin": A}, ModelStatus.PARTIAL, "official", "missing: toy/b.bin"),
        ({"toy/a.bin": A, "toy/b.bin": A}, ModelStatus.CORRUPT, "official", "mismatch"),
        ({"toy/a.bin.part": b"al"}, ModelStatus.PARTIAL, "official", "missing"),
        ({"toy.onnx": A}, ModelStatus.VERIFIED, "export", ""),  # a known local layout
        ({"toy.onnx": B}, ModelStatus.CORRUPT, "export", "toy.onnx"),
        ({"toy.onnx": A, "toy/a.bin": B}, ModelStatus.VERIFIED, "export", ""),
        ({"toy/b.bin": A, "toy.onnx": B}, ModelStatus.CORRUPT, "official", "toy/b.bin"),
    ],
)
def test_status_of_a_models_dir(
    tmp_path: Path,
    files: dict[str, bytes],
    expected: ModelStatus,
    variant: str,
    detail: str,
) -> None:
    for name, data in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    report = model_report(tmp_path, SPEC, use_cache=False)
    assert (report.status, report.variant) == (expected, variant)
    assert detail in report.detail
    if expected is ModelStatus.VERIFIED:
        entry = "toy.onnx" if variant == "export" else "toy"
        assert report.path == str(tmp_path / entry)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"{'a' * 64}  yolo11n.pt\n", {"yolo11n.pt": "a" * 64}),
        (f"{'B' * 64} *./x/y.bin\n# comment\n\n", {"x/y.bin": "b" * 64}),
        ("short  yolo11n.pt\nnot a line\n", {}),
    ],
)
def test_parse_checksums(text: str, expected: dict[str, str]) -> None:
    assert parse_checksums(text) == expected


def test_overrides_replace_only_the_named_files(tmp_path: Path) -> None:
    changed = with_overrides(MODELS, {"yolo11n.pt": "c" * 64})
    assert changed[0].download_variant.files[0].sha256 == "c" * 64
    assert changed[0].variants[1:] == MODELS[0].variants[1:] and changed[1:] == MODELS[1:]
    sums = tmp_path / "sums"
    sums.write_text(f"{'d' * 64}  faster-whisper-tiny.en/model.bin\n")
    settings = load_settings(models_checksums_file=str(sums), data_dir=tmp_path)
    whisper = registry(settings)[2].download_variant
    assert {f.path: f.sha256 for f in whisper.files}["faster-whisper-tiny.en/model.bin"] == (
        "d" * 64
    )


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [({}, "data/models"), ({"models_dir": "/srv/models"}, "/srv/models")],
)
def test_models_dir_defaults_under_the_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, overrides: dict[str, str], expected: str
) -> None:
    monkeypatch.delenv("INTERVISTA_MODELS_DIR", raising=False)
    settings = load_settings(data_dir=tmp_path / "data", **overrides)
    assert models_dir(settings) == (
        tmp_path / expected if expected.startswith("data") else Path(expected)
    )


def test_every_model_pins_a_downloadable_variant_with_sha256_sums() -> None:
    assert [m.name for m in MODELS] == ["yolo11n", "all-MiniLM-L6-v2", "faster-whisper-tiny.en"]
    for spec in MODELS:
        assert sum(v.downloadable for v in spec.variants) == 1
        for variant in spec.variants:
            assert variant.files
            assert all(len(f.sha256) == 64 for f in variant.files)
