"""Read each input file once, and fingerprint the store from the very bytes that were read.

While ``recording`` is active, every project file read through ``read_bytes`` (the CSV reader uses it) is
hashed as it is read; the store records that manifest (name → sha256) and its fingerprint. A file
that changes after it was read cannot be counted as built: the next check compares the manifest with the
files now on disk, so an import that lands during a build makes the store stale instead of vanishing.
"""

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from qpv import settings
from qpv.store.schema import SCHEMA_VERSION

ABSENT = "<absent>"
STORE_PACKAGE = Path(__file__).parent


class Inputs:
    """The files read for one check or build: logical name → sha256 of the bytes read."""

    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self.files: dict[str, str] = {}

    def name(self, path: Path) -> str:
        """Name a file from the data folder (observations/x.csv), else by its file name (contours elsewhere)."""
        try:
            return path.resolve().relative_to(self.data_dir.resolve()).as_posix()
        except ValueError:
            return f"geo:{path.name}"

    def read(self, path: Path) -> bytes | None:
        """Read a file once and record its digest; None (recorded as absent) when it does not exist."""
        try:
            content = path.read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            self.files[self.name(path)] = ABSENT
            return None
        self.files[self.name(path)] = hashlib.sha256(content).hexdigest()
        return content

    def manifest(self) -> dict[str, str]:
        """Return the manifest saved in the store: name → sha256 (names, not paths: a copied folder still matches)."""
        return dict(sorted(self.files.items()))


_CURRENT: ContextVar[Inputs | None] = ContextVar("qpv_inputs", default=None)


@contextmanager
def recording(data_dir: Path) -> Iterator[Inputs]:
    """Record every file read through read_bytes while the block runs (nested calls share the outer record)."""
    current = _CURRENT.get()
    if current is not None:
        yield current
        return
    inputs = Inputs(data_dir)
    token = _CURRENT.set(inputs)
    try:
        yield inputs
    finally:
        _CURRENT.reset(token)


def read_bytes(path: Path) -> bytes | None:
    """Read a file, recording its digest when a recording is active; None when it does not exist."""
    current = _CURRENT.get()
    if current is not None:
        return current.read(path)
    try:
        return path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        return None


def build_code() -> list[Path]:
    """List the code that shapes the store: every module and SQL file of qpv/store, and the settings."""
    return sorted([*STORE_PACKAGE.glob("*.py"), *STORE_PACKAGE.glob("*.sql"), Path(settings.__file__)])


def code_digest() -> str:
    """Hash the build code and the schema version."""
    digest = hashlib.sha256(SCHEMA_VERSION.encode())
    for path in build_code():
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def fingerprint(manifest: dict[str, str]) -> str:
    """Hash a manifest (names and digests) with the build code."""
    digest = hashlib.sha256(code_digest().encode())
    for name in sorted(manifest):
        digest.update(f"{name}\0{manifest[name]}\n".encode())
    return digest.hexdigest()


def file_digest(path: Path) -> str:
    """Hash one file now on disk, ABSENT when it does not exist."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except (FileNotFoundError, NotADirectoryError):
        return ABSENT


def manifest_json(manifest: dict[str, str]) -> str:
    """Serialise a manifest for the meta table."""
    return json.dumps(manifest, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def changed(manifest: dict[str, str], listing: dict[str, Path]) -> bool:
    """Tell whether the input files now on disk (listing: name → path) differ from a manifest."""
    if set(listing) != set(manifest):
        return True
    return any(file_digest(path) != manifest[name] for name, path in listing.items())
