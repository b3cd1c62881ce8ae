"""Masking of personal data (UU 27/2022) and abuse flags for citizens' free text.

What is masked, and how it is found:

- The text is read in a detection form: every Unicode decimal digit (category Nd: full-width,
  Arabic-Indic, Devanagari, Balinese, ...) as its ASCII digit; format characters and combining
  marks (zero-width space and joiners, soft hyphen, direction marks, keycap marks) removed;
  dashes as "-", spaces as " "; everything else NFKC ("＠" is "@", "＋" is "+"). Each character
  is read alone and the detection form remembers where its characters came from, so a marker
  replaces the original characters (with invisible ones right after them) and the rest of the
  text is published as the citizen wrote it.
- E-mail (found first; digits inside it go with it): local part, "@" or "[at]", "(at)",
  "{at}", "<at>", then a domain whose dots may be written "[dot]", "(dot)", "[titik]". A bare
  "budi at gmail dot com" counts only when the last dot is a word, so "pesan at booking.com"
  stays.
- A number is digit groups joined by separators: spaces (any number), at most two of
  ". - / _" with spaces around them ("0812 - 3456", "0812..3456"), or a parenthesis with such
  beside it ("(0361) 234 567"). Commas, colons and line breaks end a number, so lists, times
  "10:30" and amounts "1.250.000,00" stay apart. Digits written one by one ("0 8 1 2 ...")
  count as one group.
- Within a number, the longest stretch of groups with 8 to 16 digits that reads as a NIK or
  a phone number is masked; an amount after "Rp" or "IDR" (its first group and the
  three-digit groups after it) is not looked at:
  - NIK: 16 digits, either unbroken or in at most five groups of two or more digits that
    start with a province code ("5171 0123 4567 0001", "51.71.01.234567.0001").
  - Phone: mobile 08xx with 10 to 13 digits, or landline 0 + area code with 9 to 12, also
    written +62/62 instead of the 0 (62 without "+" only for mobiles); any "+" number with 8
    to 15 digits. The first group (operator or area prefix) has at least three digits, unless
    only digits written one by one follow it, and the other groups at least two.

Tradeoffs: the group rules keep dates and times whole ("05-10-2026 09.00" has twelve digits
shaped like a landline number, but its first group has two; "12/03/2026 08.00 - 12.00" has
sixteen digits, in seven groups), so a phone written with a one- or two-digit first group
("08 12 34 56 78 90"), with a lone one-digit group inside ("0812 3 4567 890"), across a line
break or with commas is not found, nor is a run of 8 digits or more of neither shape (a
17-digit code). Leaning the other way, a letter number with a leading-zero first group
("045/12/2026") and sixteen one-digit scores that start with a province code are masked: a
masked number costs a reader little, a published one costs the citizen. Number words
("nol delapan satu dua") are not read.
"""

from __future__ import annotations

import re
import unicodedata
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


# Invisible or attached to the character before: format characters (zero-width space and
# joiners, soft hyphen, direction marks), combining and enclosing marks (keycap "0️⃣").
_UNREAD_CATEGORIES = frozenset({"Cf", "Mn", "Me"})
_MINUS_SIGN = "\u2212"
_FORMS_CACHED = 4096


def _detection_form(character: str) -> str:
    """Return what one non-ASCII character reads as when looking for personal data."""
    category = unicodedata.category(character)
    if category in _UNREAD_CATEGORIES:
        return ""
    value = unicodedata.decimal(character, None)
    if value is not None:
        return str(value)
    if category == "Pd" or character == _MINUS_SIGN:
        return "-"
    if category == "Zs":
        return " "
    return unicodedata.normalize("NFKC", character)


class _DetectionForms(dict[str, str]):
    """The detection forms of non-ASCII characters, cached for the first few thousand seen."""

    def __missing__(self, character: str) -> str:
        """Work out a character's form and keep it while the cache has room."""
        form = _detection_form(character)
        if len(self) < _FORMS_CACHED:
            self[character] = form
        return form


_FORMS = _DetectionForms()
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


