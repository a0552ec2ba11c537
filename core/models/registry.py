"""The registry of every model the platform uses: source, pinned checksums, local layouts.

A model has one or more *variants*: sets of files that each make the model usable. The first
variant is the one ``pull`` downloads (the official files); the others are known local layouts
(the ``../shared/models`` folder) whose checksums are pinned here too, so a folder copied from
a machine that pulled the models, or laid out like ``../shared/models``, is found and verified
with no other setting. Checksums given by ``models_checksums_file`` override the pinned ones.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from core.config import Settings, SettingsError

Runtime = Literal["onnx", "pt", "sentence-transformers", "ctranslate2"]


class ModelStatus(enum.StrEnum):
    VERIFIED = "verified"  # every file of a variant is present and matches its checksum
    MISSING = "missing"  # no file of any variant is there
    CORRUPT = "corrupt"  # a file is there whose checksum does not match
    PARTIAL = "partial"  # some files (or an unfinished download) but not all


@dataclass(frozen=True)
class ModelFile:
    path: str  # relative to the models dir
    sha256: str


@dataclass(frozen=True)
class HubSource:
    """A Hugging Face repository at a pinned commit; ``subdir`` is where its files go."""

    repo_id: str
    revision: str
    subdir: str


@dataclass(frozen=True)
class UrlSource:
    """One file at ``<models_yolo_base_url>/<filename>`` (Ultralytics' release assets)."""

    filename: str


@dataclass(frozen=True)
class Variant:
    name: str
    runtime: Runtime
    files: tuple[ModelFile, ...]
    downloadable: bool = False

    @property
    def entry(self) -> str:
        """The path a loader is given: the file itself, or the folder holding the files."""
        if len(self.files) == 1 and self.runtime in ("onnx", "pt"):
            return self.files[0].path
        return self.files[0].path.split("/", 1)[0]


@dataclass(frozen=True)
class ModelSpec:
    name: str
    purpose: str
    degraded_without: str
    source: HubSource | UrlSource
    variants: tuple[Variant, ...]
    license: str = ""
    tags: tuple[str, ...] = field(default=())

    @property
    def download_variant(self) -> Variant:
        return next(v for v in self.variants if v.downloadable)


def parse_checksums(text: str) -> dict[str, str]:
    """``<sha256>  <path>`` lines (sha256sum's format; ``*`` and ``./`` prefixes allowed)."""
    sums: dict[str, str] = {}
    for line in text.splitlines():
        parts = line.strip().split(maxsplit=1)
        if len(parts) != 2 or line.lstrip().startswith("#"):
            continue
        digest, name = parts
        if len(digest) == 64 and all(c in "0123456789abcdef" for c in digest.lower()):
            sums[name.lstrip("*").removeprefix("./")] = digest.lower()
    return sums


def _files(prefix: str, sums: dict[str, str]) -> tuple[ModelFile, ...]:
    return tuple(ModelFile(f"{prefix}/{name}", digest) for name, digest in sums.items())


MINILM_REVISION = "c9745ed1d9f207416be6d2e6f8de32d1f16199bf"
WHISPER_REVISION = "0d3d19a32d3338f10357c0889762bd8d64bbdeba"
# sha256 of Ultralytics' official yolo11n.pt (release v8.3.0) as published by other projects
# that pin it; the shared folder's files are not byte-identical to it (see docs/models.md).
YOLO11N_OFFICIAL_SHA256 = "0ebbc80d4a7680d14987a577cd21342b65ecfd94632bd9a8da63ae6417644ee1"

YOLO = ModelSpec(
    name="yolo11n",
    purpose="proctoring: people, phones, books, laptops in the camera",
    degraded_without="the camera check falls back to face detection (haar): no phones or books",
    source=UrlSource("yolo11n.pt"),
    license="AGPL-3.0 (Ultralytics)",
    variants=(
        Variant("official", "pt", (ModelFile("yolo11n.pt", YOLO11N_OFFICIAL_SHA256),), True),
        # ../shared/models: ONNX exports first (onnxruntime, the lean backend), then the .pt
        Variant(
            "shared-onnx-480x640",
            "onnx",
            (
                ModelFile(
                    "yolo11n_480x640.onnx",
                    "8dd27a725805778264c8aa6b10cf1f1cf726470a5e27390f2aca6cc988b9ea0e",
                ),
            ),
        ),
        Variant(
            "shared-onnx-320",
            "onnx",
            (
                ModelFile(
                    "yolo11n_320.onnx",
                    "72353fba3cbdc106ee4c3d6a37218a053f7d2d1b20da6153b6f819c9257e6fa9",
                ),
            ),
        ),
        Variant(
            "shared-rebuilt-pt",
            "pt",
            (
                ModelFile(
                    "yolo11n-rebuilt.pt",
                    "1f8f7b51ca0da9274b85f66a5e429d7d959bd1689b74fc4c93996403b4c2e4f8",
                ),
            ),
        ),
    ),
)

EMBEDDINGS = ModelSpec(
    name="all-MiniLM-L6-v2",
    purpose="answer scoring: sentence embeddings",
    degraded_without="answers are scored by the lexical fallback",
    source=HubSource("sentence-transformers/all-MiniLM-L6-v2", MINILM_REVISION, "all-MiniLM-L6-v2"),
    license="Apache-2.0",
    variants=(
        Variant(
            "official",
            "sentence-transformers",
            _files(
                "all-MiniLM-L6-v2",
                parse_checksums(
                    """
4be450dde3b0273bb9787637cfbd28fe04a7ba6ab9d36ac48e92b11e350ffc23  1_Pooling/config.json
7dfc82496ec33f906b5b0d6750c1e2397da6530c74d1ae3568c55bc2739125e7  README.md
953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41  config.json
061ca9d39661d6c6d6de5ba27f79a1cd5770ea247f8d46412a68a498dc5ac9f3  config_sentence_transformers.json
32edcb108fc2516b920734a862ae0692bcae1c5d45d5f8d972cb0d53434a4c54  data_config.json
53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db  model.safetensors
84e40c8e006c9b1d6c122e02cba9b02458120b5fb0c87b746c41e0207cf642cf  modules.json
fc1993fde0a95c24ec6c022539d41cf6e2f7c9721e5415d6fb6897472a9cd4b7  sentence_bert_config.json
303df45a03609e4ead04bc3dc1536d0ab19b5358db685b6f3da123d05ec200e3  special_tokens_map.json
be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037  tokenizer.json
acb92769e8195aabd29b7b2137a9e6d6e25c476a4f15aa4355c233426c61576b  tokenizer_config.json
07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3  vocab.txt
"""
                ),
            ),
            True,
        ),
    ),
)

WHISPER = ModelSpec(
    name="faster-whisper-tiny.en",
    purpose="voice answers: speech to text (faster-whisper, int8 on CPU)",
    degraded_without="voice answers are stored but not transcribed (flagged for review)",
    source=HubSource("Systran/faster-whisper-tiny.en", WHISPER_REVISION, "faster-whisper-tiny.en"),
    license="MIT",
    variants=(
        Variant(
            "official",
            "ctranslate2",
            _files(
                "faster-whisper-tiny.en",
                parse_checksums(
                    """
14b1b421a90349bc551b881461426b561a874049cb9e4c4864f2ca384f6a7cc5  config.json
1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a  model.bin
929c5252409436dce1b38a75d1abbcb5e132d170d8e324e4e04ed915fa2d22df  tokenizer.json
ff77588746d3a2595d32ab5b69ffd7b95ce2441ac57533cb66fc3eb575a115cf  vocabulary.txt
"""
                ),
            ),
            True,
        ),
    ),
)

MODELS: tuple[ModelSpec, ...] = (YOLO, EMBEDDINGS, WHISPER)


def models_dir(settings: Settings) -> Path:
    """``models_dir`` or ``<data_dir>/models``, absolute."""
    return (
        Path(settings.models_dir) if settings.models_dir else settings.data_dir / "models"
    ).resolve()


def with_overrides(specs: tuple[ModelSpec, ...], sums: dict[str, str]) -> tuple[ModelSpec, ...]:
    """The specs with each file's checksum replaced where ``sums`` names its path."""
    if not sums:
        return specs

    def variant(v: Variant) -> Variant:
        files = tuple(replace(f, sha256=sums.get(f.path, f.sha256)) for f in v.files)
        return replace(v, files=files)

    return tuple(replace(s, variants=tuple(variant(v) for v in s.variants)) for s in specs)


def registry(settings: Settings) -> tuple[ModelSpec, ...]:
    """Every model, with the checksum overrides of ``models_checksums_file`` applied."""
    if not settings.models_checksums_file:
        return MODELS
    path = Path(settings.models_checksums_file)
    if not path.is_file():
        raise SettingsError(f"INTERVISTA_MODELS_CHECKSUMS_FILE: {path} is not a file")
    return with_overrides(MODELS, parse_checksums(path.read_text(encoding="utf-8")))


def find_spec(specs: tuple[ModelSpec, ...], name: str) -> ModelSpec:
    for spec in specs:
        if spec.name == name:
            return spec
    raise KeyError(name)
