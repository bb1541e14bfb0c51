"""Text normalisation for sticky notes: tokens, school abbreviations, light stemming, typos.

The pipeline is the same for notes and for lexicon phrases, so whatever it does to a word it
does on both sides: ``"Mini-whiteboards"``, ``"mini whiteboard"`` and ``"MWBs"`` all become
``["mini", "whiteboard"]``.
"""

from __future__ import annotations

import re
import unicodedata

# Abbreviations staff write on sticky notes, expanded whatever their case.
ABBREVIATIONS: dict[str, str] = {
    "ta": "teaching assistant",
    "tas": "teaching assistants",
    "lsa": "learning support assistant",
    "lsas": "learning support assistants",
    "hlta": "teaching assistant",
    "hltas": "teaching assistants",
    "sna": "teaching assistant",
    "sen": "send",
    "senco": "senco",
    "sendco": "senco",
    "ehcp": "ehc plan",
    "ehcps": "ehc plans",
    "iep": "support plan",
    "ieps": "support plans",
    "eal": "eal",
    "pp": "pupil premium",
    "hap": "high attaining pupil",
    "haps": "high attaining pupils",
    "lap": "low attaining pupil",
    "laps": "low attaining pupils",
    "afl": "assessment for learning",
    "mwb": "mini whiteboard",
    "mwbs": "mini whiteboards",
    "cfu": "check for understanding",
    "dirt": "dirt",
    "wagoll": "wagoll",
    "wagolls": "wagolls",
    "tps": "think pair share",
    "iwb": "interactive whiteboard",
    "iwbs": "interactive whiteboards",
    "cpd": "cpd",
    "sow": "scheme of work",
    "sows": "schemes of work",
    "dept": "department",
    "ks2": "ks2",
    "kos": "knowledge organisers",
    "g&t": "gifted",
    "gt": "gifted",
    "cpa": "concrete pictorial abstract",
    "ppt": "slides",
    "ppts": "slides",
    "yr": "year",
    "ppl": "people",
    "esp": "especially",
    **{f"y{n}": "year" for n in range(1, 14)},
}

# Abbreviations that are also ordinary words: expanded only when written in capitals.
UPPERCASE_ABBREVIATIONS: dict[str, str] = {
    "SEND": "send",
    "SEN": "send",
    "MAP": "middle attaining pupil",
    "MAPS": "middle attaining pupils",
    "HA": "high attaining",
    "MA": "middle attaining",
    "LA": "low attaining",
    "IT": "technology",
    "KO": "knowledge organiser",
    "SALT": "speech and language therapy",
    "LAC": "looked after",
    "CLA": "looked after",
    "EHC": "ehc",
    "AI": "artificial intelligence",
}


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Lower-case "send" is the SEND acronym when it sits next to one of these words.
_SEND_NEIGHBOURS = _words(
    "pupils students kids children learners child pupil student register needs need info "
    "information support provision department team list plan plans our the with for and sen "
    "ehcp ehcps cohort"
)

