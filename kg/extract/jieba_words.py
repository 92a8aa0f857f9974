"""jieba's dictionary as an index on disk, read a word at a time.

The Chinese person rules ask jieba's dictionary two things: a word's part of speech (任期 is a
noun, so 外长任期 is no title + name) and where jieba's segmentation of a few characters starts a
word (折中|方案 holds no 中方). jieba answers from tables it loads whole: its word frequencies
(from its own cache) and, for the tags, its dictionary file parsed line by line - together more
than a second of every process that asks, and nearly every Chinese article asks. A run of one
article paid it all.

The index holds both tables in one SQLite file under ``kg.schema.cache_dir()``, built from jieba
itself the first time it is needed and named after the dictionary file's path, size and time, so
a changed dictionary gets an index of its own. A process opens it in milliseconds and reads only
the words it asks about; the answers are jieba's own.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
import sqlite3
from pathlib import Path

from kg.schema import cache_dir

# The index's layout; a new value gives the file a new name, so an index of the old layout is never read.
INDEX_FORMAT = 1

_Row = tuple[int | None, str | None]  # jieba's frequency of a string (None: not in its table), its tag


def dictionary_file() -> Path:
    """jieba's bundled dictionary, found without importing jieba (its import alone takes a tenth of a second)."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("jieba is not installed (pip install jieba): Chinese name rules need its dictionary")
    return Path(spec.origin).parent / "dict.txt"


def index_path(dictionary: Path) -> Path:
    """The index built from ``dictionary`` as it is now."""
    stat = dictionary.stat()
    key = f"{INDEX_FORMAT}:{dictionary.resolve()}:{stat.st_size}:{stat.st_mtime_ns}"
    return cache_dir() / f"jieba-words-{hashlib.sha256(key.encode()).hexdigest()[:16]}.sqlite3"


def fill_index(con: sqlite3.Connection) -> None:
    """Write jieba's tables into the empty database ``con``: every string of its frequency table
    (the prefixes of its words are there too, at 0: its segmentation stops at a string that is
    none) and every word's part-of-speech tag, as jieba loads them."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    import jieba.posseg

    tokenizer = jieba.posseg.dt.tokenizer  # the tokenizer whose dictionary file the tags are read from
    tokenizer.check_initialized()
    freq, tags = tokenizer.FREQ, jieba.posseg.dt.word_tag_tab
    con.execute("CREATE TABLE word (text TEXT PRIMARY KEY, freq INTEGER, tag TEXT) WITHOUT ROWID")
    con.execute("CREATE TABLE total (value INTEGER NOT NULL)")
    con.executemany("INSERT INTO word VALUES (?, ?, ?)",
                    ((w, freq.get(w), tags.get(w)) for w in sorted(freq.keys() | tags.keys())))
    con.execute("INSERT INTO total VALUES (?)", (tokenizer.total,))
    con.commit()


def _build(path: Path) -> None:
    """Build the index at ``path``, whole or not at all: written beside it, then renamed, so a
    process that finds the file finds it complete (two processes building at once both succeed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    try:
        con = sqlite3.connect(partial)
        try:
            fill_index(con)
        finally:
            con.close()
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def open_index() -> sqlite3.Connection:
    """The index of the installed jieba's dictionary, built if there is none yet. Without a
    writable cache folder it is built in this process's memory (every process builds its own)."""
    path = index_path(dictionary_file())
    if not path.exists():
        try:
            _build(path)
        except (OSError, sqlite3.Error):
            con = sqlite3.connect(":memory:", check_same_thread=False)
            fill_index(con)
            return con
    return sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, check_same_thread=False)


class WordTags:
    """jieba's dictionary, read from the index a word at a time: opened on the first look-up and
    again in a forked child (an SQLite connection must not cross a fork), never pickled (a worker
    opens its own). The strings asked about are remembered: a run asks about a few thousand."""

    def __init__(self) -> None:
        self._index: sqlite3.Connection | None = None
        self._pid = 0
        self._total: int | None = None
        self._rows: dict[str, _Row | None] = {}

    def __reduce__(self) -> tuple[type[WordTags], tuple[()]]:
        return WordTags, ()

    def _connection(self) -> sqlite3.Connection:
        if self._index is None or self._pid != os.getpid():
            self._index, self._pid = open_index(), os.getpid()
        return self._index

    def _total_freq(self) -> int:
        """The sum of jieba's word frequencies (the denominator of its word probabilities)."""
        if self._total is None:
            self._total = self._connection().execute("SELECT value FROM total").fetchone()[0]
        return self._total

    def _row(self, text: str) -> _Row | None:
        if text not in self._rows:
            self._rows[text] = self._connection().execute(
                "SELECT freq, tag FROM word WHERE text = ?", (text,)).fetchone()
        return self._rows[text]

    def get(self, word: str, default: str = "") -> str:
        """The tag of ``word`` (``nr`` a person's name, ``ns`` a place, ``v`` a verb...), else ``default``."""
        row = self._row(word)
        return default if row is None or row[1] is None else row[1]

    def frequency(self, word: str) -> int:
        """How often jieba's dictionary counts ``word`` (0 when it lacks it)."""
        row = self._row(word)
        return 0 if row is None or row[0] is None else row[0]

    def __contains__(self, word: object) -> bool:
        row = self._row(word) if isinstance(word, str) else None
        return row is not None and row[1] is not None

    def cut(self, text: str) -> list[str]:
        """jieba's segmentation of ``text`` without its model of unknown words, as
        ``jieba.lcut(text, HMM=False)`` gives it: jieba's own algorithm, on a tokenizer whose
        frequency table holds just the strings of ``text`` that jieba's does. It asks its table
        about no other string (only runs from each character, as long as they are in the table),
        so the words are those the whole dictionary gives."""
        import jieba

        freq: dict[str, int] = {}
        for begin in range(len(text)):
            for end in range(begin + 1, len(text) + 1):
                row = self._row(text[begin:end])
                if row is None or row[0] is None:
                    break
                freq[text[begin:end]] = row[0]
        tokenizer = jieba.Tokenizer()
        tokenizer.FREQ, tokenizer.total, tokenizer.initialized = freq, self._total_freq(), True
        return tokenizer.lcut(text, HMM=False)
