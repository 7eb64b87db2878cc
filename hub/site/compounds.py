"""Norwegian compound splitting for search.

Pagefind stems words but does not match the tail of a compound: "stasjon" does
not find "helsestasjon". Each page therefore gets a hidden, indexed list of the
parts of its compounds, found with the bokmål word list that ``wordfreq`` ships.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from hub.atomic import read_kept, remove_others, write_kept

#: Words from the frequency list that may stand as a compound part (most common first).
VOCABULARY_SIZE = 200_000
MIN_HEAD, MIN_TAIL, MIN_WORD = 3, 4, 7
#: Longer words are not tried: no two words of the list make one (its longest has 32 letters), and
#: trying every cut takes time that grows with the square of a word's length (an 80,000-letter word,
#: which a content file or a kept word count may hold, took 0.6 s).
MAX_WORD = 100
#: Frequent short words that are rarely the meaningful part of a compound.
_NOT_PARTS = {"ter", "ser", "ene", "het", "ing", "ert", "ist", "ens", "ere", "nes", "sjon", "lig", "rer"}


_VOCABULARY: dict[str, int] | None = None
#: Where a build keeps the word list and the words it split (:func:`keep_in`); None: nowhere.
_CACHE: Path | None = None
_SPLITS_FILE = ""  # the kept splits' name in it, by the word list's version and the code's
#: Splits read back from the cache (None: not read yet), and those made by this process.
_KEPT: dict[str, tuple[str, ...]] | None = None
_MADE: dict[str, tuple[str, ...]] = {}


def _ranks() -> dict[str, int]:
    return _VOCABULARY if _VOCABULARY is not None else load_vocabulary()


def _key() -> str:
    """The word list's version: the library's, its size and the words left out."""
    from hub.installed import version

    key = f"{version('wordfreq')}|{VOCABULARY_SIZE}|{','.join(sorted(_NOT_PARTS))}"
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def _vocabulary_name() -> str:
    return f"vocabulary-{_key()}.txt"


def splits_name(code: str) -> str:
    """The kept splits' file name in the cache, for the word list's version and the ``code``'s."""
    return f"splits-{hashlib.sha256(f'{_key()}|{code}'.encode()).hexdigest()[:16]}.txt"


def keep_in(cache: Path | None, code: str = "", read: bool = True) -> None:
    """Keep the word list and the splits of the words met in ``cache``, each read when first needed: a
    night that makes pages again with the words of the night before splits them without the list.
    ``code``: the fingerprint of the code that splits (the build's of the package; other code, other
    splits). Not ``read``: the splits start afresh (a full build keeps those of the words it met)."""
    global _CACHE, _KEPT, _SPLITS_FILE
    name = splits_name(code)
    if cache != _CACHE or name != _SPLITS_FILE or not read:
        _CACHE, _SPLITS_FILE, _KEPT = cache, name, None if read else {}
        _MADE.clear()


def load_vocabulary(cache: Path | None = None) -> dict[str, int]:
    """The word list with each word's rank, read now (e.g. once before forking workers).

    Importing wordfreq and ranking its list takes most of a second; with a ``cache`` folder (or
    :func:`keep_in`'s) the ranks are kept there as text, read in a fifth of that. Plain data only:
    a file there that is not such a list (planted, cut short) is made again, never trusted.
    """
    global _VOCABULARY
    if _VOCABULARY is not None:
        return _VOCABULARY
    cache = cache or _CACHE
    stored = cache / _vocabulary_name() if cache else None
    ranks = _read_ranks(stored) if stored else {}
    if not ranks:
        from wordfreq import top_n_list

        ranks = {w: i for i, w in enumerate(top_n_list("nb", VOCABULARY_SIZE)) if w.isalpha() and w not in _NOT_PARTS}
        if stored is not None:
            write_kept(stored, _ranks_text(ranks).encode())
    _VOCABULARY = ranks
    return ranks


def _ranks_text(ranks: dict[str, int]) -> str:
    """The ranks as text: their count, then a line per rank, the word or nothing (a word that is
    not a part). Half the time of reading them as a JSON object."""
    lines = [""] * (max(ranks.values(), default=-1) + 1)
    for word, rank in ranks.items():
        lines[rank] = word
    return "\n".join([str(len(lines)), *lines])


def _read_ranks(path: Path) -> dict[str, int]:
    """The stored ranks, or {} unless the file is their count and as many lines (a planted word
    changes no more than a planted JSON number did: which parts are split, never what runs)."""
    try:
        count, *lines = read_kept(path).decode().split("\n")
    except (OSError, ValueError):
        return {}
    if count != str(len(lines)):
        return {}
    ranks = dict(zip(lines, range(len(lines)), strict=True))  # in C: a comprehension takes twice as long
    ranks.pop("", None)
    return ranks


