"""Query-case description without diagnosis, mirroring Swift's CaptionWriter(includeDiagnosis: false)."""


def query_description(r):
    """Takes a `subjects` row (with its stored caption) and removes the diagnosis sentence."""
    caption = r["caption"]
    start = caption.find(" Diagnosis: ")
    if start < 0:
        return caption
    end = caption.find(".", start + len(" Diagnosis: "))
    # "Diagnosis: mild cognitive impairment (MCI)." ends at the first full stop after the label.
    return caption[:start] + caption[end + 1:]
