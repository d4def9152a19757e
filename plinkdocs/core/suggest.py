""""Did you mean": the closest of a set of known words to one that is not known.

One helper for every place that knows the allowed values: schema enumerations and keys,
region and Availability Zone ids, configuration keys and rule ids."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(word: object, candidates: Iterable[object], cutoff: float = 0.6) -> str | None:
    """The candidate closest to `word`, or None when none is close enough.

    A candidate that starts or ends with the word (`az` -> `az_id`) or differs from it only in
    case, `-` and `_` counts as close even when difflib's ratio is low."""
    text = str(word)
    pool = list(dict.fromkeys(str(c) for c in candidates))
    if not text or not pool or text in pool:
        return None

    def squash(s: str) -> str:
        return s.lower().replace("-", "").replace("_", "")

    same = [c for c in pool if squash(c) == squash(text)]
    if same:
        return same[0]
    found = difflib.get_close_matches(text, pool, n=len(pool), cutoff=cutoff)
    if found:  # of equally close candidates, the first listed (difflib would take the last in order)
        ratio = {c: difflib.SequenceMatcher(None, text, c).ratio() for c in found}
        top = max(ratio.values())
        return next(c for c in pool if ratio.get(c) == top)
    if len(text) >= 2:
        affix = sorted((c for c in pool if c.startswith(text + "_") or c.startswith(text + "-")), key=len)
        if affix:
            return affix[0]
    return None


def did_you_mean(word: object, candidates: Iterable[object], cutoff: float = 0.6) -> str:
    """'did you mean `x`?' for the closest candidate, else ''."""
    best = closest(word, candidates, cutoff)
    return f"did you mean `{best}`?" if best is not None else ""
