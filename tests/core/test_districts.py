import pytest

from ssd_starter.core.districts import (
    clean_district_fields,
    normalize_municipalities,
    trentino_municipalities,
)
from ssd_starter.core.errors import ValidationError
from ssd_starter.core.vocabulary import Sector
from ssd_starter.i18n import set_language


def test_trentino_has_166_municipalities_with_istat_codes():
    municipalities = trentino_municipalities()
    assert len(municipalities) == 166
    assert all(m.istat_code.startswith("022") for m in municipalities)
    assert any(m.name_other_language for m in municipalities)  # the Ladin names


def test_known_municipalities_take_the_istat_spelling_and_duplicates_go():
    assert normalize_municipalities(["  borgo   valsugana ", "Borgo Valsugana", "", "Innsbruck"]) == [
        "Borgo Valsugana", "Innsbruck"]


@pytest.mark.parametrize("fields, field", [
    ({"name": "   "}, "name"),
    ({"name": "x" * 201}, "name"),
    ({"kind": "regional"}, "kind"),
    ({"sectors": ["organic_farming", "weapons"]}, "sectors"),
    ({"language": "fr"}, "language"),
    ({"municipalities": ["x" * 121]}, "municipalities"),
    ({"description": "x" * 20_001}, "description"),
])
def test_invalid_fields_are_refused_naming_the_field(fields, field):
    with pytest.raises(ValidationError) as err:
        clean_district_fields(fields)
    assert err.value.field == field
    assert err.value.message()


def test_valid_fields_are_normalised():
    clean = clean_district_fields({"name": " Val  di Non ", "kind": "thematic",
                                   "sectors": ["free_software", "organic_farming", "free_software"],
                                   "language": "de", "municipalities": ["cles"], "description": "d"})
    assert clean == {"name": "Val di Non", "kind": "thematic", "sectors": ["organic_farming", "free_software"],
                     "language": "de", "municipalities": ["Cles"], "description": "d"}


def test_unknown_field_is_a_programming_error():
    with pytest.raises(ValueError):
        clean_district_fields({"colour": "red"})


def test_the_thirteen_sectors_in_the_order_of_the_law_translated():
    assert len(Sector) == 13
    assert list(Sector)[0] == Sector.ORGANIC_FARMING and list(Sector)[-1] == Sector.CRITICAL_CONSUMPTION
    set_language("it")
    assert "equo e solidale" in Sector.FAIR_TRADE.label.lower()
    set_language("de")
    assert "Handel" in Sector.FAIR_TRADE.label


def test_error_messages_follow_the_language():
    with pytest.raises(ValidationError) as err:
        clean_district_fields({"name": ""})
    set_language("de")
    german = err.value.message()
    set_language("en")
    assert german != err.value.message()
