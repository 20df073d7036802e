"""The founding charter: its sections, the completeness checklist and the comparison of versions.

The content is one document of fields (``empty_content``) to the checks, the wizard and the exports, but
it is stored as one synced row per wizard step (``SECTION_FIELDS``): two promoters writing different steps
on two laptops change different rows, so merging their work clashes only where they wrote the same step.

The checklist is good practice derived from Law 13/2010 and the Carta RES (DOMAIN.md §3), not the
wording of the law; the UI labels it so. Each rule says why it matters and which step fixes it.
"""

from __future__ import annotations

import difflib
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ssd_starter.i18n import N_, _, ngettext

# The wizard's steps, in order. Each key is also a section of the content document.
STEPS: tuple[tuple[str, str], ...] = (
    ("purpose", N_("Purpose")),
    ("principles", N_("Principles")),
    ("sectors", N_("Sectors")),
    ("territory", N_("Territory")),
    ("membership", N_("Membership")),
    ("governance", N_("Governance bodies")),
    ("decisions", N_("Decision rules")),
    ("commitments", N_("Members' commitments")),
    ("reporting", N_("Reporting")),
    ("signatories", N_("Signatories")),
)
STEP_KEYS = tuple(key for key, _label in STEPS)
# Sections written as prose, which can carry translations (sectors, territory and signatories are names).
TRANSLATABLE = ("purpose", "principles", "membership", "governance", "decisions", "commitments", "reporting")

PRINCIPLES: tuple[tuple[str, str], ...] = (
    ("cooperation", N_("Cooperation and reciprocity")),
    ("territory", N_("Valuing the territory")),
    ("sustainability", N_("Social and ecological sustainability")),
)
BODY_KINDS: tuple[tuple[str, str], ...] = (
    ("assembly", N_("Assembly of members")),
    ("committee", N_("Coordinating committee")),
    ("guarantors", N_("Guarantors")),
    ("other", N_("Other body")),
)
TEXT_LIMIT = 20_000
SIGNATORY_STAGES = ("member", "signatory")


def empty_content() -> dict[str, Any]:
    """A new charter: every field present, so the wizard and the checks never meet a missing key."""
    return {
        "purpose": "",
        "principles": "",
        "principles_addressed": [],
        "sectors": [],
        "municipalities": [],
        "membership": "",
        "turnover_rule": False,
        "non_profit_rule": False,
        "bodies": [],
        "quorum": "",
        "majority": "",
        "consensus_method": "",
        "commitments": "",
        "reporting_what": "",
        "reporting_frequency": "",
        "reporting_to": "",
        "pursues_work_integration": True,
        "work_integration": "",
        "signatories": [],
    }


# The fields each wizard step edits: each step is one stored section (one synced row), and every field of
# ``empty_content`` belongs to exactly one of them. Translations are kept per section too, as they are
# written per step.
SECTION_FIELDS: dict[str, tuple[str, ...]] = {
    "purpose": ("purpose", "pursues_work_integration", "work_integration"),
    "principles": ("principles", "principles_addressed"),
    "sectors": ("sectors",),
    "territory": ("municipalities",),
    "membership": ("membership", "turnover_rule", "non_profit_rule"),
    "governance": ("bodies",),
    "decisions": ("quorum", "majority", "consensus_method"),
    "commitments": ("commitments",),
    "reporting": ("reporting_what", "reporting_frequency", "reporting_to"),
    "signatories": ("signatories",),
}
SECTION_OF = {name: key for key, names in SECTION_FIELDS.items() for name in names}
# Section ids are derived from the charter's id and the section's key, so every installation that makes the
# sections of one charter (when it starts, or when migration 0009 splits an older charter) makes the same
# rows: a second set of rows for the same section could never be merged. Fixed for ever.
SECTION_NAMESPACE = uuid.UUID("5d0c7a2e-3f4b-4c1d-9a8e-6b2f1e0d9c37")


def section_id(charter_id: str, key: str) -> str:
    return str(uuid.uuid5(SECTION_NAMESPACE, f"{charter_id}/{key}"))