def kept_splits() -> dict[str, tuple[str, ...]]:
    """The splits an earlier build kept (read once; e.g. before forking workers): a line each, the word,
    then its parts (none: not a compound). A line that is not such (a word of letters, parts of its
    own letters) drops the file: like the word list, plain data that changes which parts are found."""
    global _KEPT
    if _KEPT is None:
        _KEPT = {}
        path = _CACHE / _SPLITS_FILE if _CACHE else None
        try:
            lines = read_kept(path).decode().splitlines() if path else []
        except (OSError, ValueError):
            lines = []
        found = {}
        for line in lines:
            word, *found_parts = line.split(" ")
            if not (len(word) >= MIN_WORD and word.isalpha() and word == word.lower()
                    and all(p.isalpha() and p in word for p in found_parts)):
                return _KEPT
            found[word] = tuple(found_parts)
        _KEPT = found
    return _KEPT


def made_here() -> dict[str, tuple[str, ...]]:
    """The words this process split and did not find kept (a forked worker hands them to the build)."""
    return dict(_MADE)


def add_made(found: dict[str, tuple[str, ...]]) -> None:
    """Take a forked worker's splits (:func:`made_here`), to keep with this process's own."""
    if _CACHE is not None:
        _MADE.update(found)


def keep_splits() -> None:
    """Add the words split in this build to the kept ones (its last step, in its own process), and let
    the splits of other code and the word lists of other versions go: each upgrade of Knutepunkt (or
    of wordfreq) left one more file in a CI's cache, a word list 2 MB."""
    if _CACHE is None:
        return
    if _MADE:
        kept = kept_splits()
        kept.update(_MADE)
        _MADE.clear()
        lines = (" ".join((w, *p)) + "\n" for w, p in sorted(kept.items()))
        write_kept(_CACHE / _SPLITS_FILE, "".join(lines).encode())
    for pattern in ("splits-*.txt", "vocabulary-*.txt"):
        remove_others(_CACHE, pattern, {_SPLITS_FILE, _vocabulary_name()})


def split(word: str) -> tuple[str, ...]:
    """The parts of a compound ("helsestasjon" → ("helse", "stasjon")), or () if it is not one.

    Tries every cut, allowing the linking letters -s- and -e- (arbeidsplass,
    barnehage), and keeps the cut whose rarer part is most common. Only the tail
    is split again: Norwegian compounds are right-headed, so the tail is what
    a searcher types ("sykepleier" → "pleier").
    """
    w = word.lower()
    if not MIN_WORD <= len(w) <= MAX_WORD or not w.isalpha():
        return ()
    if _CACHE is None:
        return _split_here(w)
    found = _MADE.get(w)
    if found is None:
        found = kept_splits().get(w)
    if found is None:
        found = _MADE[w] = _split(w)
    return found


@lru_cache(maxsize=65536)
def _split_here(w: str) -> tuple[str, ...]:
    """Splits remembered for this process alone, up to a bound (the preview keeps none)."""
    return _split(w)


def _split(w: str) -> tuple[str, ...]:
    ranks = _ranks()
    # A real compound is rarer than its parts; "tjenester" is not "tjen" + "ester".
    ceiling = ranks.get(w, len(ranks))
    best: tuple[int, str, str] | None = None
    for i in range(MIN_HEAD, len(w) - MIN_TAIL + 1):
        head, tail = w[:i], w[i:]
        if tail not in ranks:
            continue
        for h in (head, head[:-1] if head[-1] in "se" and len(head) > MIN_HEAD else ""):
            if h in ranks:
                score = max(ranks[h], ranks[tail])
                if score < ceiling and (best is None or score < best[0]):
                    best = (score, h, tail)
    if best is None:
        return ()
    _, head, tail = best
    return tuple(dict.fromkeys((head, tail, *split(tail))))


def parts(words: Iterable[str]) -> set[str]:
    """The compound parts of lower-case ``words`` (words too short to split are skipped here, not
    in :func:`split`'s cache: most words are short, and this runs over every word of every page)."""
    return {p for w in words if len(w) >= MIN_WORD for p in split(w)}


#: A word of sanitised HTML, or a tag to step over (it matches the empty group).
_HTML_WORD = re.compile(r"<[^>]+>|([a-zæøåéü]+)")


def search_words(texts: Iterable[str]) -> list[str]:
    """Compound parts of every word in ``texts`` (HTML or plain text, tags skipped), sorted, without
    words the texts already hold."""
    # Each text on its own: a stray "<" in a title never hides the words of the body after it.
    words: set[str] = set().union(*(_HTML_WORD.findall(t.lower()) for t in texts))
    words.discard("")  # what the tags matched
    return sorted(parts(words) - words)
