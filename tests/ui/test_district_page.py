"""The base every district page uses: loaded when first seen, refreshed by its own district's edits only."""

from ssd_starter.store.districts import create_district
from ssd_starter.ui.district_page import DistrictPage
from tests.helpers import add_actor


class CountingPage(DistrictPage):
    TABLES = frozenset({"stakeholder"})

    def __init__(self, store):
        super().__init__(store)
        self.refreshes = 0

    def _refresh(self):
        self.refreshes += 1


def test_a_page_reads_when_first_shown_and_hears_only_its_district(qtbot, store, district):
    other = create_district("Other")
    store.apply(other)
    page = CountingPage(store)
    qtbot.addWidget(page)
    page.set_district(district)
    assert page.refreshes == 0  # not read while hidden: the window appears fast
    page.show()
    qtbot.waitExposed(page)
    assert page.refreshes == 1
    add_actor(store, other.values["id"], "Elsewhere")
    assert page.refreshes == 1
    add_actor(store, district, "Here")
    assert page.refreshes == 2
    page.set_district(district)  # the same district again: nothing to read
    assert page.refreshes == 2
    page.detach()
    add_actor(store, district, "After")
    assert page.refreshes == 2


def test_a_page_hears_an_edit_after_its_own_models(qtbot, store, district):
    from ssd_starter.ui.map.table_model import ActorTableModel

    class PageWithModel(DistrictPage):
        TABLES = frozenset({"stakeholder"})

        def __init__(self, store):
            super().__init__(store)
            self.model = ActorTableModel(store, lambda edit, text: True, self)
            self.rows_seen: list[int] = []

        def _refresh(self):
            self.model.set_district(self._district_id)

        def _on_changes(self, changes):
            self.rows_seen.append(self.model.rowCount())

    page = PageWithModel(store)
    qtbot.addWidget(page)
    page.set_district(district)
    page.show()
    qtbot.waitExposed(page)
    add_actor(store, district, "First")
    assert page.rows_seen == [1]  # the model already holds the new row when the page hears of it
