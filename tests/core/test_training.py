"""Training packs: a good pack reads; every kind of bad pack is refused with a clear message; scoring."""

import io
import json
import os
import stat
import struct
import zipfile
import zlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ssd_starter.core.training import (
    Exercise,
    PackRefused,
    ZipSource,
    duplicate_names,
    parse_slides,
    progress,
    read_pack,
    score,
)
from ssd_starter.i18n import set_language

LANGS = ("it", "de", "en")


def texts(word):
    return {lang: f"{word} {lang}" for lang in LANGS}


def png(width=4, height=3):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    raw = b"".join(b"\x00" + b"\x00\x00\x00" * width for _ in range(height))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


SLIDES = "# One\n\nHello\n\n![map](images/map.png)\n\nNote:\nAsk the room.\n---\n# Two\n\n- a\n- b\n"


def manifest(**changes):
    base = {
        "format": "ssd-starter-pack", "format_version": 1, "id": "test-pack", "version": "1.0.0",
        "publisher": "Centro", "title": texts("Pack"),
        "modules": [{
            "id": "mod_one", "duration_minutes": 60, "title": texts("Title"), "summary": texts("Summary"),
            "objectives": {lang: ["one", "two"] for lang in LANGS},
            "slides": {lang: f"modules/mod_one/{lang}.md" for lang in LANGS},
            "exercises": [
                {"id": "q1", "kind": "single_choice", "prompt": texts("Q"), "options": {lang: ["a", "b"] for lang in LANGS},
                 "correct": [1]},
                {"id": "q2", "kind": "add_cards", "prompt": texts("Cards"), "block": "partners", "minimum": 2},
            ],
        }],
    }
    base.update(changes)
    return base


def build(manifest_doc=None, members=None, *, raw_manifest=None, extra=None):
    """A pack as zip bytes; ``members`` replaces the default files, ``extra`` adds (name → bytes or ZipInfo)."""
    files = {"manifest.json": raw_manifest if raw_manifest is not None else json.dumps(manifest_doc or manifest())
             .encode(), **{f"modules/mod_one/{lang}.md": SLIDES.encode() for lang in LANGS},
             "images/map.png": png()}
    if members is not None:
        files = members
    files.update(extra or {})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            if isinstance(data, tuple):  # (ZipInfo, bytes)
                zf.writestr(data[0], data[1])
            else:
                zf.writestr(name, data)
    return buffer.getvalue()


def read(data):
    return read_pack(ZipSource(data))


def test_a_good_pack_reads_with_its_slides_notes_and_images():
    pack = read(build())
    [module] = pack.modules
    assert (pack.id, pack.version, module.duration_minutes) == ("test-pack", "1.0.0", 60)
    first, second = module.slides["it"]
    assert first.title == "One" and first.notes == "Ask the room." and "Ask" not in first.body
    assert first.images == ("images/map.png",) and second.title == "Two"
    assert module.exercise("q2").block == "partners"
    assert "images/map.png" in pack.images


def refused(data, fragment):
    with pytest.raises(PackRefused) as info:
        read(data)
    assert fragment in info.value.message(), info.value.message()
    return info.value


def test_a_missing_language_is_refused():
    doc = manifest()
    del doc["modules"][0]["title"]["de"]
    refused(build(doc), "Italian, German and English")
    files = {"manifest.json": json.dumps(manifest()).encode(), "images/map.png": png(),
             "modules/mod_one/it.md": SLIDES.encode(), "modules/mod_one/en.md": SLIDES.encode()}
    refused(build(members=files), "de slides are missing")


def test_a_broken_manifest_is_refused():
    refused(build(raw_manifest=b'{"format": "ssd-starter-pack", '), "not valid JSON")
    refused(build(raw_manifest=b"\xff\xfe garbage"), "not valid JSON")
    refused(build(manifest(format="something-else")), "does not describe")
    refused(build(manifest(format_version=7)), "format version 7")
    refused(build(manifest(id="../evil")), "id must be")
    refused(build(members={"modules/mod_one/it.md": b"x"}), "no manifest.json")


def test_slides_must_match_across_languages_and_images_must_exist():
    uneven = {**{f"modules/mod_one/{lang}.md": SLIDES.encode() for lang in LANGS},
              "modules/mod_one/de.md": b"# Only one\n"}
    refused(build(extra=uneven), "same number of slides")
    missing = {f"modules/mod_one/{lang}.md": b"# One\n![x](images/nowhere.png)\n" for lang in LANGS}
    refused(build(extra=missing), "not in the pack: images/nowhere.png")


