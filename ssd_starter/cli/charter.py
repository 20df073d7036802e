"""`charter check`: the founding charter's completeness checklist."""

from __future__ import annotations

import argparse
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from ssd_starter.cli.runner import add_actions, add_district_argument, add_json_option, emit, open_district
from ssd_starter.i18n import _

if TYPE_CHECKING:
    from ssd_starter.cli.runner import Commands
    from ssd_starter.core.charter import CheckResult


def add_charter(commands: Commands) -> None:
    charter = commands.add_parser("charter", help=_("the founding charter"))
    actions = add_actions(charter)
    check = actions.add_parser("check", help=_("the completeness checklist (Law 13/2010 and good practice)"))
    add_district_argument(check)
    add_json_option(check)
    check.set_defaults(run=cmd_charter_check)


def cmd_charter_check(args: argparse.Namespace) -> int:
    from ssd_starter.core.charter import check
    from ssd_starter.store.charter import context_for, start_charter

    store, district = open_district(args.district)
    charter = start_charter(store, district.id)
    results = check(charter["content"], context_for(store, district.id))
    return emit(args, {"district": district.id, "status": charter["status"],
                       "complete": all(r.passed for r in results if r.required),
                       "checks": [r.as_dict() for r in results]}, _checklist_lines(results))


def _checklist_lines(results: Sequence[CheckResult]) -> Iterator[str]:
    yield _("Checklist (good practice derived from Law 13/2010 and the Carta RES):")
    for result in results:
        # passed; missing and required; missing but only advised
        mark = "✔" if result.passed else ("✘" if result.required else "–")
        yield f"  {mark} {_(result.title)}"
