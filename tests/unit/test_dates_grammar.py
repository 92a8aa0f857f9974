"""Issue 16: the grammar of day-level time, one table row per class, forms that must give no day,
and properties (ranges ordered, normalisation idempotent, publication-relative symmetry)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.extract.dates import DateMention, _normalise, find_dates, load_vocabulary, reference_after

D = date
PUB = D(2021, 9, 15)  # a Wednesday

VOCAB = load_vocabulary()


def _find(sentence: str, published: date | None, *, reference: object = None) -> list[DateMention]:
    """``find_dates`` with the repository's date vocabulary."""
    return find_dates(sentence, published, VOCAB, reference=reference)


def found(sentence: str, published: date | None = PUB, reference: date | None = None):
    return [
        (m.text, m.start, m.end, m.precision, m.period_start, m.period_end)
        for m in _find(sentence, published, reference=reference)
    ]


@pytest.mark.parametrize(
    ("sentence", "text", "start", "end"),
    [
        # relative offsets (days from the reference day, default publication)
        ("20天后，双方再次会谈", "20天后", D(2021, 10, 5), D(2021, 10, 5)),
        ("三天前，外长抵达北京", "三天前", D(2021, 9, 12), D(2021, 9, 12)),
        # two-digit and numeral years
        ("15年3月2日双方签约", "15年3月2日", D(2015, 3, 2), D(2015, 3, 2)),
        ("九零年9月十号建交", "九零年9月十号", D(1990, 9, 10), D(1990, 9, 10)),
        # numeric notations
        ("会议2021.3.22举行", "2021.3.22", D(2021, 3, 22), D(2021, 3, 22)),
        ("公告于2021/03/22发布", "2021/03/22", D(2021, 3, 22), D(2021, 3, 22)),
        ("协议自 20210322 起生效", "20210322", D(2021, 3, 22), D(2021, 3, 22)),
        ("双方3·22晚举行会谈", "3·22", D(2021, 3, 22), D(2021, 3, 22)),
        # lists and ranges
        ("会议9月10号、11号和12号举行", "9月10号、11号和12号", D(2021, 9, 10), D(2021, 9, 12)),
        ("从2018年12月九号到十五号访问", "2018年12月九号到十五号", D(2018, 12, 9), D(2018, 12, 15)),
        ("访问1月3日至2月10日", "1月3日至2月10日", D(2022, 1, 3), D(2022, 2, 10)),
        ("上周三到本周二举行", "上周三到本周二", D(2021, 9, 8), D(2021, 9, 14)),
        # doubled prefixes
        ("下下周一会晤", "下下周一", D(2021, 9, 27), D(2021, 9, 27)),
        ("大大后天启程", "大大后天", D(2021, 9, 19), D(2021, 9, 19)),
        ("上上个月五号签署", "上上个月五号", D(2021, 7, 5), D(2021, 7, 5)),
        # month-day without 日/号
        ("四月十三，双方通话", "四月十三", D(2021, 4, 13), D(2021, 4, 13)),
        ("十月31晚截止", "十月31", D(2021, 10, 31), D(2021, 10, 31)),
        # missing words
        ("本日外长发表声明", "本日", PUB, PUB),
        ("次日，双方会谈", "次日", D(2021, 9, 16), D(2021, 9, 16)),
        ("翌日，双方会谈", "翌日", D(2021, 9, 16), D(2021, 9, 16)),
        ("前一天，双方通话", "前一天", D(2021, 9, 14), D(2021, 9, 14)),
        # tense moves the year of a month-day
        ("外长将于3月8日访华", "3月8日", D(2022, 3, 8), D(2022, 3, 8)),
        ("外长已于8月8日访华", "8月8日", D(2021, 8, 8), D(2021, 8, 8)),
        # English
        ("They met on March 22.", "March 22", D(2021, 3, 22), D(2021, 3, 22)),
        ("He spoke last Tuesday.", "last Tuesday", D(2021, 9, 14), D(2021, 9, 14)),
        ("Talks ran March 22-23.", "March 22-23", D(2021, 3, 22), D(2021, 3, 23)),
        ("Talks ran between 22 and 25 March in Brussels", "between 22 and 25 March", D(2021, 3, 22), D(2021, 3, 25)),
        ("They met on the 18th.", "on the 18th", D(2021, 9, 18), D(2021, 9, 18)),
        ("Talks on September 28th-30th.", "September 28th-30th", D(2021, 9, 28), D(2021, 9, 30)),
    ],
)
def test_days(sentence: str, text: str, start: date, end: date) -> None:
    assert [(t, s, e) for t, s, e, *_ in found(sentence)] == [(text, start, end)]


