"""Fast matching of many regex rules against one text: each rule is gated by the literal text it must start with.

Running a few hundred regexes over every notice costs milliseconds; almost all of them cannot match. At
construction each rule's leading literal(s) are derived from the parsed regex (`(raised?|raising)…` → rais,
raising). Per text a cheap index is built once (English: the set of word prefixes; Chinese: the set of
characters), rules whose literals cannot occur are skipped, and the rest start searching at the literal's first
occurrence. Rules without a derivable leading literal simply always run (correct, only slower).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

try:  # a compiled Aho-Corasick automaton finds every literal in one pass; without it a trie regex does the same, slower
    import ahocorasick_rs as _ahocorasick
except ImportError:  # pragma: no cover
    _ahocorasick = None

try:  # Python 3.11+: the parser lives in re._parser (sre_parse is a deprecated alias)
    from re import _constants as _C
    from re import _parser as _P
except ImportError:  # pragma: no cover
    import sre_constants as _C  # type: ignore[no-redef]
    import sre_parse as _P  # type: ignore[no-redef]

# a DFA automaton: about 40% faster per scan than the default NFA here, same matches (built once per Classifier)
_AC_OPTS = {"implementation": _ahocorasick.Implementation.DFA} if _ahocorasick is not None else {}

_ZERO_WIDTH = {_C.AT, _C.ASSERT, _C.ASSERT_NOT}
_MAX_BRANCHES = 24


def leading_literals(pattern: str) -> list[str] | None:
    """Literal strings one of which every match starts with, or None when that cannot be told from the pattern."""
    try:
        parsed = _P.parse(pattern)
    except re.error:
        return None
    out = _lead(list(parsed))
    if not out or any(not s for s in out) or len(out) > _MAX_BRANCHES:
        return None
    return sorted(set(out))


def _lead(items: list[Any]) -> list[str] | None:
    i = 0
    while i < len(items) and items[i][0] in _ZERO_WIDTH:
        i += 1
    if i >= len(items):
        return None
    op, av = items[i]
    if op is _C.LITERAL:
        s = ""
        while i < len(items) and items[i][0] is _C.LITERAL:
            s += chr(items[i][1])
            i += 1
        # a group, branch or optional piece right after the run extends it (`(were|was)` parses as w + (ere|as),
        # `rules? 3310` → rule 3310 / rules 3310); anything else ends it
        if i < len(items) and (items[i][0] in (_C.BRANCH, _C.SUBPATTERN) or (
                items[i][0] is _C.MAX_REPEAT and items[i][1][0] == 0 and items[i][1][1] == 1)):
            rest = _lead(items[i:])
            if rest is not None and all(rest) and len(rest) <= _MAX_BRANCHES:
                return [s + r for r in rest]
        return [s]
    if op is _C.SUBPATTERN:
        return _lead(list(av[-1]) + items[i + 1:])
    if op is _C.BRANCH:
        out: list[str] = []
        for br in av[1]:
            r = _lead(list(br) + items[i + 1:])
            if r is None:
                return None
            out.extend(r)
            if len(out) > _MAX_BRANCHES:
                return None
        return out
    if op in (_C.MAX_REPEAT, _C.MIN_REPEAT):
        lo, hi, sub = av
        if lo == 0 and hi == 1:  # optional: literals with it and without it (`rules? 3310` → rule 3310, rules 3310)
            with_it = _lead(list(sub) + items[i + 1:])
            without = _lead(items[i + 1:])
            if with_it is None or without is None:
                return None
            return with_it + without
        if lo >= 1:
            return _lead(list(sub))
        return None
    if op is _C.IN:  # a small class of plain characters at the start: [ds]…
        chars = [chr(v) for o, v in av if o is _C.LITERAL]
        if len(chars) == len(av) and len(chars) <= 6:
            rest = _lead(items[i + 1:]) or [""]
            return [c + r for c in chars for r in rest]
        return None
    return None


def required_literal(rx: re.Pattern[str]) -> str | None:
    """The longest literal every match contains after a variable-width part (`invest\\w*[^.;]{0,60}promissory
    notes?` → "promissory note"), or None. A text without it cannot match, whatever the start offset."""
    if rx.flags & re.IGNORECASE:
        return None
    try:
        parsed = _P.parse(rx.pattern, rx.flags)
    except re.error:  # pragma: no cover
        return None
    flat: list[Any] = []

    def walk(items: Any) -> None:
        for op, av in items:
            if op is _C.SUBPATTERN and not av[1] and not av[2]:  # a group without inline flags: its sequence
                walk(av[-1])
            else:
                flat.append((op, av))

    walk(list(parsed))
    best = ""
    run = ""
    fixed = True  # still in the fixed leading literal (already found by the scan): not worth a check
    for op, av in flat:
        if op is _C.LITERAL:
            run += chr(av)
            continue
        if run and not fixed and len(run) > len(best):
            best = run
        run = ""
        if op not in _ZERO_WIDTH:
            fixed = False
    if run and not fixed and len(run) > len(best):
        best = run
    return best if len(best) >= 3 else None


_P4 = re.compile(rb"(?<![a-z0-9])[a-z0-9]{1,4}")
_EN_TABLE = bytes.maketrans(bytes(range(256)), bytes(
    c if (48 <= c <= 57 or 97 <= c <= 122) else 32 for c in range(256)))


@dataclass
class Gated:
    """One rule with its gate: `lits` are the literal starts; `keys` what the per-text index must contain."""

    rx: re.Pattern[str]
    lits: tuple[str, ...] | None  # scan strings: shared prefixes of the leading literals
    keys: tuple[Any, ...] | None  # en: (len, bytes prefix); zh: first characters
    payload: Any


def en_index(low: str) -> tuple[set[bytes], set[bytes]]:
    """Whole tokens and 4-character word prefixes of lower-cased English text (shared by both rule sets)."""
    toks = set(low.encode("ascii", "ignore").translate(_EN_TABLE).split())
    return toks, {t[:4] for t in toks}


def _scan_prefixes(lits: list[str]) -> tuple[str, ...]:
    """Fewest strings to find() so that every literal start is visited: literals sharing 4+ leading characters
    are scanned by their common prefix (manipulate/manipulated/… → manipulat)."""
    out: list[str] = []
    for lit in sorted(set(lits)):
        if out:
            prev = out[-1]
            n = 0
            while n < min(len(prev), len(lit)) and prev[n] == lit[n]:
                n += 1
            if n >= min(4, len(prev), len(lit)):
                out[-1] = prev[:n]
                continue
        out.append(lit)
    return tuple(out)


class RuleSet:
    """Rules of one language. `lang` 'en' gates on word prefixes, 'zh' on characters."""

    def __init__(self, lang: str):
        self.lang = lang
        self.rules: list[Gated] = []
        self._by_key: dict[Any, list[int]] = {}
        self._always: list[int] = []

    def add(self, rx: re.Pattern[str], payload: Any) -> None:
        lits = leading_literals(rx.pattern)
        keys: tuple[Any, ...] | None = None
        if lits is not None:
            if self.lang == "en":
                ks: list[Any] = []
                for lit in lits:
                    inner = [mm.group(0) for mm in re.finditer(r"[a-z0-9]+", lit)
                             if mm.start() > 0 and not lit[mm.start() - 1].isalnum() and mm.end() < len(lit)]
                    if inner:  # a whole word inside the literal: the most selective gate
                        ks.append(("tok", max(inner, key=len).encode()))
                        continue
                    m = re.match(r"[a-z0-9]+", lit)
                    if not m:  # starts with punctuation or space: no word prefix to gate on
                        ks = []
                        break
                    w = m.group(0)
                    if len(w) >= 4:
                        ks.append(w[:4].encode())  # some word starts with these 4 characters
                    elif m.end() < len(lit):
                        ks.append(("tok", w.encode()))  # a short whole word: `13(b)`, `sec `
                    else:  # a short literal that may continue the word (`ban` of banned): cannot gate
                        ks = []
                        break
                keys = tuple(ks) if ks else None
            else:
                keys = tuple(lit[:2] for lit in lits)
        idx = len(self.rules)
        self.rules.append(Gated(rx, _scan_prefixes(lits) if lits else None, keys, payload))
        if keys is None:
            self._always.append(idx)
        else:
            for k in set(keys):
                self._by_key.setdefault(k, []).append(idx)

    def index(self, text: str) -> Any:
        """Per-text gate index: en (whole tokens, 4-character word prefixes); zh the set of characters."""
        if self.lang == "en":
            return en_index(text)
        return set(text)

    def _freeze(self) -> None:
        self._p4_keys = frozenset(k for k in self._by_key if type(k) is bytes)
        self._tok_keys = {k[1]: k for k in self._by_key if type(k) is tuple}
        self._tok_key_set = frozenset(self._tok_keys)
        self._by_first: dict[str, list[tuple[str, list[int]]]] = {}
        for k, ids in self._by_key.items():
            if type(k) is str:
                self._by_first.setdefault(k[0], []).append((k, ids))
        self._first_set = frozenset(self._by_first)
        self._frozen = len(self.rules)

    def candidates(self, text: str, idx: Any) -> list[Gated]:
        """Rules that may match text (their gate keys occur in idx), in rule order."""
        if getattr(self, "_frozen", -1) != len(self.rules):
            self._freeze()
        picked = set(self._always)
        by_key = self._by_key
        if self.lang == "en":
            toks, p4 = idx
            for k in p4 & self._p4_keys:
                picked.update(by_key[k])
            for w in toks & self._tok_key_set:
                picked.update(by_key[self._tok_keys[w]])
        else:
            for ch in idx & self._first_set:
                for k, ids in self._by_first[ch]:
                    if len(k) < 2 or k[1] in idx:
                        picked.update(ids)
        rules = self.rules
        return [rules[i] for i in sorted(picked)]

    @staticmethod
    def finditer(g: Gated, text: str, lo: int = 0, hi: int | None = None) -> Iterator[re.Match[str]]:
        """Matches of one rule in text[lo:hi], tried only where one of its leading literals occurs."""
        hi = len(text) if hi is None else hi
        if g.lits is None:
            yield from g.rx.finditer(text, lo, hi)
            return
        if len(g.lits) == 1:
            lit = g.lits[0]
            pos = text.find(lit, lo, hi)
            while pos >= 0:
                m = g.rx.match(text, pos, hi)
                if m:
                    yield m
                    pos = text.find(lit, max(m.end(), pos + 1), hi)
                else:
                    pos = text.find(lit, pos + 1, hi)
            return
        positions = set()
        for lit in g.lits:
            pos = text.find(lit, lo, hi)
            while pos >= 0:
                positions.add(pos)
                pos = text.find(lit, pos + 1, hi)
        last_end = -1
        for pos in sorted(positions):
            if pos < last_end:
                continue
            m = g.rx.match(text, pos, hi)
            if m:
                last_end = m.end()
                yield m


# ============================================================================================= one-scan triggers
# en: the scan runs over bytes in which every character but a-z/0-9 is a space (same offsets: one byte a character),
# so a word start is "a space, then the literal"; literals are translated the same way before compiling.
_SCAN_TABLE = bytes(c if (48 <= c <= 57 or 97 <= c <= 122) else 32 for c in range(256))


def _scan_bytes(low: str) -> bytes:
    return (" " + low).encode("ascii", "replace").translate(_SCAN_TABLE)


def _trie(words: list) -> dict:
    root: dict = {}
    for w in words:
        d = root
        for ch in w:
            d = d.setdefault(ch, {})
        d[None] = True
    return root


def _esc(ch: Any) -> str:
    return re.escape(chr(ch) if isinstance(ch, int) else ch)


def _tail_regex(node: dict) -> str:
    """Any of the tails below node (a lookahead needs only one: a finished tail prunes the longer ones)."""
    if None in node:
        return ""
    alts = [_esc(ch) + _tail_regex(sub) for ch, sub in sorted(node.items())]
    return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"


def _head_regex(node: dict, tails: dict[int, dict]) -> str:
    """Consumed heads, longest first; where a head ends, a lookahead for the rest of its literals."""
    alts = [_esc(ch) + _head_regex(sub, tails) for ch, sub in sorted(node.items(), key=lambda kv: str(kv[0]))
            if ch is not None]
    if None in node:
        tail = _tail_regex(tails[id(node)])
        alts.append(f"(?={tail})" if tail else "")
    if len(alts) == 1:
        return alts[0]
    return "(?:" + "|".join(alts) + ")"


class Triggers:
    """Many rules, one scan of the text. Each rule is keyed by the literal(s) one of which every match starts with
    (derived from the regex, see leading_literals). All literals are compiled into one trie regex that consumes only
    a literal's head (en: its first word or word prefix; zh: its first character) and checks the rest in a
    lookahead, so literals that overlap are all seen. A hit runs only the rules whose literal starts there, with
    `rx.match` at that offset: a rule matches exactly where its own regex does.

    en literals start a word (the character before is not a-z/0-9). A rule whose literal starts inside a word (a
    leading `(?<=[a-z])`) is found by str.find; one whose literal cannot be derived runs its own search.
    """

    def __init__(self, lang: str):
        self.lang = lang
        self.rules: list[tuple[re.Pattern[str], Any]] = []
        self.need: list[str | None] = []  # per rule: a literal its matches contain (see required_literal)
        self._lits: dict[str, list[int]] = {}
        self._always: list[int] = []
        self._midword: list[tuple[int, tuple[str, ...]]] = []
        self._rx: re.Pattern | None = None
        self._ac: Any = None

    def __len__(self) -> int:
        return len(self.rules)

    def add(self, rx: re.Pattern[str], payload: Any) -> int:
        """Add a rule; returns its index (scan results are keyed by it, rule order = index order)."""
        idx = len(self.rules)
        self.rules.append((rx, payload))
        self.need.append(required_literal(rx))
        lits = leading_literals(rx.pattern)
        if lits and self.lang == "en" and (rx.pattern.startswith("(?<=") or
                                           any(not (lit[0].isascii() and lit[0].isalnum()) for lit in lits)):
            self._midword.append((idx, tuple(lits)))
        elif not lits:
            self._always.append(idx)
        else:
            for lit in lits:
                self._lits.setdefault(lit, []).append(idx)
        self._rx = None
        self._ac = None
        return idx

    def _split(self, lit: str) -> tuple[Any, Any]:
        if self.lang != "en":
            return lit[:1], lit[1:]
        n = 0
        while n < len(lit) and lit[n].isascii() and lit[n].isalnum():
            n += 1
        b = lit.encode("ascii", "replace").translate(_SCAN_TABLE)
        return b[:n], b[n:]

    def _compile(self) -> None:
        if _ahocorasick is not None:
            self._compile_ac()
        heads: dict[Any, list[tuple[str, Any]]] = {}
        for lit in self._lits:
            h, t = self._split(lit)
            heads.setdefault(h, []).append((lit, t))
        root = _trie(list(heads))
        tails: dict[int, dict] = {}
        for h, items in heads.items():
            d = root
            for ch in h:
                d = d[ch]
            tails[id(d)] = _trie([t for _, t in items])
        body = _head_regex(root, tails) if heads else "(?!)"
        if self.lang == "en":
            self._rx = re.compile((" (?:" + body + ")").encode("latin-1"))
        else:
            self._rx = re.compile("(?:" + body + ")")
        # a matched head → the literals whose head is a prefix of it (the longest head matches), bucketed by their
        # first n characters (n: the shortest of them) so a hit tries only the literals that start like the text
        self._by_head: dict[Any, tuple[int, dict[str, list[tuple[str, list[int]]]]]] = {}
        for h in heads:
            lits = [lit for hh, items in heads.items() if h.startswith(hh) for lit, _ in items]
            n = min(len(lit) for lit in lits)
            buckets: dict[str, list[tuple[str, list[int]]]] = {}
            for lit in lits:
                buckets.setdefault(lit[:n], []).append((lit, self._lits[lit]))
            self._by_head[(b" " + h) if self.lang == "en" else h] = (n, buckets)  # en: keyed as matched, space first

    def _compile_ac(self) -> None:
        """One automaton over every literal (en: in its scan form, led by the separator that marks a word start, over
        the scan bytes). A key is found wherever the literal's scan form occurs; en then confirms the literal itself
        with `startswith` on the text (the scan form is looser: any punctuation reads as a space); zh keys are the
        literals themselves."""
        groups: dict[Any, list[tuple[int, str, tuple[int, ...]]]] = {}  # key → (shift, literal, rule ids)
        for lit, ids in self._lits.items():
            if self.lang == "en":
                key = b" " + lit.encode("ascii", "replace").translate(_SCAN_TABLE)
            else:
                key = lit
            groups.setdefault(key, []).append((0, lit, tuple(ids)))
        # en literals that may start inside a word: no separator in front, so the key starts one place before the
        # literal's text offset (shift -1); their rule's own regex (lookbehind and all) is run at each offset later
        for i, lits in self._midword:
            for lit in lits:
                groups.setdefault(lit.encode("ascii", "replace").translate(_SCAN_TABLE), []).append((-1, lit, (i,)))
        if not groups:
            self._ac = False
            return
        keys = list(groups)
        if self.lang == "en":
            self._ac = _ahocorasick.BytesAhoCorasick(keys, **_AC_OPTS)
            self._ac_vals = [tuple(groups[k]) for k in keys]
            # a key whose literals are all plain a-z/0-9 words at shift 0 needs no confirmation: only those
            # characters survive into the scan bytes unchanged, so the key's bytes are the literal's text
            self._ac_sure = [tuple(i for _, _, ids in groups[k] for i in ids)
                             if all(sh == 0 and lit.isascii() and lit.isalnum() and lit.islower() or
                                    sh == 0 and lit.isascii() and lit.isdigit() for sh, lit, _ in groups[k]) else None
                             for k in keys]
        else:
            self._ac = _ahocorasick.AhoCorasick(keys, **_AC_OPTS)
            self._ac_vals = [tuple(i for _, _, ids in groups[k] for i in ids) for k in keys]

    def scan(self, text: str, lo: int = 0) -> "Hits":
        """Rules that may match text (at or after lo): rule index → offsets where one of its literals starts.
        Nothing is matched yet: `Hits.matches(i)` runs rule i's regex there, so a caller that stops at the first
        accepted match of a label never pays for the rest. en text must be lower-cased (rules are lower case)."""
        if self._rx is None:
            self._compile()
        out = Hits(self, text)
        by_head = self._by_head
        startswith = text.startswith
        if self._ac is not None:
            if self._ac:
                vals = self._ac_vals
                if self.lang == "en":
                    # the separator's bytes offset = the literal's text offset (the scan bytes lead by one)
                    found = self._ac.find_matches_as_indexes(_scan_bytes(text)[lo:] if lo else _scan_bytes(text),
                                                             overlapping=True)
                    sure = self._ac_sure
                    get = out.get
                    # The append below is written out in both branches on purpose: this loop runs per automaton hit,
                    # and folding the branches into one (pairs built per hit) measured 3% slower per English notice.
                    for k, start, _ in found:
                        if lo:
                            start += lo
                        ids = sure[k]
                        if ids is not None:
                            for i in ids:
                                lst = get(i)
                                if lst is None:
                                    out[i] = [start]
                                else:
                                    lst.append(start)
                        else:
                            for sh, lit, ids in vals[k]:
                                pos = start + sh
                                if startswith(lit, pos) and pos >= lo:
                                    for i in ids:
                                        lst = get(i)
                                        if lst is None:
                                            out[i] = [pos]
                                        else:
                                            lst.append(pos)
                else:
                    get = out.get
                    for k, pos, _ in self._ac.find_matches_as_indexes(text[lo:] if lo else text, overlapping=True):
                        if lo:
                            pos += lo
                        for i in vals[k]:
                            lst = get(i)
                            if lst is None:
                                out[i] = [pos]
                            else:
                                lst.append(pos)
                for lst in out.values():  # found in order of their ends: put each rule's offsets in text order
                    if len(lst) > 1:
                        lst.sort()
        else:
            # en: the separator's bytes offset = the literal's text offset (the scan bytes lead by one)
            for m in self._rx.finditer(_scan_bytes(text) if self.lang == "en" else text, lo):
                pos = m.start()
                n, buckets = by_head[m.group()]
                for lit, ids in buckets.get(text[pos:pos + n], ()):
                    if startswith(lit, pos):
                        for i in ids:
                            if i in out:
                                out[i].append(pos)
                            else:
                                out[i] = [pos]
        rules = self.rules
        for i, lits in (self._midword if not self._ac else ()):
            ms = list(RuleSet.finditer(Gated(rules[i][0], lits, None, None), text, lo))
            if ms:
                out[i] = [m.start() for m in ms]
        for i in self._always:
            ms = list(rules[i][0].finditer(text, lo))
            if ms:
                out[i] = [m.start() for m in ms]
        return out


class Hits(dict):
    """Triggers.scan result: rule index → candidate offsets (sorted). Iterating gives rule indices."""

    __slots__ = ("trig", "text")

    def __init__(self, trig: Triggers, text: str):
        super().__init__()
        self.trig = trig
        self.text = text

    def matches(self, i: int) -> Iterator[re.Match[str]]:
        """Rule i's matches in text order, non-overlapping (as finditer would give them from these offsets)."""
        rx = self.trig.rules[i][0]
        text = self.text
        need = self.trig.need[i]
        if need is not None and need not in text:
            return
        last = -1
        prev = -1
        for pos in self.get(i, ()):
            if pos < last or pos == prev:
                continue
            prev = pos
            m = rx.match(text, pos)
            if m is not None:
                e = m.end()
                last = e if e > pos else pos + 1
                yield m

    def first(self, i: int) -> re.Match[str] | None:
        return next(self.matches(i), None)
