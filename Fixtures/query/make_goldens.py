"""Writes descriptions.json: Training/memoir_encoder/captions.query_description of each caption in captions.json.

captions.json comes from Swift (QueryDescriptionParityTests with MEMOIR_UPDATE_QUERY_GOLDENS=1); the Swift test
checks that QueryDescription.text gives these same strings. Run: python3 Fixtures/query/make_goldens.py
"""
import json
import pathlib
import sys

here = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(here.parent.parent / "Training"))
from memoir_encoder.captions import query_description  # noqa: E402

captions = json.loads((here / "captions.json").read_text())
descriptions = [query_description({"caption": c}) for c in captions]
(here / "descriptions.json").write_text(json.dumps(descriptions, indent=2, ensure_ascii=False) + "\n")
print(f"{len(descriptions)} descriptions written")