@pytest.mark.parametrize(
    ("sentence", "text", "precision", "first", "last"),
    [
        ("三年前，两国建交", "三年前", "year", D(2018, 1, 1), D(2018, 12, 31)),
        ("4周后，双方再谈", "4周后", "week", D(2021, 10, 11), D(2021, 10, 17)),
        ("98年4月建交", "98年4月", "month", D(1998, 4, 1), D(1998, 4, 30)),
        ("2018至2020年间", "2018至2020年", "year", D(2018, 1, 1), D(2020, 12, 31)),
        ("任期1999.08-2002.02", "1999.08-2002.02", "month", D(1999, 8, 1), D(2002, 2, 28)),
        ("2019年1-5月贸易", "2019年1-5月", "month", D(2019, 1, 1), D(2019, 5, 31)),
        ("2014年11月到去年3月", "2014年11月到去年3月", "month", D(2014, 11, 1), D(2020, 3, 31)),
        ("上上周双方通话", "上上周", "week", D(2021, 8, 30), D(2021, 9, 5)),
        ("上一周双方通话", "上一周", "week", D(2021, 9, 6), D(2021, 9, 12)),
        ("上一个月双方通话", "上一个月", "month", D(2021, 8, 1), D(2021, 8, 31)),
        ("当月双方通话", "当月", "month", D(2021, 9, 1), D(2021, 9, 30)),
        ("上一年双方通话", "上一年", "year", D(2020, 1, 1), D(2020, 12, 31)),
        ("这一年双方通话", "这一年", "year", D(2021, 1, 1), D(2021, 12, 31)),
        ("1973年加入，两年后矛盾激化", "两年后", "year", D(1975, 1, 1), D(1975, 12, 31)),
        ("The ministers meet next week.", "next week", "week", D(2021, 9, 20), D(2021, 9, 26)),
        ("Prices rose earlier this month.", "this month", "month", D(2021, 9, 1), D(2021, 9, 30)),
    ],
)
def test_periods(sentence: str, text: str, precision: str, first: date, last: date) -> None:
    mentions = {m[0]: m for m in found(sentence)}
    assert mentions[text][1:] == (None, None, precision, first, last)


def test_reference_day_from_the_sentence_the_caller_or_publication() -> None:
    assert found("3月5日抵达，次日会见总统")[1][1] == D(2022, 3, 6)
    assert found("3月5日至7日访问，前一天发表声明", D(2021, 3, 1))[1][1] == D(2021, 3, 4)
    assert found("当天，双方会谈", reference=D(2021, 9, 1))[0][1] == D(2021, 9, 1)
    previous = _find("2019年5月访美", PUB)
    assert reference_after(previous) == previous[0]
    # after a month, a day word names no day; 同月 does
    assert found("同月，又访美", reference=None) and _find(
        "次日访英", PUB, reference=previous[0]
    )[0].start is None
    assert _find("同月访英", PUB, reference=previous[0])[0].period_start == D(2019, 5, 1)


@pytest.mark.parametrize(
    "sentence",
    [
        "上上上周双方通话",  # a triple prefix is not understood
        "大大大后天启程",
        "前前天双方通话",
        "服刑15年后获释",  # 15年 alone is a duration
        "纪念“9·11”事件",  # a name, not a day
        "9·11事件后成立",
        "客服电话20210322",  # a phone number
        "编号20210322的文件",
        "文件20210322号",
        "1月3万人参加",  # the number counts people
        "以后天然气价格上涨",  # 后天 is the tail of 以后
        "上任两周后会见总统",  # counted from an event the text does not date
        "特朗普宣布取消会谈的次日发表谈话",
        "王毅访德当日举行抗议",
        "a week after the vote",
        "the 18th century",
    ],
)
def test_partly_understood_forms_give_no_day(sentence: str) -> None:
    assert all(m.start is None for m in _find(sentence, PUB)), _find(sentence, PUB)


