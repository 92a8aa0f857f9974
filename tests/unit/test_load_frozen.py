"""kg.graph.load: an update's batches grow; its first batch is shown as it comes and its tail told when the batches end;
what outlives a batch is kept out of the garbage collector's walks during a load,
and gives it back at the end, also when the load fails."""

from __future__ import annotations

import gc

import pytest

from kg.graph.load import _first_seen, _frozen_between_batches, _then, growing_batches
from kg.records import ArticleExtraction


def test_what_a_batch_froze_is_unfrozen_when_the_load_ends() -> None:
    kept = [[n] for n in range(100)]
    with _frozen_between_batches():
        gc.freeze()  # as after a batch
        assert gc.get_freeze_count() >= len(kept)
    assert gc.get_freeze_count() == 0


def test_and_when_it_fails() -> None:
    with pytest.raises(RuntimeError), _frozen_between_batches():
        gc.freeze()
        raise RuntimeError("a write failed")
    assert gc.get_freeze_count() == 0


def test_the_switch_interval_is_set_while_batches_are_written_beside_resolution_and_restored() -> None:
    """``_switching``: the writer thread gets the GIL back soon after each reply of the server."""
    import sys

    from kg.graph.load import _switching

    before = sys.getswitchinterval()
    with pytest.raises(RuntimeError), _switching(0.0005):
        assert sys.getswitchinterval() == pytest.approx(0.0005)
        raise RuntimeError("a failed write")
    assert sys.getswitchinterval() == before


def test_young_collections_are_rarer_during_a_load_and_as_before_after_it() -> None:
    before = gc.get_threshold()
    with _frozen_between_batches():
        assert gc.get_threshold()[0] > before[0]
    assert gc.get_threshold() == before


def test_an_update_s_batches_double_up_to_their_bound() -> None:
    assert [len(b) for b in growing_batches(range(1000), 200, 1000)] == [200, 400, 400]
    assert [len(b) for b in growing_batches(range(3000), 200, 1000)] == [200, 400, 800, 1000, 600]
    assert [len(b) for b in growing_batches(range(5), 3, 2)] == [3, 2]  # never below the first size
    assert [x for b in growing_batches(range(77), 5, 30) for x in b] == list(range(77))


def test_the_tail_is_told_when_the_batches_are_exhausted_before_the_taker() -> None:
    """``_then``: the last batch is being written when the loader asks for the next, and learns there
    is none only after the counters are sent and the index's shards written."""
    told: list[str] = []
    taken = []
    for batch in _then(iter([[1], [2]]), lambda: told.append("done")):
        taken.append((batch, list(told)))
    assert taken == [([1], []), ([2], [])] and told == ["done"]
    closed = _then(iter([[1], [2]]), lambda: told.append("again"))
    next(closed)
    closed.close()  # a load that fails stops taking: nothing is sent
    assert told == ["done"]


def test_the_first_batch_is_shown_article_by_article_as_it_comes() -> None:
    """``_first_seen``: each of the first batch's extractions is shown (its reports) when it comes,
    so its shards are read while the rest is extracted; the others pass as they are."""
    extractions = [ArticleExtraction.from_dict({"article": {"id": f"a{n}", "source": "s", "title": "t"}})
                   for n in range(5)]
    seen: list[int] = []
    out = []
    for ex in _first_seen(iter(extractions), 3, lambda reports: seen.append(len(reports))):
        out.append((ex.article.id, len(seen)))
    assert out == [("a0", 1), ("a1", 2), ("a2", 3), ("a3", 3), ("a4", 3)]
