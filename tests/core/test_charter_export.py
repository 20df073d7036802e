from ssd_starter.export.charter import blocks, inline_runs


def test_inline_bold_and_italic():
    assert inline_runs("Il **prezzo giusto** è *trasparente* per tutti") == [
        ("Il ", False, False), ("prezzo giusto", True, False), (" è ", False, False),
        ("trasparente", False, True), (" per tutti", False, False)]


def test_paragraphs_and_lists():
    assert blocks("Primo.\n\n- uno\n- due\nUltimo.") == [
        ("paragraph", "Primo."), ("item", "uno"), ("item", "due"), ("paragraph", "Ultimo.")]
