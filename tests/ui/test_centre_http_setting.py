"""Unencrypted http:// to a Centre on another computer: refused by the Sync page unless Settings allow it."""

import pytest

from ssd_starter.centre import store as centre_store
from ssd_starter.settings import Settings


def test_the_sync_page_refuses_plain_http_elsewhere_until_the_setting_allows_it(make_window, demo_store, tmp_path, qtbot):
    """The sync runs in the background: each click is followed until the panel is idle again."""
    from ssd_starter.ui.settings_dialog import SettingsDialog
    from tests.sync.conftest import RunningCentre

    window = make_window()
    window.set_current_district(demo_store.demo_id)
    window.show_area("sync")
    panel = window.sync_page.centre
    errors = []
    window.sync_page._on_error = errors.append
    with RunningCentre(f"sqlite:///{tmp_path / 'centre.sqlite'}") as centre:
        # 0.0.0.0 reaches this computer's loopback on Linux, but is not a loopback address: a LAN host's stand-in
        panel.centre_url.setText(f"http://0.0.0.0:{centre.port}")
        panel.token.setText(centre_store.enrol(centre.engine, "Valsugana"))
        panel.sync_button.click()
        qtbot.waitUntil(lambda: not panel.busy, timeout=60_000)
        assert [e.template for e in errors] and "https://" in errors[0].message()
        assert centre_store.district_rows(centre.engine, demo_store.demo_id) == []
        dialog = SettingsDialog(window.settings, demo_store, window)
        assert not dialog.centre_http.isChecked()
        dialog.centre_http.setChecked(True)
        dialog.save()
        assert Settings().get("centre_allow_http") is True
        panel.sync_button.click()
        qtbot.waitUntil(lambda: not panel.busy, timeout=60_000)
        assert "changes sent" in panel.sync_status.text() and len(errors) == 1
        dialog.reset()
        assert not dialog.centre_http.isChecked()


@pytest.mark.parametrize("language", ["it", "de", "en"])
def test_the_http_choice_fits_the_settings_dialog(qtbot, store, language):
    """Its label is not cut in any language: the long explanation is a wrapping hint under a short check box."""
    from ssd_starter.settings import Settings
    from ssd_starter.ui.language import notifier
    from ssd_starter.ui.settings_dialog import SettingsDialog

    notifier().set_language(language)
    try:
        dialog = SettingsDialog(Settings(), store)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        box = dialog.centre_http
        assert box.sizeHint().width() <= box.width(), (box.text(), box.sizeHint().width(), box.width())
        assert box.geometry().right() <= dialog.width()
    finally:
        notifier().set_language("en")
