"""Which release of coopdash a server runs: DJANGO_RELEASE, or a fingerprint of its code.

The release is part of every page-cache key, so that during a rolling upgrade a server still
on the old templates never stores a page that the upgraded servers would serve, nor the
reverse. The fingerprint covers what renders pages: the Python code, templates, static
files and translations, not the data.
"""

import hashlib
from pathlib import Path

KINDS = {".py", ".html", ".css", ".js", ".svg", ".mo", ".json"}


def fingerprint(*folders):
    """A short hash of the files of `folders` (their paths and contents)."""
    digest = hashlib.sha256()
    for folder in folders:
        folder = Path(folder)
        for path in sorted(p for p in folder.rglob("*") if p.suffix in KINDS and p.is_file()):
            if "fixtures" in path.relative_to(folder).parts or "__pycache__" in path.parts:
                continue
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]