def test_english_story_offsets_need_a_day_of_the_story() -> None:
    assert found("Two days later they met.", reference=D(2021, 9, 1))[0][1] == D(2021, 9, 3)
    assert found("They landed on September 1 and two days later they met.")[1][1] == D(2021, 9, 3)
    # never from publication: "later" tells the story, not the news
    assert found("Two days later they met.")[0][1] is None
    assert found("The previous day, they met.")[0][1] is None


def _names(sentence: str, *names: str) -> list[tuple[int, int]]:
    return [(sentence.index(n), sentence.index(n) + len(n)) for n in names]


@pytest.mark.parametrize(
    ("sentence", "names", "reference", "day"),
    [
        # the subject, then its time: from the day named before in the sentence
        ("欧盟代表团6月2日抵达东京，与岸田两天后举行会谈", ("欧盟", "东京", "岸田"), None, D(2021, 6, 4)),
        ("欧盟代表团6月2日抵达东京，同岸田次日举行会谈", ("欧盟", "东京", "岸田"), None, D(2021, 6, 3)),
        # ... or from the reference day (the sentence before), with the names before it adjacent
        ("日本外务省发言人山田翌日回应称", ("日本外务省发言人", "山田"), D(2021, 6, 2), D(2021, 6, 3)),
        ("德国两日后宣布反制", ("德国",), D(2021, 6, 2), D(2021, 6, 4)),
    ],
)
def test_a_relative_day_after_the_clause_subject_counts_from_the_day_before(
    sentence: str, names: tuple[str, ...], reference: date | None, day: date
) -> None:
    got = find_dates(sentence, PUB, VOCAB, reference=reference, names=_names(sentence, *names))
    assert got[-1].start == day, got


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        ("德国两日后宣布反制", ("德国",)),  # no day before: never from publication
        ("朔尔茨会见岸田两天后，双方发表声明", ("朔尔茨", "岸田")),  # a verb before the names: an event's
        ("总理山田次日回应", ("山田",)),  # a title before the name is no lead-in
        ("德国两年后宣布反制", ("德国",)),  # years forward need a year named before
    ],
)
def test_a_relative_day_inside_a_clause_otherwise_gives_no_date(sentence: str, names: tuple[str, ...]) -> None:
    got = find_dates(sentence, PUB, VOCAB, reference=None if "两日" in sentence else D(2021, 6, 2),
                     names=_names(sentence, *names))
    assert all(m.start is None and m.period_start is None for m in got), got


def test_vague_counts_are_days_without_a_date() -> None:
    assert found("数日后，双方再谈") == [("数日后", None, None, "day", None, None)]


def test_a_future_marker_after_the_date_does_not_move_it() -> None:
    assert found("阿札尔8月4日宣布他将在近日访台", D(2020, 9, 22))[0][1] == D(2020, 8, 4)


dates = st.dates(min_value=D(1950, 1, 1), max_value=D(2090, 12, 31))


@given(published=dates, n=st.integers(1, 99))
def test_publication_relative_symmetry(published: date, n: int) -> None:
    for before, after in (("昨天", "明天"), (f"{n}天前", f"{n}天后")):
        back = _find(before, published)[0].start
        ahead = _find(after, published)[0].start
        assert back is not None and ahead is not None
        assert published - back == ahead - published
    assert _find("前天", published)[0].start == published - timedelta(days=2)


@given(text=st.text(alphabet="０１２３４５６７８９年月日号～－·、至到上下周大后天前 abcMarch", max_size=30))
def test_normalisation_is_idempotent(text: str) -> None:
    once = _normalise(text)
    assert _normalise(once) == once and len(once) == len(text)


@given(
    published=dates,
    parts=st.lists(
        st.sampled_from(
            ["3月", "10号", "、", "11号", "和", "12日", "至", "到", "2018", "2020年", "1-5月",
             "上上周", "下下周一", "次日", "前一天", "三天后", "两年后", "，", "去年", "3·22",
             "四月十三", "15年", "20210322", "between 22 and 25 March", " the 18th", "on"]
        ),
        max_size=8,
    ),
)
def test_ranges_are_ordered(published: date, parts: list[str]) -> None:
    sentence = "".join(parts)
    for m in _find(sentence, published):
        assert sentence[m.begin : m.stop] == m.text
        if m.start is not None:
            assert m.end is not None and m.start <= m.end
        if m.period_start is not None:
            assert m.period_end is not None and m.period_start <= m.period_end
