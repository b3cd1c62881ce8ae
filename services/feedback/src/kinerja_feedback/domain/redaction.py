"""Masking of personal data (UU 27/2022) and abuse flags for citizens' free text."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from itertools import accumulate, pairwise
from types import MappingProxyType


class PersonalDataKind(StrEnum):
    """A kind of personal data that is masked in published free text."""

    PHONE = "phone"
    EMAIL = "email"
    NIK = "nik"


MARKERS: Mapping[PersonalDataKind, str] = MappingProxyType(
    {
        PersonalDataKind.PHONE: "[telepon disembunyikan]",
        PersonalDataKind.EMAIL: "[email disembunyikan]",
        PersonalDataKind.NIK: "[NIK disembunyikan]",
    }
)
"""The fixed marker that replaces each kind of personal data."""


@dataclass(frozen=True, slots=True)
class RedactionResult:
    """Redacted text and how many items of each kind were masked."""

    text: str
    masked: Mapping[PersonalDataKind, int]

    @property
    def total(self) -> int:
        """Return the number of items masked, all kinds together."""
        return sum(self.masked.values())


_EMAIL = re.compile(
    r"(?<![\w.%+\-])[\w.%+\-]+@"
    r"[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}\b"
)

# A run of digit groups that may form one number. A separator is one space, dot or dash,
# or a parenthesis with at most one of those beside it, so "(0361) 223344" and
# "+62 812-3456-7890" are single runs. Every separator holds at least one non-digit, which
# keeps the pattern free of catastrophic backtracking.
_SEPARATOR = r"(?:[ .\-]|\)[ .\-]?\(?|[ .\-]?\()"
_NUMBER_RUN = re.compile(rf"(?<![0-9])\+?\(?[0-9]+(?:{_SEPARATOR}[0-9]+)*\)?")
_GROUP = re.compile(r"\+?\(?([0-9]+)\)?")
_CURRENCY_BEFORE = re.compile(r"(?:\brp|\bidr)\.?\s*$", re.IGNORECASE)

# National forms: mobile 08xx with 10 to 13 digits; landline 0 + area code + subscriber,
# 9 to 12 digits (Denpasar: 0361 + 6 or 7 digits).
_MOBILE = re.compile(r"08[1-9][0-9]{7,10}")
_LANDLINE = re.compile(r"0[2-79][0-9]{7,10}")

# Province codes that open a NIK (Kemendagri), used only when a 16-digit number is written
# in groups, so that a year followed by a phone number is not taken for a NIK.
_NIK_PROVINCES = frozenset(
    {11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53}
    | {61, 62, 63, 64, 65, 71, 72, 73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96}
)
_NIK_DIGITS = 16
# The shortest number worth a look: "+1 415 555" style international numbers, 8 digits.
_MIN_DIGITS = 8
_MAX_GROUPS = 8


@dataclass(frozen=True, slots=True)
class _Group:
    """A group of digits in a number run, with its span in the text."""

    start: int
    end: int
    digits: str
    plus: bool


def _is_phone(groups: Sequence[_Group]) -> bool:
    """Tell whether digit groups read as an Indonesian (or any +international) phone number."""
    parts = [group.digits for group in groups]
    digits = "".join(parts)
    plus = groups[0].plus
    if digits.startswith("62"):
        # "+62 (0)812 ..." also writes the trunk zero; it is not part of the number.
        if parts[0] == "62" and len(parts) > 2 and parts[1] == "0":
            parts = ["62", *parts[2:]]
            digits = "".join(parts)
        if parts[0] == "62":
            if len(parts) < 2:
                return False
            national_first = "0" + parts[1]
            rest = parts[2:]
        else:
            national_first = "0" + parts[0][2:]
            rest = parts[1:]
        national = "0" + digits[2:]
        # "+620812..." writes the trunk zero without a separator.
        if national.startswith("00"):
            national, national_first = national[1:], national_first[1:]
        # Without "+", only 62 8xx is common enough to be told from other numbers.
        if not plus and not national.startswith("08"):
            return False
    elif plus:
        return 8 <= len(digits) <= 15 and all(len(part) >= 2 for part in parts[1:])
    elif digits.startswith("0"):
        national, national_first, rest = digits, parts[0], parts[1:]
    else:
        return False
    # An area or operator prefix has at least three digits ("021", "0361", "0812"); this
    # keeps dates such as "02.10.2026" apart from phone numbers.
    if len(national_first) < 3 or any(len(part) < 2 for part in rest):
        return False
    return bool(_MOBILE.fullmatch(national) or _LANDLINE.fullmatch(national))


def _is_nik(groups: Sequence[_Group]) -> bool:
    """Tell whether digit groups read as a 16-digit NIK."""
    digits = "".join(group.digits for group in groups)
    if len(digits) != _NIK_DIGITS or groups[0].plus:
        return False
    if len(groups) == 1:
        return True
    return all(len(group.digits) >= 2 for group in groups) and int(digits[:2]) in _NIK_PROVINCES


def _classify(groups: Sequence[_Group]) -> PersonalDataKind | None:
    """Return the kind of personal data the groups form, if any."""
    if _is_nik(groups):
        return PersonalDataKind.NIK
    if _is_phone(groups):
        return PersonalDataKind.PHONE
    return None


def _number_spans(text: str) -> list[tuple[int, int, PersonalDataKind]]:
    """Find phone numbers and NIKs: the longest matching groups within each digit run."""
    spans: list[tuple[int, int, PersonalDataKind]] = []
    for run in _NUMBER_RUN.finditer(text):
        groups = [
            _Group(
                start=run.start() + match.start(),
                end=run.start() + match.end(),
                digits=match.group(1),
                plus=match.group(0).startswith("+"),
            )
            for match in _GROUP.finditer(run.group(0))
        ]
        digit_counts = list(accumulate((len(group.digits) for group in groups), initial=0))
        after_currency = bool(_CURRENCY_BEFORE.search(text[max(0, run.start() - 6) : run.start()]))
        i = 0
        while i < len(groups):
            found = None
            if not (i == 0 and after_currency):
                for j in range(min(len(groups), i + _MAX_GROUPS), i, -1):
                    if not _MIN_DIGITS <= digit_counts[j] - digit_counts[i] <= _NIK_DIGITS:
                        continue
                    kind = _classify(groups[i:j])
                    if kind is not None:
                        found = (j, kind)
                        break
            if found is None:
                i += 1
                continue
            j, kind = found
            start = groups[i].start
            end = groups[j - 1].end
            # Keep an unmatched closing parenthesis in the text, drop a matched one.
            if text[end - 1] == ")" and "(" not in text[start:end]:
                end -= 1
            spans.append((start, end, kind))
            i = j
    return spans


def redact(text: str) -> RedactionResult:
    """Mask phone numbers, e-mail addresses and 16-digit NIKs in free text."""
    counts = dict.fromkeys(PersonalDataKind, 0)

    def mask_email(match: re.Match[str]) -> str:
        """Count one e-mail address and return its marker."""
        counts[PersonalDataKind.EMAIL] += 1
        return MARKERS[PersonalDataKind.EMAIL]

    text = _EMAIL.sub(mask_email, text)
    pieces: list[str] = []
    position = 0
    for start, end, kind in _number_spans(text):
        counts[kind] += 1
        pieces.append(text[position:start])
        pieces.append(MARKERS[kind])
        position = end
    pieces.append(text[position:])
    return RedactionResult(text="".join(pieces), masked=MappingProxyType(counts))


def contains_personal_data(text: str) -> bool:
    """Tell whether the text holds a phone number, an e-mail address or a NIK."""
    return redact(text).total > 0


_IDENTIFIER = re.compile(
    r"^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$", re.IGNORECASE
)


def personal_data_paths(payload: object, path: str = "$") -> list[str]:
    """List the JSON paths of the strings in a payload that hold personal data.

    A string that is wholly a UUID is an identifier the system made, not personal data,
    even when its digit groups happen to look like a phone number.
    """
    if isinstance(payload, str):
        if _IDENTIFIER.match(payload):
            return []
        return [path] if contains_personal_data(payload) else []
    if isinstance(payload, Mapping):
        return [
            found
            for key, value in payload.items()
            for found in personal_data_paths(value, f"{path}.{key}")
        ]
    if isinstance(payload, list | tuple):
        return [
            found
            for index, value in enumerate(payload)
            for found in personal_data_paths(value, f"{path}[{index}]")
        ]
    return []


class AbuseFlag(StrEnum):
    """A reason for a moderator to look at a text before it is published."""

    ABUSIVE_LANGUAGE = "abusive_language"
    SHOUTING = "shouting"
    REPETITION = "repetition"
    LINK = "link"


# A modest default list of words that insult people. Literal uses ("anjing", a dog) are
# flagged too: a flag only sends the text to a moderator, so it costs a review, not a
# rejection. Deployments replace or extend the list through settings (abusive_words=...).
DEFAULT_ABUSIVE_WORDS: frozenset[str] = frozenset(
    {
        # Indonesian (and Javanese slang common in Bali): insults and obscenities.
        "anjing",
        "asu",
        "babi",
        "bacot",
        "bajingan",
        "bangsat",
        "bego",
        "brengsek",
        "dungu",
        "goblog",
        "goblok",
        "idiot",
        "jancok",
        "jancuk",
        "kampret",
        "keparat",
        "kontol",
        "memek",
        "monyet",
        "ngentot",
        "sialan",
        "tai",
        "taik",
        "tolol",
        "anak haram",
        # Balinese: "cicing" (dog), "celeng" (pig), "bangke" (carcass), "buduh" (mad).
        "bangke",
        "buduh",
        "celeng",
        "cicing",
        # English.
        "asshole",
        "bastard",
        "bitch",
        "fuck",
        "moron",
        "shit",
        "stupid",
    }
)

# Enclitics and suffixes that still leave the insult whole: "goblokmu", "anjingnya", "fucking".
_SUFFIXES = ("nya", "mu", "lah", "kau", "ing", "er")
_LEET = str.maketrans(
    {
        "4": "a",
        "@": "a",
        "1": "i",
        "!": "i",
        "|": "i",
        "3": "e",
        "0": "o",
        "5": "s",
        "$": "s",
        "7": "t",
    }
)
_WORD = re.compile(r"[\w@$!|]+")
_REPEATED_CHARACTERS = re.compile(r"(.)\1+")
_LINK = re.compile(
    r"https?://\S+|\bwww\.\S+|\b[a-z0-9\-]+(?:\.[a-z0-9\-]+)*"
    r"\.(?:com|net|org|info|biz|xyz|top|site|online|link|click|ly|me|io|co|id)\b",
    re.IGNORECASE,
)
_CHARACTER_FLOOD = re.compile(r"([^\s.\-_=*])\1{7,}")

SHOUTING_MIN_LETTERS = 12
SHOUTING_UPPERCASE_SHARE = 0.7
REPEATED_WORD_RUN = 4
SPAM_MIN_WORDS = 10
SPAM_MAX_DISTINCT_SHARE = 0.3


def _normalise_word(word: str) -> str:
    """Fold case, undo simple leetspeak and collapse repeated letters ("4nj1iing" -> "anjing")."""
    word = word.casefold().strip("!|").translate(_LEET)
    return _REPEATED_CHARACTERS.sub(r"\1", word)


def _words(text: str) -> list[str]:
    """Split text into normalised words."""
    return [w for w in (_normalise_word(raw) for raw in _WORD.findall(text)) if w]


@lru_cache(maxsize=16)
def _normalised_phrases(words: frozenset[str]) -> Mapping[str, tuple[tuple[str, ...], ...]]:
    """Normalise a word list into phrases (tuples of words) keyed by first word, cached per list."""
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for entry in words:
        phrase = tuple(_words(entry))
        if phrase:
            by_first.setdefault(phrase[0], []).append(phrase)
    return MappingProxyType({first: tuple(group) for first, group in by_first.items()})


def _bases(word: str) -> set[str]:
    """Return the word and the word without each enclitic it ends with."""
    return {word} | {word[: -len(suffix)] for suffix in _SUFFIXES if word.endswith(suffix)}


def _has_abusive_language(
    words: Sequence[str], phrases: Mapping[str, tuple[tuple[str, ...], ...]]
) -> bool:
    """Tell whether any listed word or phrase occurs as whole words."""
    bases = [_bases(word) for word in words]
    for start, candidates in enumerate(bases):
        for first in candidates & phrases.keys():
            for phrase in phrases[first]:
                window = bases[start : start + len(phrase)]
                if len(window) == len(phrase) and all(
                    target in found for found, target in zip(window, phrase, strict=True)
                ):
                    return True
    return False


def _is_shouting(text: str) -> bool:
    """Tell whether the text is long enough and written mostly in capitals."""
    letters = [character for character in text if character.isalpha()]
    if len(letters) < SHOUTING_MIN_LETTERS:
        return False
    upper = sum(1 for character in letters if character.isupper())
    return upper / len(letters) >= SHOUTING_UPPERCASE_SHARE


def _is_repetitive(text: str, words: Sequence[str]) -> bool:
    """Tell whether the text floods a character, repeats a word or has few distinct words."""
    if _CHARACTER_FLOOD.search(text):
        return True
    run = 1
    for previous, word in pairwise(words):
        run = run + 1 if word == previous else 1
        if run >= REPEATED_WORD_RUN:
            return True
    return len(words) >= SPAM_MIN_WORDS and len(set(words)) / len(words) < SPAM_MAX_DISTINCT_SHARE


def abuse_flags(text: str, *, abusive_words: Iterable[str] = DEFAULT_ABUSIVE_WORDS) -> list[str]:
    """Return the abuse flags (AbuseFlag values) a moderator should see for this text."""
    flags: list[str] = []
    words = _words(text)
    if _has_abusive_language(words, _normalised_phrases(frozenset(abusive_words))):
        flags.append(AbuseFlag.ABUSIVE_LANGUAGE)
    if _is_shouting(text):
        flags.append(AbuseFlag.SHOUTING)
    if _is_repetitive(text, words):
        flags.append(AbuseFlag.REPETITION)
    # An e-mail address is personal data, not a link; it is masked elsewhere.
    if _LINK.search(_EMAIL.sub(" ", text)):
        flags.append(AbuseFlag.LINK)
    return flags
