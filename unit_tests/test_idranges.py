"""Range-set arithmetic and the compact text kept in state (source_brightpearl/api/idranges.py)."""

from __future__ import annotations

import random

import pytest

from source_brightpearl.api.idranges import COMPRESSED_PREFIX, PLAIN_TEXT_LIMIT, MalformedIdSet, RangeSet

# The recorded answer to OPTIONS order-service/order/1-100,320,321 (docs/brightpearl.md cites the API page).
RECORDED_URI_IDS = "1-2,5,8,10-41,43-44,46-100,320-321"


def test_parses_brightpearl_id_sets():
    recorded = RangeSet.parse(RECORDED_URI_IDS)
    assert recorded.ranges == ((1, 2), (5, 5), (8, 8), (10, 41), (43, 44), (46, 100), (320, 321))
    assert len(recorded) == 2 + 1 + 1 + 32 + 2 + 55 + 2
    assert 5 in recorded and 6 not in recorded and 321 in recorded and 322 not in recorded and 0 not in recorded
    assert RangeSet.parse("9.1.5-7") == RangeSet.parse("1,5-7,9")  # unordered lists use `.`
    assert RangeSet.parse("1-3,4,5-6").ranges == ((1, 6),)  # adjacent ranges merge
    assert RangeSet.parse("").ranges == () and not RangeSet.parse("  ")


@pytest.mark.parametrize("text", ["5-3", "a", "1,,2", "1-", "-4", "1;2", "1 2"])
def test_rejects_what_is_not_an_id_set(text):
    with pytest.raises(MalformedIdSet):
        RangeSet.parse(text)


def test_from_ids_dedupes_and_merges():
    assert RangeSet.from_ids([5, 3, 4, 4, 10, 1]).ranges == ((1, 1), (3, 5), (10, 10))
    assert RangeSet.from_ids([]).ranges == ()
    assert list(RangeSet.from_ids([7, 2, 3])) == [2, 3, 7]
    assert RangeSet.from_ids([1, 2, 3]).to_id_set() == "1-3"


@pytest.mark.parametrize("seed", range(25))
def test_difference_and_union_match_plain_sets(seed):
    rng = random.Random(seed)
    left = {rng.randrange(0, 300) for _ in range(rng.randrange(0, 200))}
    right = {rng.randrange(0, 300) for _ in range(rng.randrange(0, 200))}
    a, b = RangeSet.from_ids(left), RangeSet.from_ids(right)
    assert list(a.difference(b)) == sorted(left - right)
    assert list(b.difference(a)) == sorted(right - left)
    assert list(a.union(b)) == sorted(left | right)
    assert a.difference(b).ranges == RangeSet.from_ids(left - right).ranges  # stays normalised


def test_difference_edge_cases():
    whole = RangeSet.parse("1-100")
    assert whole.difference(RangeSet.parse("1-100")).ranges == ()
    assert whole.difference(RangeSet.parse("0-1000")).ranges == ()
    assert whole.difference(RangeSet()).ranges == ((1, 100),)
    assert whole.difference(RangeSet.parse("1,100")).ranges == ((2, 99),)
    assert whole.difference(RangeSet.parse("10-20,15-30,50")).to_id_set() == "1-9,31-49,51-100"
    assert RangeSet().difference(whole).ranges == ()


def test_short_sets_stay_readable_in_state():
    ids = RangeSet.parse(RECORDED_URI_IDS)
    assert ids.encode() == RECORDED_URI_IDS
    assert RangeSet.decode(ids.encode()) == ids
    assert RangeSet().encode() == "" and RangeSet.decode("") == RangeSet()


def test_long_sets_are_compressed_and_round_trip():
    rng = random.Random(3)
    ids = RangeSet.from_ids(i for i in range(10_000_000, 10_050_000) if rng.random() >= 0.01)
    encoded = ids.encode()
    assert len(ids.to_id_set()) > PLAIN_TEXT_LIMIT
    assert encoded.startswith(COMPRESSED_PREFIX)
    assert RangeSet.decode(encoded) == ids


@pytest.mark.parametrize("text", [COMPRESSED_PREFIX + "!!!", COMPRESSED_PREFIX + "aGVsbG8=", 12, None, "1-2,x"])
def test_decode_refuses_what_it_did_not_encode(text):
    with pytest.raises(MalformedIdSet):
        RangeSet.decode(text)


@pytest.mark.parametrize(
    "gap_share,limit",
    [(0.01, 64 * 1024), (0.1, 256 * 1024), (0.5, 512 * 1024)],
    ids=["1%-gaps", "10%-gaps", "50%-gaps"],
)
def test_state_size_for_a_million_ids(gap_share, limit):
    """What a stream's state carries for an account of 1,000,000 record ids of which a share was deleted at random
    (docs/performance.md records the sizes: about 20 KB at 1 %)."""
    rng = random.Random(11)
    ids = RangeSet.from_ids(i for i in range(1, 1_000_001) if rng.random() >= gap_share)
    encoded = ids.encode()
    assert len(encoded) < limit, f"{len(encoded)} characters"
    assert RangeSet.decode(encoded) == ids
