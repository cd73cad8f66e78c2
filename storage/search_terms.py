"""What people type, turned into FTS5 MATCH expressions (for storage.search).

The expression is built here from words alone, never from the typed text: quotes, `*`, `-`,
`NEAR`, `AND`, parentheses or a column name typed by someone are separators or plain words,
so no input can make a syntax error. Each word becomes an OR of the forms it may take in an
idea (see migration 0013 for why this happens at query time):

- its German spellings: „Muenster“ also as „Münster“, „Strasse“ as „Straße“ and back (the
  index folds case and diacritics itself: „MÜNSTER“ and „Munster“ are „münster“ already);
- a prefix: „Digitali“ finds „Digitalisierung“;
- its stem (Snowball's German stemmer): „Pflegekräfte“ finds „Pflegekraft“, „Betriebe“ finds
  „Betrieb“.

The typed word itself is in the OR as well, so an idea with exactly that word ranks above
those with a longer or stemmed form of it.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from functools import lru_cache

import snowballstemmer

# Longer input is not a search (it is refused, not cut: the person sees why).
MAX_QUERY_CHARS = 200
# Words used of a search (all must match) and of a similarity (any may match).
MAX_SEARCH_WORDS = 8
MAX_SIMILAR_WORDS = 16
# Shorter words match only as typed: „KI“ must not find „Kinder“.
PREFIX_FROM = 3
STEM_FROM = 4  # shorter stems match too much („Ideen“ → „ide“)
# A word with more places to spell differently gets its own spelling and the one with all
# alternatives, not every combination.
MAX_SPELLING_CHOICES = 4

# Letters and digits: the characters FTS5's unicode61 tokenizer keeps together.
_WORD = re.compile(r"[^\W_]+")
_UMLAUTS = {"ä": "ae", "ö": "oe", "ü": "ue"}
_UMLAUT_OF = {"ae": "ä", "oe": "ö", "ue": "ü"}
_VOWELS = frozenset("aeiouäöüy")

# The German stop words of the Snowball project (snowballstem.org/algorithms/german/stop.txt,
# BSD licence, © 2001 Dr Martin Porter, © 2002 Richard Boulton), with „dass“ beside „daß“.
_GERMAN_STOP = """
aber alle allem allen aller alles als also am an ander andere anderem anderen anderer anderes
anderm andern anderr anders auch auf aus bei bin bis bist da damit dann das dasselbe dazu daß
dass dein deine deinem deinen deiner deines dem demselben den denn denselben der derer derselbe
derselben des desselben dessen dich die dies diese dieselbe dieselben diesem diesen dieser
dieses dir doch dort du durch ein eine einem einen einer eines einig einige einigem einigen
einiger einiges einmal er es etwas euch euer eure eurem euren eurer eures für gegen gewesen hab
habe haben hat hatte hatten hier hin hinter ich ihm ihn ihnen ihr ihre ihrem ihren ihrer ihres
im in indem ins ist jede jedem jeden jeder jedes jene jenem jenen jener jenes jetzt kann kein
keine keinem keinen keiner keines können könnte machen man manche manchem manchen mancher
manches mein meine meinem meinen meiner meines mich mir mit muss musste nach nicht nichts noch
nun nur ob oder ohne sehr sein seine seinem seinen seiner seines selbst sich sie sind so solche
solchem solchen solcher solches soll sollte sondern sonst um und uns unse unsem unsen unser
unses unter viel vom von vor war waren warst was weg weil weiter welche welchem welchen welcher
welches wenn werde werden wie wieder will wir wird wirst wo wollen wollte während würde würden
zu zum zur zwar zwischen über
"""
# English readers search the English texts; the common function words of English.
_ENGLISH_STOP = """
a an and are as at be been but by can do does for from had has have how i if in into is it
its of on or our so than that the their them there these they this to was we were what when
where which who will with you your
"""
STOP_WORDS = frozenset((_GERMAN_STOP + _ENGLISH_STOP).split())

_STEMMER = snowballstemmer.stemmer("german")


def words(text: str) -> list[str]:
    """The words of a text, lower-case, each once, in order (letters and digits only)."""
    found = _WORD.findall(unicodedata.normalize("NFC", text).lower())
    return list(dict.fromkeys(found))


def significant(found: list[str]) -> list[str]:
    """The words without stop words; all of them if nothing else is left („Wer wir sind“)."""
    kept = [w for w in found if w not in STOP_WORDS]
    return kept or found


def spellings(word: str) -> list[str]:
    """The German spellings of a lower-case word: ü ↔ ue, ä ↔ ae, ö ↔ oe, ß ↔ ss.

    „ue“ after a vowel or „q“ is no umlaut („neue“, „Steuer“, „Quelle“) and stays as it is.
    """
    parts: list[tuple[str, ...]] = []
    i = 0
    while i < len(word):
        char, pair = word[i], word[i : i + 2]
        before = word[i - 1] if i else ""
        if char in _UMLAUTS:
            parts.append((char, _UMLAUTS[char]))
        elif char == "ß":
            parts.append(("ß", "ss"))
        elif pair in _UMLAUT_OF and before not in _VOWELS and before != "q":
            parts.append((pair, _UMLAUT_OF[pair]))
        elif pair == "ss":
            parts.append(("ss", "ß"))
        else:
            parts.append((char,))
        i += len(parts[-1][0])
    choices = sum(len(p) > 1 for p in parts)
    if choices == 0:
        return [word]
    if choices > MAX_SPELLING_CHOICES:
        return list(dict.fromkeys(["".join(p[0] for p in parts), "".join(p[-1] for p in parts)]))
    return list(dict.fromkeys("".join(combo) for combo in itertools.product(*parts)))


@lru_cache(maxsize=8192)
def stem(word: str) -> str:
    """The Snowball German stem (umlauts removed, ß as ss); the word itself if it has digits."""
    if any(c.isdigit() for c in word):
        return word
    return str(_STEMMER.stemWord(word))


def _quoted(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def fold(text: str) -> str:
    """Lower case without diacritics, as the index keeps its words (ß stays ß)."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=8192)
