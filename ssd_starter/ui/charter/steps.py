"""One form per wizard step, in the order of ``core.charter.STEPS``: the forms live with their group
(``steps_identity``, ``steps_governance``, ``steps_commitments``) and share ``fields``."""

from __future__ import annotations

from collections.abc import Callable

from ssd_starter.core.charter import STEP_KEYS
from ssd_starter.ui.charter.fields import Changed, StepForm, WrapCheck
from ssd_starter.ui.charter.steps_commitments import CommitmentsStep, ReportingStep, SignatoriesStep
from ssd_starter.ui.charter.steps_governance import DecisionsStep, GovernanceStep, MembershipStep
from ssd_starter.ui.charter.steps_identity import PrinciplesStep, PurposeStep, SectorsStep, TerritoryStep

__all__ = ["CommitmentsStep", "DecisionsStep", "GovernanceStep", "MembershipStep", "PrinciplesStep", "PurposeStep",
           "ReportingStep", "SectorsStep", "SignatoriesStep", "StepForm", "TerritoryStep", "WrapCheck", "make_forms"]


def make_forms(changed: Changed, language: Callable[[], str]) -> list[StepForm]:
    """The ten forms, each reporting its changes to ``changed``; ``language`` is the charter's (for the
    principles' starting text)."""
    forms: list[StepForm] = [
        PurposeStep(changed), PrinciplesStep(changed, language), SectorsStep(changed), TerritoryStep(changed),
        MembershipStep(changed), GovernanceStep(changed), DecisionsStep(changed), CommitmentsStep(changed),
        ReportingStep(changed), SignatoriesStep(changed),
    ]
    assert [form.key for form in forms] == list(STEP_KEYS)
    return forms
