import pytest
from hypothesis import given
from hypothesis import strategies as st

from sinergi.regions.codes import Level, is_region_code, parse_region_code, village_kind_from_code

two = st.from_regex(r"[0-9]{2}", fullmatch=True)
four = st.from_regex(r"[0-9]{4}", fullmatch=True)
segments = st.one_of(
    st.tuples(two),
    st.tuples(two, two),
    st.tuples(two, two, two),
    st.tuples(two, two, two, four),
)


@given(segments)
def test_a_dotted_code_round_trips_and_knows_its_ancestors(parts):
    code = ".".join(parts)
    parsed = parse_region_code(code)
    assert parsed.code == code
    assert parsed.level == [Level.PROVINCE, Level.REGENCY, Level.DISTRICT, Level.VILLAGE][len(parts) - 1]
    assert parsed.province_code == parts[0]
    assert code.startswith(parsed.regency_code or parts[0])
    assert parsed.parent_code == (".".join(parts[:-1]) or None)
    assert is_region_code(code, level=parsed.level)


@given(st.text(max_size=16))
def test_anything_that_is_not_a_dotted_code_is_rejected(text):
    valid = is_region_code(text)
    try:
        parse_region_code(text)
    except ValueError:
        assert not valid
    else:
        assert valid
        assert text.replace(".", "").isascii()


@pytest.mark.parametrize(
    "text",
    ["6402", "64.2", "64.02.", "64.02.01.201", "1101010", "64.02.01.2001.1", " 64.02", "64.02\n", "٦٤.٠٢"],
)
def test_bps_and_malformed_codes_are_rejected(text):
    with pytest.raises(ValueError, match="Not a Kemendagri region code"):
        parse_region_code(text)


@given(two, two, two, st.sampled_from("123"), st.from_regex(r"[0-9]{3}", fullmatch=True))
def test_village_kind_comes_from_the_first_digit_of_the_last_segment(p, k, c, digit, rest):
    kind = village_kind_from_code(f"{p}.{k}.{c}.{digit}{rest}")
    assert kind == {"1": "kelurahan", "2": "desa", "3": "desa_adat"}[digit]


@pytest.mark.parametrize("code", ["64.02.01", "64.02.01.4001", "64.02.01.0001"])
def test_village_kind_refuses_non_village_codes_and_unknown_digits(code):
    with pytest.raises(ValueError, match=r"desa/kelurahan"):
        village_kind_from_code(code)
