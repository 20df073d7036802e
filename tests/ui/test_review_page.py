"""The Centre review area: open the Centre's database, receive bundles, districts side by side, comment."""

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from ssd_starter.centre.review import ReviewService
from ssd_starter.core.errors import UserError
from ssd_starter.i18n import _
from ssd_starter.sync.bundle import write_bundle
from ssd_starter.sync.identity import load_or_create
from ssd_starter.ui.review.models import ReceivedRecordsModel, ReviewCommentsModel, ReviewedDistrictsModel
from ssd_starter.ui.window.areas import AREAS

from .conftest import SCREENSHOTS, save_screenshot


@pytest.fixture
def bundle(demo_store, tmp_path) -> Path:
    path = tmp_path / "v.ssdbundle"
    write_bundle(demo_store, demo_store.demo_id, path, load_or_create())
    return path


def open_review(make_window, demo_store, size=(1280, 800)):
    window = make_window(size=size)
    window.set_current_district(demo_store.demo_id)
    window.show_area("review")
    page = window.review_page
    errors: list[UserError] = []
    page._on_error = errors.append
    return window, page, errors


def texts(model) -> list[str]:
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def test_the_review_is_an_area_of_its_own(make_window, demo_store):
    window, page, _errors = open_review(make_window, demo_store)
    assert window.current_area() == "review" and window.pages.currentWidget() is page
    assert [a.key for a in AREAS][-2:] == ["sync", "review"]
    assert window.area_actions[-1].shortcut().toString() == f"Ctrl+{len(AREAS)}"
    assert page.title.text() == "Centre review" and "Open the Centre's database" in page.status.text()
    window.show_area("sync")
    assert not hasattr(window.sync_page, "database")  # the promoter's page has no review half any more


def test_review_lists_districts_records_and_comments(make_window, demo_store, tmp_path, bundle):
    window, page, errors = open_review(make_window, demo_store)
    page.database.setText(f"sqlite:///{tmp_path / 'review.sqlite'}")
    assert page.receive_bundle_files([bundle]) == 1 and errors == []
    assert "1 bundle received" in page.status.text()
    districts = page.districts_model
    assert districts.rowCount() == 1
    assert districts.index(0, districts_column(districts, "actors")).data() == "43"
    assert districts.index(0, districts_column(districts, "lm3")).data() == "1.43"
    assert "target" in districts.index(0, districts_column(districts, "lm3")).data(3)  # ToolTipRole: the status
    page.districts.selectRow(0)
    assert page.records_model.rowCount() > 43
    gas = page.records_model.row_by_id(next(r.id for r in page.records_model.rows() if r.label == "GAS Borgo Solidale"))
    page.records.setCurrentIndex(page.records_model.index(gas, 0))
    comments = page.comments
    assert not comments.resolve_button.isEnabled()
    comments.author.setText("Chiara")
    comments.comment_text.setText("Da verificare")
    comments.comment_button.click()
    [text] = texts(comments.model)
    assert "Chiara" in text and "GAS Borgo Solidale" in text and "Da verificare" in text
    assert comments.comment_text.text() == "" and comments.resolve_button.isEnabled()
    comments.resolve_button.click()
    assert texts(comments.model)[0].startswith("✔") and not comments.resolve_button.isEnabled()
    assert page.receive_bundle_files([bundle]) == 1  # the district stays selected, its comments listed
    assert page.reviewed_district().id == demo_store.demo_id and comments.model.rowCount() == 1
    assert window.settings.get("centre_database") == f"sqlite:///{tmp_path / 'review.sqlite'}"
    SCREENSHOTS.mkdir(exist_ok=True)
    QApplication.processEvents()
    save_screenshot(window, "review-en.png")


def districts_column(model, key: str) -> int:
    return next(n for n, column in enumerate(model.COLUMNS) if column.key == key)


def test_what_is_missing_or_refused_is_said(make_window, demo_store, tmp_path, bundle):
    window, page, errors = open_review(make_window, demo_store)
    page.comments.comment_button.click()
    assert "Choose a record" in errors.pop().message()
    page.database.setText("mysql://centre/review")
    assert not page.open_centre() and "postgresql://" in errors.pop().message()
    assert page.service is None and "Open the Centre's database" in page.status.text()
    garbage = tmp_path / "garbage.ssdbundle"
    garbage.write_bytes(b"not a zip")
    page.database.setText(str(tmp_path / "review.sqlite"))
    assert page.receive_bundle_files([garbage, tmp_path / "missing.ssdbundle", bundle]) == 1
    [both] = errors
    assert "2 bundles were not received" in both.message() and "garbage.ssdbundle" in both.message()
    page.districts.selectRow(0)
    page.records.setCurrentIndex(page.records_model.index(0, 0))
    page.comments.author.setText("Chiara")
    page.comments.comment_button.click()  # no text
    assert "write your name and the comment" in errors.pop().message()


def test_a_service_that_refuses_is_shown_not_raised(make_window, demo_store):
    """The page holds only the service: what it refuses (later, an HTTP Centre) reaches the user."""

    class Refusing(ReviewService):
        def __init__(self) -> None:
            self.location = "https://centro.example.org"

        def districts(self):
            raise UserError("The Centre's database did not answer: {reason}", reason="gone")

        def close(self) -> None:
            pass

    window, page, errors = open_review(make_window, demo_store)
    page._open_service = lambda location: Refusing()
    assert page.open_centre()
    assert "did not answer: gone" in errors.pop().message()
    assert "https://centro.example.org" in page.status.text()


def test_the_review_relabels_itself_in_german(make_window, demo_store, tmp_path, bundle):
    window, page, errors = open_review(make_window, demo_store, size=(1366, 768))
    page.database.setText(str(tmp_path / "review.sqlite"))
    page.receive_bundle_files([bundle])
    page.districts.selectRow(0)
    window.set_language("de")
    assert page.title.text() == "Prüfung durch das Zentrum" == window.nav.item(len(AREAS) - 1).text()
    assert page.districts_model.headerData(0, page.districts.horizontalHeader().orientation()) == _("District")
    assert "empfangen" in page.status.text()


def test_the_review_models_pass_the_model_tester(qtmodeltester, tmp_path, bundle):
    service = ReviewService.open(str(tmp_path / "review.sqlite"))
    try:
        service.receive_bundle_files([bundle])
        [district] = service.districts()
        records = service.records(district.id)
        comment = service.add_comment(district.id, records[0].table, records[0].id, "Chiara", "Da verificare")
        for model, rows in ((ReviewedDistrictsModel(), [district]), (ReceivedRecordsModel(), records),
                            (ReviewCommentsModel(), [comment])):
            model.set_rows(rows)
            qtmodeltester.check(model)
            assert model.rowCount() == len(rows)
        comments = ReviewCommentsModel()
        comments.set_rows([comment])
        comments.put(service.resolve_comment(comment.id))
        assert comments.rowCount() == 1 and comments.index(0, 0).data().startswith("✔")
    finally:
        service.close()
