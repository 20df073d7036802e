"""The charter checklist: every rule fails on what it guards against and passes when it is fixed."""

import pytest

from ssd_starter.core.charter import (
    RULES,
    STEP_KEYS,
    CheckContext,
    check,
    compare,
    empty_content,
    failing_required,
    section_text,
    validate_content,
)
from ssd_starter.core.errors import ValidationError

ACTORS = {
    "a": {"category": "cooperative"}, "b": {"category": "public_body"}, "c": {"category": "cooperative"},
    "d": {"category": "cooperative"},
}
CONTEXT = CheckContext(ACTORS)


def complete() -> dict:
    content = empty_content()
    content.update(
        purpose="Tenere in valle il valore prodotto dalle comunità.",
        principles="Cooperazione, territorio, sostenibilità: i tre principi della Carta RES.",
        principles_addressed=["cooperation", "territory", "sustainability"],
        sectors=["fair_trade"], municipalities=["Ala"],
        membership="Enti senza scopo di lucro e imprese solidali.", turnover_rule=True,
        bodies=[{"name": "Assemblea", "kind": "assembly"}], quorum="metà più uno", majority="maggioranza semplice",
        commitments="Acquistare tra soci, prezzi giusti e trasparenti.",
        reporting_what="Bilancio sociale", reporting_frequency="annuale", reporting_to="Centro",
        pursues_work_integration=True, work_integration="Inserimento lavorativo tramite le cooperative B.",
        signatories=["a", "b", "c"],
    )
    return content


def results(content) -> dict:
    return {r.key: r.passed for r in check(content, CONTEXT)}


def test_a_complete_charter_passes_every_rule():
    assert all(results(complete()).values())
    assert failing_required(check(complete(), CONTEXT)) == []


BREAKS = {
    "purpose": {"purpose": "Breve."},
    "sector": {"sectors": []},
    "territory": {"municipalities": []},
    "principles": {"principles_addressed": ["cooperation", "territory"]},
    "membership": {"turnover_rule": False, "non_profit_rule": False},
    "governance": {"quorum": ""},
    "commitments": {"commitments": ""},
    "reporting": {"reporting_to": " "},
    "work_integration": {"work_integration": ""},
    "signatories": {"signatories": ["a", "c", "d"]},  # three, but all cooperatives
}


@pytest.mark.parametrize("rule", [r.key for r in RULES])
def test_each_rule_fails_on_its_own_gap(rule):
    broken = {**complete(), **BREAKS[rule]}
    outcome = results(broken)
    assert outcome[rule] is False
    assert [k for k, passed in outcome.items() if not passed] == [rule]


def test_every_rule_names_a_real_step_and_a_reason():
    assert {r.step for r in RULES} <= set(STEP_KEYS)
    assert all(r.reason and r.title for r in RULES)
    assert sum(1 for r in RULES if not r.required) == 1  # work integration: advised, not required


def test_work_integration_is_not_asked_of_districts_that_do_not_pursue_it():
    content = {**complete(), "pursues_work_integration": False, "work_integration": ""}
    assert results(content)["work_integration"] is True


def test_signatories_must_exist_in_the_map():
    content = {**complete(), "signatories": ["a", "b", "ghost"]}
    assert results(content)["signatories"] is False


def test_compare_marks_what_changed_word_by_word():
    old = complete()
    new = {**complete(), "purpose": "Tenere in valle il lavoro prodotto dalle comunità.", "quorum": "due terzi"}
    diffs = {d.step: d for d in compare(old, new)}
    assert diffs["purpose"].changed and diffs["decisions"].changed and not diffs["commitments"].changed
    assert ("removed", "valore") in diffs["purpose"].left and ("added", "lavoro") in diffs["purpose"].right


def test_section_text_uses_names_for_signatories():
    text = section_text(complete(), "signatories", {"a": "Coop Alfa", "b": "Comune di Ala", "c": "Coop Gamma"})
    assert text.splitlines() == ["Coop Alfa", "Comune di Ala", "Coop Gamma"]


def test_oversized_text_is_refused():
    with pytest.raises(ValidationError):
        validate_content({**complete(), "commitments": "x" * 20_001})


def test_every_field_is_in_exactly_one_section_and_each_step_is_one():
    from ssd_starter.core.charter import SECTION_FIELDS, joined_content, section_id, section_values

    names = [name for fields in SECTION_FIELDS.values() for name in fields]
    assert sorted(names) == sorted(empty_content()) and len(names) == len(set(names))
    assert tuple(SECTION_FIELDS) == STEP_KEYS
    assert joined_content(section_values(complete())) == complete()
    # a section speaks only for its own fields; one that is missing reads as empty
    assert joined_content({"purpose": {"purpose": "Scopo", "quorum": "tutti"}})["quorum"] == ""
    assert section_id("c1", "purpose") == section_id("c1", "purpose") != section_id("c2", "purpose")