@dataclass(frozen=True, slots=True)
class _DetectionText:
    """A text in its detection form, with the original index of each of its characters."""

    text: str
    origins: Sequence[int] | None
    """None when the detection form is the original text itself (ASCII text)."""
    original_length: int

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Return the span of the original text that a span of the detection form came from.

        Unread characters (zero-width, combining marks) right after the span go with it, so
        no mark is left hanging on the marker.
        """
        if self.origins is None:
            return start, end
        original_end = self.origins[end] if end < len(self.origins) else self.original_length
        return self.origins[start], original_end


def _detection_text(text: str) -> _DetectionText:
    """Read a text in its detection form (see the module docstring)."""
    if text.isascii():
        return _DetectionText(text, None, len(text))
    pieces: list[str] = []
    origins: list[int] = []
    position = 0
    for run in _NON_ASCII.finditer(text):
        start, end = run.span()
        pieces.append(text[position:start])
        origins.extend(range(position, start))
        for index in range(start, end):
            form = _FORMS[text[index]]
            pieces.append(form)
            if len(form) == 1:
                origins.append(index)
            else:
                origins.extend([index] * len(form))
        position = end
    pieces.append(text[position:])
    origins.extend(range(position, len(text)))
    return _DetectionText("".join(pieces), origins, len(text))


def _bracketed(word: str) -> str:
    """Return a pattern for a word in brackets, as in "[at]", "(dot)", "{at}", "<dot>"."""
    return rf"[ \t]*[\[({{<][ \t]*(?i:{word})[ \t]*[\])}}>][ \t]*"


_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?"
_BRACKETED_AT = _bracketed("at")
_BRACKETED_DOT = rf"(?:\.|{_bracketed('dot|titik')})"
_WORD_DOT = rf"(?:{_bracketed('dot|titik')}|[ \t]+(?i:dot|titik)[ \t]+)"
_EMAIL = re.compile(
    r"(?<![\w.%+\-])[\w.%+\-]++"
    # "budi@gmail.com", "budi [at] gmail [dot] com", "budi (at) gmail.com"
    rf"(?:(?:@|{_BRACKETED_AT}){_LABEL}(?:{_BRACKETED_DOT}{_LABEL})*{_BRACKETED_DOT}"
    # "budi at gmail dot com": a bare "at" only with a worded last dot
    rf"|[ \t]+(?i:at)[ \t]+{_LABEL}(?:(?:\.|{_WORD_DOT}){_LABEL})*{_WORD_DOT})"
    r"[A-Za-z]{2,}\b"
)

# A run of digit groups that may form one number. A separator is spaces, or at most two of
# ". - / _" with spaces around them, or a parenthesis with such beside it, so
# "(0361) 223344", "+62 812-3456-7890" and "0812 - 3456 - 7890" are single runs. Every
# separator holds at least one non-digit, which keeps the pattern free of catastrophic
# backtracking.
_JOINT = r"(?:[ \t]*(?:[.\-/_][ \t]*){1,2}|[ \t]+)"
_SEPARATOR = rf"(?:{_JOINT}|\){_JOINT}?\(?|{_JOINT}?\()"
# Found from its first digit (a scan the regex engine does fast); a "+" or "(" before it and
# a ")" after it are taken in by _number_run.
_DIGIT_RUN = re.compile(rf"[0-9]++(?:{_SEPARATOR}[0-9]++)*+")
_GROUP = re.compile(r"\+?\(?([0-9]+)\)?")
_ASCII_DIGITS = frozenset("0123456789")
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
# A NIK is written in at most five groups ("51.71.01.234567.0001"); a date with a time range
# ("12/03/2026 08.00 - 12.00") also has sixteen digits, in seven groups.
_NIK_MAX_GROUPS = 5
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
    spelled_out: bool
    """Written one digit at a time ("0 8 1 2"); several such digits are one group."""


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
    # keeps dates such as "02.10.2026" apart from phone numbers. A prefix followed only by
    # digits written one by one ("+628 1 2 3 ...") is no grouping at all.
    spelled_out = len(rest) == 1 and groups[-1].spelled_out
    if (len(national_first) < 3 and not spelled_out) or any(len(part) < 2 for part in rest):
        return False
    return bool(_MOBILE.fullmatch(national) or _LANDLINE.fullmatch(national))


def _is_nik(groups: Sequence[_Group]) -> bool:
    """Tell whether digit groups read as a 16-digit NIK."""
    digits = "".join(group.digits for group in groups)
    if len(digits) != _NIK_DIGITS or groups[0].plus:
        return False
    if len(groups) == 1 and not groups[0].spelled_out:
        return True
    return (
        len(groups) <= _NIK_MAX_GROUPS
        and all(len(group.digits) >= 2 for group in groups)
        and int(digits[:2]) in _NIK_PROVINCES
    )


def _classify(groups: Sequence[_Group]) -> PersonalDataKind | None:
    """Return the kind of personal data the groups form, if any."""
    if _is_nik(groups):
        return PersonalDataKind.NIK
    if _is_phone(groups):
        return PersonalDataKind.PHONE
    return None


def _number_run(text: str, digits: re.Match[str]) -> tuple[int, int]:
    """Return the span of a number run: its digit run with a "+", "(" before and ")" after."""
    start, end = digits.span()
    prefix = start
    if prefix and text[prefix - 1] == "(":
        prefix -= 1
    if prefix and text[prefix - 1] == "+":
        prefix -= 1
    if prefix and text[prefix - 1] in _ASCII_DIGITS:
        prefix = start
    if end < len(text) and text[end] == ")":
        end += 1
    return prefix, end


def _groups(text: str, start: int, end: int) -> list[_Group]:
    """Split a number run into digit groups, one-digit groups in a row joined into one."""
    groups: list[_Group] = []
    for match in _GROUP.finditer(text, start, end):
        digits = match.group(1)
        if len(digits) == 1 and groups and groups[-1].spelled_out:
            previous = groups[-1]
            groups[-1] = _Group(
                previous.start, match.end(), previous.digits + digits, previous.plus, True
            )
        else:
            plus = match.group(0).startswith("+")
            groups.append(_Group(match.start(), match.end(), digits, plus, len(digits) == 1))
    return groups


def _amount_groups(text: str, run_start: int, groups: Sequence[_Group]) -> int:
    """Return how many groups at the start of a run are an amount of money.

    After "Rp" or "IDR" the first group and the three-digit groups after it are the amount
    ("Rp 14.020.000.000"); a number after it is still looked at ("Rp 50.000 0812 ...").
    """
    if not _CURRENCY_BEFORE.search(text[max(0, run_start - 6) : run_start]):
        return 0
    count = 1
    while count < len(groups) and len(groups[count].digits) == 3:
        count += 1
    return count


def _number_spans(text: str) -> list[tuple[int, int, PersonalDataKind]]:
    """Find phone numbers and NIKs: the longest matching groups within each digit run."""
    spans: list[tuple[int, int, PersonalDataKind]] = []
    for digit_run in _DIGIT_RUN.finditer(text):
        if digit_run.end() - digit_run.start() < _MIN_DIGITS:
            continue
        run_start, run_end = _number_run(text, digit_run)
        groups = _groups(text, run_start, run_end)
        digit_counts = list(accumulate((len(group.digits) for group in groups), initial=0))
        if digit_counts[-1] < _MIN_DIGITS:
            continue
        i = _amount_groups(text, run_start, groups)
        while i < len(groups):
            found = None
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


def _blanked(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """Return the text with each span replaced by as many NUL characters (length kept)."""
    pieces: list[str] = []
    position = 0
    for start, end in spans:
        pieces.append(text[position:start])
        pieces.append("\0" * (end - start))
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def redact(text: str) -> RedactionResult:
    """Mask phone numbers, e-mail addresses and 16-digit NIKs in free text.

    Detection reads the text's detection form; the markers replace the original characters.
    """
    detection = _detection_text(text)
    emails = [match.span() for match in _EMAIL.finditer(detection.text)]
    numbers_text = _blanked(detection.text, emails) if emails else detection.text
    spans = sorted(
        [(start, end, PersonalDataKind.EMAIL) for start, end in emails]
        + _number_spans(numbers_text)
    )
    counts = dict.fromkeys(PersonalDataKind, 0)
    pieces: list[str] = []
    position = 0
    for start, end, kind in spans:
        original_start, original_end = detection.original_span(start, end)
        counts[kind] += 1
        pieces.append(text[position : max(position, original_start)])
        pieces.append(MARKERS[kind])
        position = max(position, original_end)
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
