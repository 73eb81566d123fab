"""File digests recorded in training logs, manifests and golden files."""
import hashlib


def sha256_file(path):
    """Hex SHA-256 of a file, read in 4 MiB chunks (cohort databases run to hundreds of MB)."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(4 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