def section_values(content: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The content cut into its sections: section key → that step's fields (all of them, normalised)."""
    full = normalized(content)
    return {key: {name: full[name] for name in names} for key, names in SECTION_FIELDS.items()}


def joined_content(values: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """The content put back together from section values; a section speaks only for its own fields, and a
    missing section or field reads as empty."""
    content: dict[str, Any] = {}
    for key, names in SECTION_FIELDS.items():
        stored = values.get(key) or {}
        content.update({name: stored[name] for name in names if name in stored})
    return normalized(content)


def section_translations(translations: Mapping[str, Mapping[str, str]]) -> dict[str, dict[str, str]]:
    """``{language: {step: text}}`` (as the charter gives them) as ``{step: {language: text}}`` (as stored)."""
    by_section: dict[str, dict[str, str]] = {key: {} for key in SECTION_FIELDS}
    for language, texts in translations.items():
        for key, text in (texts or {}).items():
            if key in by_section:
                by_section[key][language] = text
    return by_section


def joined_translations(by_section: Mapping[str, Mapping[str, str]]) -> dict[str, dict[str, str]]:
    """The inverse of ``section_translations``."""
    translations: dict[str, dict[str, str]] = {}
    for key in SECTION_FIELDS:
        for language, text in (by_section.get(key) or {}).items():
            translations.setdefault(language, {})[key] = text
    return translations


def normalized(content: Mapping[str, Any]) -> dict[str, Any]:
    """Content with every known field, unknown ones dropped (older or hand-edited documents)."""
    base = empty_content()
    for key in base:
        if key in content and content[key] is not None:
            base[key] = content[key]
    return base


def starting_principles(language: str) -> str:
    """Editable starting text on the three principles of the Carta RES, in the charter's language."""
    from ssd_starter.i18n import translations_for

    text = N_("The district recognises itself in the principles of the Charter of the Italian Solidarity "
              "Economy Network. Cooperation and reciprocity: members prefer to trade with each other and share "
              "information and risks. Valuing the territory: local products, knowledge and landscape are a common "
              "good. Social and ecological sustainability: a fair and transparent price, respect for the "
              "environment, decent work and the social use of any surplus.")
    return translations_for(language).gettext(text)


# -- the checklist ----------------------------------------------------------------------------

@dataclass(frozen=True)
class CheckContext:
    """What the rules need besides the content: the actors chosen as signatories."""

    actors: Mapping[str, Mapping[str, Any]]  # id → stakeholder row


@dataclass(frozen=True)
class Rule:
    key: str
    title: str  # N_
    reason: str  # N_
    step: str  # the wizard step that fixes it
    required: bool
    passes: Callable[[Mapping[str, Any], CheckContext], bool]


@dataclass(frozen=True)
class CheckResult:
    key: str
    title: str
    reason: str
    step: str
    required: bool
    passed: bool

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "title": _(self.title), "reason": _(self.reason), "step": self.step,
                "required": self.required, "passed": self.passed}


def _filled(text: Any, minimum: int = 1) -> bool:
    return isinstance(text, str) and len(text.strip()) >= minimum


def _signatory_categories(content: Mapping[str, Any], context: CheckContext) -> set[str]:
    return {context.actors[a]["category"] for a in content["signatories"] if a in context.actors}


RULES: tuple[Rule, ...] = (
    Rule("purpose", N_("The purpose is stated"),
         N_("A district is a laboratory with a declared aim: say why it exists and what it wants to achieve."),
         "purpose", True, lambda c, _x: _filled(c["purpose"], 20)),
    Rule("sector", N_("At least one sector of Law 13/2010"),
         N_("Art. 3 lists the thirteen sectors of the solidarity economy; a district works in at least one."),
         "sectors", True, lambda c, _x: bool(c["sectors"])),
    Rule("territory", N_("The territory names at least one municipality"),
         N_("A district keeps value inside a territory: name the municipalities it covers."),
         "territory", True, lambda c, _x: bool(c["municipalities"])),
    Rule("principles", N_("The three principles of the Carta RES are addressed"),
         N_("Cooperation and reciprocity, valuing the territory, social and ecological sustainability: the "
            "national reference charter asks every district to address all three."),
         "principles", True,
         lambda c, _x: _filled(c["principles"], 20) and {k for k, _l in PRINCIPLES} <= set(c["principles_addressed"])),
    Rule("membership", N_("Membership criteria include the 50% turnover rule or non-profit status"),
         N_("Under Art. 2 an organisation counts if it is non-profit or earns at least half of its annual "
            "turnover from solidarity-economy activity."),
         "membership", True, lambda c, _x: _filled(c["membership"]) and (c["turnover_rule"] or c["non_profit_rule"])),
    Rule("governance", N_("Governance bodies with decision rules and quorum"),
         N_("Members take part in decisions: name the bodies, how they decide, and how many must be present."),
         "decisions", True,
         lambda c, _x: bool(c["bodies"]) and all(_filled(b.get("name")) for b in c["bodies"])
         and _filled(c["quorum"]) and _filled(c["majority"])),
    Rule("commitments", N_("Members' commitments are written down"),
         N_("What each member promises (buying inside, fair prices, transparency) is what makes the circuit work."),
         "commitments", True, lambda c, _x: _filled(c["commitments"], 20)),
    Rule("reporting", N_("Reporting: what, how often and to whom"),
         N_("The Centre for the Solidarity Economy helps districts report; say what is reported, how often and "
            "to whom."),
         "reporting", True,
         lambda c, _x: _filled(c["reporting_what"]) and _filled(c["reporting_frequency"]) and _filled(c["reporting_to"])),
    Rule("work_integration", N_("The work-integration aim is stated"),
         N_("Work integration of vulnerable people is one of a district's purposes; say how the district pursues "
            "it (or that it does not)."),
         "purpose", False,
         lambda c, _x: (not c["pursues_work_integration"]) or _filled(c["work_integration"], 10)),
    Rule("signatories", N_("At least three signatories from two categories"),
         N_("A district is a network: its founders come from different kinds of organisation."),
         "signatories", True,
         lambda c, x: len([a for a in c["signatories"] if a in x.actors]) >= 3 and len(_signatory_categories(c, x)) >= 2),
)


def check(content: Mapping[str, Any], context: CheckContext) -> list[CheckResult]:
    full = normalized(content)
    return [CheckResult(r.key, r.title, r.reason, r.step, r.required, bool(r.passes(full, context))) for r in RULES]


def failing_required(results: Sequence[CheckResult]) -> list[CheckResult]:
    return [r for r in results if r.required and not r.passed]


# -- versions ---------------------------------------------------------------------------------

def section_text(content: Mapping[str, Any], step: str, names: Mapping[str, str] | None = None) -> str:
    """A step's content as plain text: for comparison, display and the PDF."""
    from ssd_starter.core.vocabulary import Sector

    c = normalized(content)
    names = names or {}
    if step == "purpose":
        parts = [c["purpose"]]
        if c["pursues_work_integration"] and c["work_integration"]:
            parts.append(_("Work integration: {text}").format(text=c["work_integration"]))
        return "\n\n".join(p for p in parts if p)
    if step == "principles":
        addressed = [_(label) for key, label in PRINCIPLES if key in c["principles_addressed"]]
        return "\n\n".join(p for p in [c["principles"], "; ".join(addressed)] if p)
    if step == "sectors":
        return "\n".join(Sector(s).label for s in c["sectors"] if s in set(Sector))
    if step == "territory":
        return ", ".join(c["municipalities"])
    if step == "membership":
        rules = []
        if c["turnover_rule"]:
            rules.append(_("At least 50% of annual turnover from solidarity-economy activity"))
        if c["non_profit_rule"]:
            rules.append(_("Non-profit organisations"))
        return "\n\n".join(p for p in [c["membership"], "; ".join(rules)] if p)
    if step == "governance":
        kinds = dict(BODY_KINDS)
        lines = []
        for body in c["bodies"]:
            line = f"{body.get('name', '')} ({_(kinds.get(body.get('kind', 'other'), kinds['other']))})"
            details = [d for d in (body.get("composition", ""),
                                   ngettext("term: {years} year", "term: {years} years", int(body["term_years"])).format(
                                       years=body["term_years"]) if body.get("term_years")
                                   else "") if d]
            lines.append(line + (": " + "; ".join(details) if details else ""))
        return "\n".join(lines)
    if step == "decisions":
        rows = [(_("Quorum"), c["quorum"]), (_("Majority"), c["majority"]),
                (_("Consensus method"), c["consensus_method"])]
        return "\n".join(f"{label}: {value}" for label, value in rows if value)
    if step == "commitments":
        return c["commitments"]
    if step == "reporting":
        rows = [(_("What"), c["reporting_what"]), (_("How often"), c["reporting_frequency"]),
                (_("To whom"), c["reporting_to"])]
        return "\n".join(f"{label}: {value}" for label, value in rows if value)
    if step == "signatories":
        return "\n".join(names.get(a, a) for a in c["signatories"])
    raise ValueError(step)


@dataclass(frozen=True)
class SectionDiff:
    step: str
    changed: bool
    left: list[tuple[str, str]]  # (kind, text): kind is "same", "removed"
    right: list[tuple[str, str]]  # (kind, text): kind is "same", "added"


def compare(old: Mapping[str, Any], new: Mapping[str, Any], names: Mapping[str, str] | None = None) -> list[SectionDiff]:
    """Word-level differences per section, for a side-by-side view."""
    result = []
    for step in STEP_KEYS:
        a, b = section_text(old, step, names), section_text(new, step, names)
        left: list[tuple[str, str]] = []
        right: list[tuple[str, str]] = []
        a_words, b_words = a.split(" "), b.split(" ")
        for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a_words, b=b_words, autojunk=False).get_opcodes():
            if op == "equal":
                left.append(("same", " ".join(a_words[i1:i2])))
                right.append(("same", " ".join(b_words[j1:j2])))
            else:
                if i2 > i1:
                    left.append(("removed", " ".join(a_words[i1:i2])))
                if j2 > j1:
                    right.append(("added", " ".join(b_words[j1:j2])))
        result.append(SectionDiff(step, a != b, left, right))
    return result


def validate_content(content: Mapping[str, Any]) -> dict[str, Any]:
    """Refuse what cannot be stored (oversized text, wrong types); returns the normalised content."""
    from ssd_starter.core.errors import ValidationError

    full = normalized(content)
    for key, value in full.items():
        if isinstance(value, str) and len(value) > TEXT_LIMIT:
            raise ValidationError(key, N_("The text is longer than {limit} characters."), limit=TEXT_LIMIT)
    for body in full["bodies"]:
        if not isinstance(body, dict):
            raise ValidationError("bodies", N_("A governance body is not well formed."))
    return full
