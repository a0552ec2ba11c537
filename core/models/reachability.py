"""Can the model sources be reached from here? A quick answer before a first-start pull, so an
offline machine says so in seconds instead of retrying downloads for a minute."""

from __future__ import annotations

import logging
import os
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import httpx

from core.config import Settings
from core.models.registry import HubSource, ModelSpec, registry

logger = logging.getLogger(__name__)

HUB_DEFAULT = "https://huggingface.co"
TIMEOUT_SECONDS = 3.0


def hub_endpoint() -> str:
    return os.environ.get("HF_ENDPOINT") or HUB_DEFAULT


def source_url(spec: ModelSpec, settings: Settings) -> str:
    """The host a model comes from (what is checked)."""
    if isinstance(spec.source, HubSource):
        return hub_endpoint()
    parts = urlsplit(settings.models_yolo_base_url)
    return f"{parts.scheme}://{parts.netloc}"


def reachable(url: str, timeout: float = TIMEOUT_SECONDS) -> bool:
    """True when the host answers HTTP at all (any status); False on no route, DNS failure,
    refusal or timeout."""
    try:
        httpx.head(url, timeout=timeout, follow_redirects=False)
    except httpx.HTTPError as exc:
        logger.info("%s is not reachable: %s", url, exc)
        return False
    return True


def reachable_models(settings: Settings, names: list[str]) -> dict[str, bool]:
    """For each model name, whether its source answers (the hosts are asked in parallel)."""
    specs = {s.name: s for s in registry(settings)}
    urls = {name: source_url(specs[name], settings) for name in names}
    distinct = sorted(set(urls.values()))
    with ThreadPoolExecutor(max_workers=max(1, len(distinct))) as pool:
        answers = dict(zip(distinct, pool.map(reachable, distinct), strict=True))
    return {name: answers[url] for name, url in urls.items()}
