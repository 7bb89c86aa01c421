import pytest

from sandbox.idsets import IdSetError, compress, parse_id_set


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("8", [8]),
        ("1-5", [1, 2, 3, 4, 5]),
        ("1,5,9", [1, 5, 9]),
        ("9.1.5", [1, 5, 9]),  # "." lists are unordered
        ("1-3,7.9-10,2", [1, 2, 3, 7, 9, 10]),
        ("4-4", [4]),
    ],
)
def test_parse(text, ids):
    assert parse_id_set(text).ids() == ids


@pytest.mark.parametrize("text", ["", "5-1", "a", "1,,2", "1-", "-3", "1 2", "*", "1-2-3"])
def test_malformed(text):
    with pytest.raises(IdSetError):
        parse_id_set(text)


def test_huge_range_is_cheap():
    id_set = parse_id_set("1-1000000000,5")
    assert id_set.count == 1_000_000_000
    assert 999_999_999 in id_set and 0 not in id_set
    assert id_set.select([0, 3, 2_000_000_000]) == [3]


def test_compress():
    assert compress([1, 2, 5, 8, 10, 11, 12, 41, 43, 44]) == "1-2,5,8,10-12,41,43-44"
    assert compress([]) == ""
    assert compress([7]) == "7"