STOPWORDS: frozenset[str] = _words(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can cant could did didnt do does doesnt doing dont down during
    each either else even ever every few for from further get gets getting got had has have having
    he her here hers herself him himself his how i id if im in into is isnt it its itself ive just
    lets like lot lots me might more most much must my myself no nor not now of off often on once
    only or other others our ours ourselves out over own per quite rather re really same she should
    so some still such than that thats the their theirs them themselves then there these they this
    those through to too under until up us very was wasnt we were what when where which while who
    whom why will with wont would yet you your yours yourself yourselves
    pupil pupils student students child children kid kids class classes lesson lessons teacher
    teachers year years group week weeks day days term always never sometimes usually need needs
    needed want wants would like good great well better best lovely nice brilliant amazing excellent
    really very loads bit use used uses using make makes making made do does done thing things
    way ways one two three everyone everything someone something anyone anything enough ok
    okay etc eg ie e g i e time"""
)

_TOKEN_RE = re.compile(r"[a-z0-9]+")
_RAW_TOKEN_RE = re.compile(r"[A-Za-z0-9&]+")
_ONE_TO_ONE_RE = re.compile(r"\b1\s*[:\-]\s*1\b|\b121\b")


def fold(text: str) -> str:
    """Strip accents and unify apostrophes, keeping case."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.replace("\u2019", "'").replace("\u2018", "'")


def raw_tokens(text: str) -> list[str]:
    """Words of ``text`` with their case, possessive ``'s`` dropped, apostrophes removed."""
    text = fold(text)
    text = _ONE_TO_ONE_RE.sub(" one to one ", text)
    text = re.sub(r"'s\b", "", text)
    text = text.replace("'", "")
    return _RAW_TOKEN_RE.findall(text)


def expand(tokens: list[str], phrase: bool = False) -> list[str]:
    """Lower-case the tokens and expand abbreviations (case-sensitive ones only in capitals).

    ``phrase`` is for lexicon phrases, written in lower case: there "send" is always SEND.
    """
    out: list[str] = []
    lowered = [t.lower() for t in tokens]
    for i, tok in enumerate(tokens):
        low = lowered[i]
        if tok in UPPERCASE_ABBREVIATIONS:
            out.extend(UPPERCASE_ABBREVIATIONS[tok].split())
        elif low == "send":
            prev = lowered[i - 1] if i else ""
            nxt = lowered[i + 1] if i + 1 < len(lowered) else ""
            if phrase or nxt in _SEND_NEIGHBOURS or prev in ("our", "for", "with", "and", "sen"):
                out.append("send")
            else:
                out.append("dispatch")  # the verb "send": never the SEND lexicon entry
        elif low in ABBREVIATIONS:
            out.extend(ABBREVIATIONS[low].split())
        elif "&" in low:
            out.extend(p for p in low.split("&") if p)
        else:
            out.append(low)
    return out


# Words whose stem would merge two different practices ("grouping" pupils vs a year "group").
_STEM_EXCEPTIONS = {
    "grouping": "grouping",
    "groupings": "grouping",
    "planning": "planning",
    "setting": "setting",
}


def stem(word: str) -> str:
    """A light, deterministic suffix stripper (plural, -ing, -ed, -ly, -ion, final e, doubles).

    It is not linguistically exact; it only has to map a note's word and the lexicon's word to
    the same string.
    """
    if word in _STEM_EXCEPTIONS:
        return _STEM_EXCEPTIONS[word]
    w = word
    if len(w) <= 3 or w.isdigit():
        return w
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("sses"):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    stripped = False
    for suffix in ("ing", "ed"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            stripped = True
            break
    if w.endswith(("tion", "sion")) and len(w) > 6:
        w = w[:-3]
    elif not stripped and w.endswith("ly") and len(w) >= 6:
        w = w[:-2]
    if w.endswith("e") and len(w) > 3:
        w = w[:-1]
    if len(w) > 3 and w[-1] == w[-2] and w[-1].isalpha():
        w = w[:-1]
    return w


STEMMED_STOPWORDS: frozenset[str] = frozenset(stem(w) for w in STOPWORDS) | STOPWORDS


def damerau1(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by at most one edit (insert, delete, substitute, swap)."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    i = 0
    while i < min(la, lb) and a[i] == b[i]:
        i += 1
    if la == lb:
        if a[i + 1 :] == b[i + 1 :]:
            return True
        return i + 1 < la and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]
    if la < lb:
        return a[i:] == b[i + 1 :]
    return a[i + 1 :] == b[i:]


class TypoCorrector:
    """Maps a word within one edit of a known lexicon word onto that word's stem.

    ``forms`` maps each known surface form (the lexicon's words as written, and their stems) to
    its stem. A note's word is looked up as written and as stemmed, so a slip in a suffix
    ("metacognitoin") is caught before stemming hides it. Only words of five letters or more are
    corrected, the first letter must agree (people rarely mistype it), and known words and stop
    words are left alone. Lookup probes a deletion index; results are cached.
    """

    MIN_LENGTH = 5

    def __init__(self, forms: dict[str, str]) -> None:
        self._forms = dict(forms)
        self._known = set(forms.values())
        # Written forms are compared with written words, stems with stems: a stem is not a word
        # and comparing across would pair "tripl(e)" with "trips".
        self._deletes: tuple[dict[str, list[str]], dict[str, list[str]]] = ({}, {})
        for form in sorted(forms):
            if len(form) < self.MIN_LENGTH:
                continue
            for variant in _deletions(form):
                self._deletes[0].setdefault(variant, []).append(form)
        for known in sorted(self._known):
            if len(known) < self.MIN_LENGTH:
                continue
            for variant in _deletions(known):
                self._deletes[1].setdefault(variant, []).append(known)
        self._cache: dict[tuple[str, str], str] = {}

    def correct(self, raw: str, stemmed: str) -> str:
        """The stem ``raw`` (whose own stem is ``stemmed``) was probably meant to be."""
        if stemmed in self._known or raw in self._forms or stemmed in STEMMED_STOPWORDS:
            return self._forms.get(raw, stemmed)
        hit = self._cache.get((raw, stemmed))
        if hit is not None:
            return hit
        best = stemmed
        for word, index in ((raw, 0), (stemmed, 1)):
            if len(word) < self.MIN_LENGTH:
                continue
            candidates: set[str] = set()
            for variant in _deletions(word):
                candidates.update(self._deletes[index].get(variant, ()))
            good = sorted(c for c in candidates if c[0] == word[0] and damerau1(word, c))
            if good:
                best = self._forms.get(good[0], good[0])
                break
        self._cache[(raw, stemmed)] = best
        return best


def _deletions(word: str) -> set[str]:
    out = {word}
    out.update(word[:i] + word[i + 1 :] for i in range(len(word)))
    return out


def normalise(text: str) -> list[str]:
    """Tokens of ``text``: lower-cased, abbreviations expanded, stemmed (no typo correction)."""
    return [stem(t) for t in expand(raw_tokens(text))]


def words_and_stems(text: str) -> list[tuple[str, str]]:
    """``(word, stem)`` pairs of ``text``, after expansion: what typo correction needs."""
    return [(t, stem(t)) for t in expand(raw_tokens(text))]


def content_words(stems: list[str]) -> list[str]:
    """The stems that carry meaning (no stop words, no bare numbers)."""
    return [s for s in stems if s not in STEMMED_STOPWORDS and not s.isdigit() and len(s) > 1]
