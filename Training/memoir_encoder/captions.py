"""Query-case description, mirroring Swift's QueryDescription.text (CaptionWriter without diagnosis and CDR-SB)."""
import re

_DIAGNOSIS = re.compile(r" Diagnosis: [^.]*\([^)]*\)\.")
# CDR-SB all but states the diagnosis, so the query case never shows it (Swift sets it to nil).
_CDRSB = re.compile(r" CDR-SB (is [0-9.]+ of 18|was not recorded)\.")


def query_description(r):
    """Takes a `subjects` row (with its stored caption) and removes the diagnosis and CDR-SB sentences."""
    return _CDRSB.sub("", _DIAGNOSIS.sub("", r["caption"]))