def word_match(word: str) -> str:
    """One word as an FTS5 expression: (as typed OR its stem… OR its spellings… as prefixes).

    A prefix that another one covers is left out („pflegekraft*“ covers „pflegekräfte*“):
    each costs its own pass over the index, more so the short ones, which compounds share.
    """
    if len(word) < PREFIX_FROM:
        return "(" + " OR ".join(_quoted(s) for s in spellings(word)) + ")"
    root = stem(word)
    prefixes = spellings(root) if len(root) >= STEM_FROM else []
    for spelling in spellings(word):
        if not any(fold(spelling).startswith(fold(p)) for p in prefixes):
            prefixes.append(spelling)
    terms = [_quoted(word)] + [_quoted(p) + "*" for p in prefixes]
    return "(" + " OR ".join(terms) + ")"


@lru_cache(maxsize=8192)
def root_match(word: str) -> str:
    """One word of a similarity: its stem (or the word) as a prefix, in its spellings.

    Fewer phrases than word_match: bm25's cost grows with their number, and a proposal's
    words are many.
    """
    root = stem(word)
    base = root if len(root) >= STEM_FROM else word
    return "(" + " OR ".join(_quoted(s) + "*" for s in spellings(base)) + ")"


def match_all(found: list[str]) -> str:
    """Every word must occur (a search)."""
    return " AND ".join(word_match(w) for w in found)


def match_any(found: list[str]) -> str:
    """Any word may occur; more of them rank higher (a similarity)."""
    return " OR ".join(root_match(w) for w in found)


def in_titles(match: str) -> str:
    """The same expression, matched in the titles only."""
    return "{title} : (" + match + ")"
