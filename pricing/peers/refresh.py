"""``tokenbudget refresh``: the newest genai-prices data, fetched when asked and kept as a dated
snapshot in the user's cache folder (``pricing.peers.layer.snapshot_dir``), which the app and the
command line use from then on.

The fetch is genai-prices' own update mechanism (``genai_prices.update_prices.UpdatePrices``:
its URL, its HTTP client and timeouts, its background task and its parser), with one addition:
the payload it parsed is kept, so it can be saved. Nothing is written unless genai-prices parsed
the payload; a failed fetch (offline, a proxy page, a bad payload) changes nothing. Nothing calls
this unless a user runs the command.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pricing.peers import PeerError
from pricing.peers.layer import SNAPSHOT_PREFIX, providers_raw_to_objects, snapshot_dir


class RefreshError(PeerError):
    """The newest data could not be fetched or saved; nothing was changed."""


@dataclass(frozen=True)
class Refreshed:
    path: Path
    providers: int
    models: int
    url: str


def _updater_class():
    """A genai-prices ``UpdatePrices`` that keeps the payload its fetch parsed."""
    from genai_prices import data_snapshot, update_prices

    class Recording(update_prices.UpdatePrices):
        payload: bytes | None = None

        def fetch(self):  # genai-prices' own fetch (update_prices.py), keeping the bytes
            response = update_prices.httpx2.get(self.url, timeout=self.request_timeout)
            response.raise_for_status()
            raw = json.loads(response.content)
            if not isinstance(raw, list):
                raise ValueError("expected the prices payload to be a provider array")
            providers = providers_raw_to_objects(raw)
            Recording.payload = response.content
            return data_snapshot.DataSnapshot(providers, from_auto_update=True)

    return Recording, update_prices.DEFAULT_UPDATE_URL, data_snapshot


def default_url() -> str:
    try:
        return _updater_class()[1]
    except ImportError:
        return "(genai-prices is not installed)"


def _reason(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text[:160]}" if text else type(exc).__name__


def refresh(url: str | None = None, timeout: float = 30.0, now: dt.datetime | None = None):
    """Fetch, check and save the newest genai-prices data; ``RefreshError`` (one line) when it
    cannot, with nothing changed."""
    try:
        recording, default, data_snapshot = _updater_class()
    except ImportError as exc:
        raise RefreshError(f"genai-prices cannot be loaded ({_reason(exc)})") from None
    url = url or default
    recording.payload = None
    updater = recording(url=url, update_interval=24 * 3600)
    # genai-prices logs a failed fetch; with no logging set up Python would print it as a second
    # line beside ours. A handler of our own keeps it in the log for whoever configured one.
    log = logging.getLogger("genai-prices")
    quiet = logging.NullHandler()
    log.addHandler(quiet)
    try:
        updater.start()
        fetched = updater.wait(timeout)
    except Exception as exc:
        raise RefreshError(
            f"cannot fetch {url} ({_reason(exc)}): offline? nothing was changed"
        ) from None
    finally:
        updater.stop()
        log.removeHandler(quiet)
        data_snapshot.set_custom_snapshot(None)  # this process keeps the layer's own choice
    payload = recording.payload
    if not fetched or payload is None:
        raise RefreshError(f"no answer from {url} within {timeout:g} s: nothing was changed")
    providers = providers_raw_to_objects(json.loads(payload))
    when = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    folder = snapshot_dir()
    target = folder / f"{SNAPSHOT_PREFIX}{when:%Y%m%dT%H%M%SZ}.json"
    partial: str | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, suffix=".part", delete=False) as handle:
            partial = handle.name
            handle.write(payload)
        os.replace(partial, target)
    except OSError as exc:
        if partial is not None:
            Path(partial).unlink(missing_ok=True)
        raise RefreshError(f"cannot save the snapshot in {folder}: {exc.strerror}") from None
    return Refreshed(target, len(providers), sum(len(p.models) for p in providers), url)
