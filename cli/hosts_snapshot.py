"""``python -m cli.hosts_snapshot``: refresh ``pricing/data/hosts-litellm.json``, litellm's Azure
prices of the models we carry (``pricing.peers.hosts``), from the installed litellm (a dev
requirement; run it after upgrading litellm and commit the file)."""

from __future__ import annotations

import importlib.metadata

from pricing.catalog import load_catalog
from pricing.peers import hosts
from pricing.peers.litellm import load_litellm


def write(path=hosts.SNAPSHOT) -> int:
    version = importlib.metadata.version("litellm")
    return hosts.write_snapshot(load_catalog(peers=False), load_litellm(), version, path)


if __name__ == "__main__":
    print(f"{hosts.SNAPSHOT}: {write()} host prices")