def test_oversize_and_fake_images_are_refused():
    refused(build(extra={"images/map.png": png(5000, 10)}), "4096")
    refused(build(extra={"images/map.png": b"not really a png" * 10}), "not a PNG")
    refused(build(extra={"images/big.png": png() + os.urandom(5 * 2**20 + 1)}), "larger than 5 MB")
    refused(build(extra={"images/evil.svg": b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><svg/>'}),
            "entities")


@pytest.mark.parametrize("name", ["../escape.md", "/etc/passwd", "modules/../../x.md", "C:/windows/x.md", "images/./map.png",
                                  "modules\\mod_one\\it.md"])
def test_paths_that_escape_the_folder_are_refused(name):
    refused(build(extra={name: b"x"}), "leaves its folder")


def test_links_and_foreign_files_are_refused():
    link = zipfile.ZipInfo("images/link.png")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    refused(build(extra={"images/link.png": (link, b"/etc/passwd")}), "link")
    refused(build(extra={"run.sh": b"rm -rf /"}), "does not belong")


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    refused(build(extra={"images/bomb.png": b"\x00" * (20 * 2**20)}), "zip bomb")


def test_not_a_zip_and_the_refusal_is_translated():
    with pytest.raises(PackRefused) as info:
        ZipSource(b"PK\x03\x04 this is not a zip")
    english = info.value.message()
    assert "zip" in english
    set_language("de")
    assert info.value.message() != english and "ZIP" in info.value.message()


JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                           lambda children: st.lists(children, max_size=3)
                           | st.dictionaries(st.text(max_size=8), children, max_size=3), max_leaves=8)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(["", "modules.0.", "modules.0.exercises.0.", "modules.0.title."]),
                          st.sampled_from(["id", "version", "format_version", "title", "modules", "slides", "kind",
                                           "correct", "options", "minimum", "block", "duration_minutes", "it",
                                           "objectives", "exercises", "points", "publisher"]),
                          JSON_VALUES), max_size=4))
def test_fuzzed_manifests_are_read_or_refused_never_crash(mutations):
    doc = manifest()
    for path, key, value in mutations:
        target = doc
        for part in filter(None, path.split(".")):
            try:
                target = target[int(part)] if part.isdigit() else target[part]
            except (KeyError, IndexError, TypeError):
                target = None
                break
        if isinstance(target, dict):
            target[key] = value
    try:
        read(build(doc))
    except PackRefused as exc:
        assert exc.message()


def test_parse_slides_keeps_text_and_notes_apart():
    slides = parse_slides("# A\ntext\nNote:\nsecret\n---\n\n---\n# B\n")
    assert [s.title for s in slides] == ["A", "B"]
    assert slides[0].notes == "secret" and "secret" not in slides[0].body


def exercise(kind, **extra):
    return Exercise("e", kind, texts("P"), extra.pop("points", 2), **extra)


def test_scoring_rules():
    single = exercise("single_choice", correct=(1,))
    assert score(single, {"choice": 1}).points == 2 and score(single, {"choice": 0}).points == 0
    assert score(single, None).answered is False
    multiple = exercise("multiple_choice", correct=(0, 2), points=4)
    assert score(multiple, {"choices": [0, 2]}).points == 4
    assert score(multiple, {"choices": [0]}).points == 2
    assert score(multiple, {"choices": [0, 1]}).points == 0  # one right, one wrong
    assert score(multiple, {"choices": [1, 3]}).points == 0  # never below zero
    text = exercise("short_text", keywords={"it": ("filiera",), "de": ("Lieferkette",), "en": ("supply chain",)})
    assert score(text, {"text": "La FILIERA corta"}).points == 2
    assert score(text, {"text": "nothing"}).points == 0
    assert score(text, {"text": "nothing", "grade": 1}).points == 1  # the trainer's mark wins
    assert score(exercise("short_text"), {"text": "free answer"}).points is None  # read by the trainer
    cards = exercise("add_cards", minimum=2, block="partners")
    assert score(cards, {"proposed": ["c1"]}).points == 0 and score(cards, {"proposed": ["c1", "c2"]}).points == 2


def test_progress_counts_answered_and_scored_exercises():
    exercises = [exercise("single_choice", correct=(0,)), exercise("short_text"),
                 Exercise("x", "add_actors", texts("P"), 3, minimum=1)]
    result = progress(exercises, {"e": {"choice": 0}, "x": {"proposed": ["a"]}})
    assert (result.answered, result.exercises, result.points, result.maximum) == (2, 3, 5.0, 5)
    assert result.share == 1.0
    assert progress(exercises, {}).share == 0.0  # nothing done yet: 0 of 5, not "unknown"


def test_duplicate_names_are_found_not_merged():
    assert duplicate_names(["Anna Pola", "anna  pola", "Anna Polà", "Luca"]) == {"anna pola"}


def test_encrypted_strange_compression_damaged_data_and_deep_json_are_refused():
    data = bytearray(build())
    offset = data.find(b"PK\x01\x02")  # the first central-directory entry: set "encrypted"
    data[offset + 8] |= 0x1
    refused(bytes(data), "encryption")
    stored = io.BytesIO()
    with zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED) as zf:  # stored: not mistaken for a zip bomb
        zf.writestr("manifest.json", b"[" * 50_000 + b"]" * 50_000)
    refused(stored.getvalue(), "not valid JSON")
    damaged = bytearray(build())
    start = damaged.find(b"PK\x03\x04", 10)
    damaged[start + 40:start + 80] = b"\xff" * 40  # the deflated bytes of a later member
    with pytest.raises(PackRefused):
        read(bytes(damaged))


def test_too_many_entries_are_refused_before_they_are_listed():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for n in range(600):
            zf.writestr(f"images/{n}.png", b"")
    refused(buffer.getvalue(), "more than 500 files")


@pytest.mark.parametrize("markdown", ['# A\n\n<img src="/etc/hosts">\n', "# A\n\n![x][r]\n\n[r]: /home/me/photo.png\n",
                                      "# A\n\n![x](</home/me/photo.png>)\n"])
def test_slides_cannot_point_at_files_outside_the_pack(markdown):
    refused(build(extra={f"modules/mod_one/{lang}.md": markdown.encode() for lang in LANGS}), "kind of link")
