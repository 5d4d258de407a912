"""The provider files of a data folder: the ``PROVIDERS`` manifest that lists them (so a file
gone missing is an error, in a checkout, an archive and an install alike), and reading one file
(``load_provider_file``: parsed and validated against ``pricing.schema``, or ``PriceDataError``
naming the file, the model, the price entry and the field)."""

from __future__ import annotations

from pathlib import Path

from pricing import datafile
from pricing.errors import PriceDataError
from pricing.schema import ProviderFile

PRICE_FILE_ITEMS = {
    "models": datafile.named(
        "model", "id", inner={"prices": datafile.named("price entry", "effective")}
    )
}
"""How a price file's problems name the model and the price entry they are in."""


def load_provider_file(path: Path) -> ProviderFile:
    """Parse and validate one provider file, or raise ``PriceDataError`` naming what is wrong."""
    return datafile.load(path, ProviderFile, PriceDataError, items=PRICE_FILE_ITEMS, decimal=True)


MANIFEST = "PROVIDERS"
"""The file in a data directory that lists its provider files (see ``provider_files``)."""


def _listed(folder: Path) -> list[str] | None:
    """The file names ``folder/PROVIDERS`` lists (comments and blank lines skipped), or None
    when the folder has no manifest."""
    manifest = folder / MANIFEST
    try:
        text = manifest.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise PriceDataError(f"{MANIFEST}: cannot be read in {folder}: {exc}") from None
    names = [line.split("#", 1)[0].strip() for line in text.splitlines()]
    return [name for name in names if name]


def missing_provider_files(data_dir: Path | str) -> list[str]:
    """Provider files ``data_dir/PROVIDERS`` lists that are not on disk (deleted by accident,
    or lost from an install); empty for a folder without the manifest."""
    folder = Path(data_dir)
    listed = _listed(folder) or []
    return sorted(name for name in listed if not (folder / name).is_file())


def provider_files(data_dir: Path | str) -> list[Path]:
    """The provider files of ``data_dir``, or ``PriceDataError`` naming what is wrong.

    The rule for "a provider file is missing": the shipped folder lists its files in
    ``PROVIDERS``, so the check works in a git checkout, an unpacked archive and an installed
    package alike. A listed file that is absent or empty is an error, and so is a ``*.toml``
    that is not listed (it would otherwise be loaded or lost depending on the copy). A folder
    without the manifest (a test's or a user's own table) loads every ``*.toml`` in it.
    """
    folder = Path(data_dir)
    found = sorted(folder.glob("*.toml"))
    listed = _listed(folder)
    if listed is None:
        if not found:
            raise PriceDataError(f"no price files (*.toml) in {folder}")
        return found
    missing = missing_provider_files(folder)
    if missing:
        files = ", ".join(missing)
        raise PriceDataError(
            f"{files}: provider file{'s' if len(missing) > 1 else ''} missing from {folder} "
            f"(listed in {MANIFEST}): its models would silently drop out of every table. "
            f"Restore it (`git checkout -- {' '.join('pricing/data/' + m for m in missing)}`, "
            f"or reinstall), or delete its line from {MANIFEST} to drop the provider on purpose."
        )
    unlisted = [p.name for p in found if p.name not in listed]
    if unlisted:
        raise PriceDataError(
            f"{', '.join(unlisted)}: provider file not listed in {folder / MANIFEST}: add its "
            "name there to load it"
        )
    for name in listed:
        path = folder / name
        if path.stat().st_size == 0 or not path.read_bytes().strip():
            raise PriceDataError(f"{name}: provider file is empty ({folder})")
    return [folder / name for name in sorted(listed)]
