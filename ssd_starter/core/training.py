"""Training packs (docs/training-pack-format.md): read, validate, parse slides, score exercises.

A pack is checked completely — sizes, names, manifest, languages, slides, images — before anything is
taken from it, so a bad pack is refused with one clear message and changes nothing. The same code reads
the shipped modules (a folder) and imported packs (a zip).
"""

from __future__ import annotations

import io
import json
import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from ssd_starter.core.errors import UserError
from ssd_starter.core.language import Finding, check_translations
from ssd_starter.core.vocabulary import CanvasBlock
from ssd_starter.i18n import N_, _, ngettext

FORMAT = "ssd-starter-pack"
FORMAT_VERSION = 1
LANGUAGES = ("it", "de", "en")
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{1,63}$")
VERSION_PATTERN = re.compile(r"^[0-9]{1,6}(\.[0-9]{1,6}){0,3}$")  # ASCII digits only (\d takes any script's)
IMAGE_PATTERN = re.compile(r"!\[[^\]]*\]\(([^)\s]+)\)")
UNSAFE_MARKDOWN = re.compile(r"(?m)^\s{0,3}\[[^\]]+\]:\s*\S|\]\(\s*<|<[A-Za-z!/?]|!\[[^\]]*\]\[")
KINDS = ("single_choice", "multiple_choice", "short_text", "add_actors", "add_cards")
GRADED_BY_TRAINER = "short_text"

MAX_ZIP_BYTES = 50 * 2**20
MAX_TOTAL_BYTES = 100 * 2**20
MAX_MEMBERS = 500
MAX_RATIO = 100
MAX_MANIFEST_BYTES = 2**20
MAX_SLIDES_BYTES = 2**20
MAX_IMAGE_BYTES = 5 * 2**20
MAX_IMAGE_SIDE = 4096
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".svg")


class PackRefused(UserError):
    """A training pack that cannot be used; nothing was changed."""


# -- reading the members ---------------------------------------------------------------------

class PackSource(Protocol):
    def names(self) -> list[str]: ...
    def read(self, name: str) -> bytes: ...


class FolderSource:
    """A pack unpacked in a folder (the shipped modules, or an installed pack)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def names(self) -> list[str]:
        return sorted(p.relative_to(self.root).as_posix() for p in self.root.rglob("*") if p.is_file())

    def read(self, name: str) -> bytes:
        return (self.root / name).read_bytes()


class ZipSource:
    """A zip checked member by member before any is read: size, count, ratio, names, links."""

    def __init__(self, data: bytes) -> None:
        if len(data) > MAX_ZIP_BYTES:
            raise PackRefused(N_("The pack is larger than {limit} MB."), limit=MAX_ZIP_BYTES // 2**20)
        if declared_entries(data) > MAX_MEMBERS:  # before zipfile builds an object for every entry
            raise PackRefused(N_("The pack holds more than {limit} files."), limit=MAX_MEMBERS)
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
            raise PackRefused(N_("This file is not a training pack (it is not a zip file).")) from None
        if len(infos) > MAX_MEMBERS:
            raise PackRefused(N_("The pack holds more than {limit} files."), limit=MAX_MEMBERS)
        total = 0
        self._infos: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            name = info.filename
            if info.is_dir():
                continue
            check_member_name(name)
            if stat.S_ISLNK(info.external_attr >> 16):
                raise PackRefused(N_("The pack contains a link ({name}); links are not allowed."), name=name)
            if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise PackRefused(N_("The pack uses encryption or a compression this app does not read ({name})."),
                                  name=name)
            if info.file_size > MAX_RATIO * max(info.compress_size, 1) and info.file_size > 2**16:
                raise PackRefused(N_("The pack looks like a zip bomb ({name} unpacks to far more than it holds)."),
                                  name=name)
            total += info.file_size
            if total > MAX_TOTAL_BYTES:
                raise PackRefused(N_("Unpacked, the pack would take more than {limit} MB."),
                                  limit=MAX_TOTAL_BYTES // 2**20)
            if name in self._infos:
                raise PackRefused(N_("The pack holds {name} twice."), name=name)
            self._infos[name] = info

    def names(self) -> list[str]:
        return sorted(self._infos)

    def read(self, name: str) -> bytes:
        info = self._infos[name]
        try:
            with self.zip.open(info) as member:
                data = member.read(info.file_size + 1)  # never more than the header promised
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, NotImplementedError, zlib.error):
            raise PackRefused(N_("The pack is damaged ({name} cannot be unpacked)."), name=name) from None
        if len(data) != info.file_size:
            raise PackRefused(N_("The pack is damaged ({name} is not what its header says)."), name=name)
        return data


def declared_entries(data: bytes) -> int:
    """The number of entries a zip's end record announces (0 if there is none: zipfile will refuse it)."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 66_000))
    if end < 0 or end + 12 > len(data):
        return 0
    return int(struct.unpack("<H", data[end + 10:end + 12])[0])


def check_member_name(name: str) -> None:
    """Relative, plain, forward-slash names only: no '..', no '.', no empty parts, no drive or root."""
    parts = name.split("/")
    if (not name or "\\" in name or name.startswith("/") or re.match(r"^[A-Za-z]:", name)
            or any(part in ("..", ".", "") for part in parts) or "\x00" in name):
        raise PackRefused(N_("The pack contains a path that leaves its folder: {name}."), name=name)


# -- the parsed pack --------------------------------------------------------------------------

@dataclass(frozen=True)
class Slide:
    title: str
    body: str  # Markdown without the notes
    notes: str
    images: tuple[str, ...]


@dataclass(frozen=True)
class Exercise:
    id: str
    kind: str
    prompt: Mapping[str, str]
    points: int
    options: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    correct: tuple[int, ...] = ()
    keywords: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    minimum: int = 0
    block: str = ""

    def text(self, language: str) -> str:
        return self.prompt.get(language) or self.prompt["en"]


@dataclass(frozen=True)
class Module:
    id: str
    pack_id: str
    duration_minutes: int
    title: Mapping[str, str]
    summary: Mapping[str, str]
    objectives: Mapping[str, tuple[str, ...]]
    slides: Mapping[str, tuple[Slide, ...]]
    exercises: tuple[Exercise, ...]

    def exercise(self, exercise_id: str) -> Exercise:
        return next(e for e in self.exercises if e.id == exercise_id)


@dataclass(frozen=True)
class Pack:
    id: str
    version: str
    publisher: str
    title: Mapping[str, str]
    modules: tuple[Module, ...]
    images: Mapping[str, bytes] = field(default_factory=dict, repr=False)
    # what an import found against the glossary, the register, placeholders or number formats: shown, not refused
    warnings: tuple[Finding, ...] = field(default=(), repr=False, compare=False)

    def module(self, module_id: str) -> Module:
        return next(m for m in self.modules if m.id == module_id)


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


# -- validation -------------------------------------------------------------------------------

def _refuse(template: str, **params: Any) -> PackRefused:
    return PackRefused(template, **params)


def _texts(value: Any, where: str) -> dict[str, str]:
    if not isinstance(value, Mapping) or set(value) != set(LANGUAGES):
        raise _refuse(N_("{where}: every text must be given in Italian, German and English (it, de, en)."),
                      where=where)
    if not all(isinstance(value[lang], str) and value[lang].strip() for lang in LANGUAGES):
        raise _refuse(N_("{where}: a text is empty or not text."), where=where)
    return {lang: value[lang].strip() for lang in LANGUAGES}


def _text_lists(value: Any, where: str, low: int, high: int, *, same_count: bool = True) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, Mapping) or set(value) != set(LANGUAGES):
        raise _refuse(N_("{where}: every text must be given in Italian, German and English (it, de, en)."),
                      where=where)
    lists = {}
    for lang in LANGUAGES:
        items = value[lang]
        if (not isinstance(items, list) or not low <= len(items) <= high
                or not all(isinstance(i, str) and i.strip() for i in items)):
            raise _refuse(N_("{where}: expected {low} to {high} non-empty texts per language."), where=where,
                          low=low, high=high)
        lists[lang] = tuple(i.strip() for i in items)
    if same_count and len({len(v) for v in lists.values()}) != 1:
        raise _refuse(N_("{where}: the languages do not have the same number of entries."), where=where)
    return lists


def _int(value: Any, where: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise _refuse(N_("{where}: expected a whole number from {low} to {high}."), where=where, low=low, high=high)
    return value


def _id(value: Any, where: str) -> str:
    if not isinstance(value, str) or not ID_PATTERN.match(value):
        raise _refuse(N_("{where}: the id must be 2–64 lower-case letters, digits, - or _."), where=where)
    return value


def _exercise(raw: Any, where: str) -> Exercise:
    if not isinstance(raw, Mapping):
        raise _refuse(N_("{where}: an exercise must be an object."), where=where)
    exercise_id = _id(raw.get("id"), where)
    where = f"{where} {exercise_id}"
    kind = raw.get("kind")
    if kind not in KINDS:
        raise _refuse(N_("{where}: unknown kind of exercise {kind}."), where=where, kind=str(kind))
    points = _int(raw.get("points", 1), where, 0, 100)
    prompt = _texts(raw.get("prompt"), where)
    extra: dict[str, Any] = {}
    if kind in ("single_choice", "multiple_choice"):
        options = _text_lists(raw.get("options"), where, 2, 8)
        correct = raw.get("correct")
        count = len(options["en"])
        if (not isinstance(correct, list) or not correct
                or not all(isinstance(i, int) and not isinstance(i, bool) and 0 <= i < count for i in correct)
                or len(set(correct)) != len(correct) or (kind == "single_choice" and len(correct) != 1)):
            raise _refuse(N_("{where}: the right answers must be indexes of the options."), where=where)
        extra.update(options=options, correct=tuple(correct))
    elif kind == "short_text":
        if raw.get("keywords") is not None:
            # each language has its own words for the same idea: their numbers may differ
            extra["keywords"] = _text_lists(raw["keywords"], where, 1, 30, same_count=False)
    else:
        extra["minimum"] = _int(raw.get("minimum"), where, 1, 100)
        if kind == "add_cards":
            if not isinstance(raw.get("block"), str) or raw["block"] not in {b.value for b in CanvasBlock}:
                raise _refuse(N_("{where}: unknown canvas block {block}."), where=where, block=str(raw.get("block")))
            extra["block"] = raw["block"]
    return Exercise(exercise_id, kind, prompt, points, **extra)


def parse_slides(text: str) -> tuple[Slide, ...]:
    """Slides separated by a line holding only ``---``; notes after a line holding only ``Note:``."""
    slides = []
    chunks = re.split(r"(?m)^---[ \t]*$", text.replace("\r\n", "\n"))
    for chunk in chunks:
        if not chunk.strip():
            continue
        notes_line = re.search(r"(?m)^Note:[ \t]*$", chunk)
        body, notes = (chunk[:notes_line.start()], chunk[notes_line.end():]) if notes_line else (chunk, "")
        title = next((line[2:].strip() for line in body.splitlines() if line.startswith("# ")), "")
        slides.append(Slide(title, body.strip(), notes.strip(), tuple(IMAGE_PATTERN.findall(body))))
    return tuple(slides)


def _image_size(name: str, data: bytes) -> tuple[int, int] | None:
    """Width and height of a PNG or JPEG; None for SVG (scalable). Refuses what is not really an image."""
    lower = name.lower()
    if lower.endswith(".png"):
        if data[:8] != b"\x89PNG\r\n\x1a\n" or len(data) < 24:
            raise _refuse(N_("{name} is not a PNG image."), name=name)
        width, height = struct.unpack(">II", data[16:24])
        return width, height
    if lower.endswith((".jpg", ".jpeg")):
        if data[:3] != b"\xff\xd8\xff":
            raise _refuse(N_("{name} is not a JPEG image."), name=name)
        return _jpeg_size(data, name)
    head = data[:4096].decode("utf-8", "replace").lstrip("\ufeff \t\r\n")
    if not (head.startswith("<?xml") or head.startswith("<svg")) or "<svg" not in head:
        raise _refuse(N_("{name} is not an SVG image."), name=name)
    if "<!ENTITY" in data.decode("utf-8", "replace"):
        raise _refuse(N_("{name} declares XML entities, which are not allowed in a pack."), name=name)
    _check_svg(name, data)
    return None


SVG_FORBIDDEN_ELEMENTS = {"script", "foreignobject", "handler", "listener", "iframe", "embed", "object", "audio",
                          "video"}
# A picture may point inside itself (#gradient) or carry a bitmap of its own; anything else is a fetch.
SVG_SAFE_HREF = re.compile(r"^\s*(#[^\s]*|data:image/(png|jpe?g|gif|webp);base64,[A-Za-z0-9+/=\s]*)\s*$", re.I)
SVG_URL = re.compile(r"url\(\s*['\"]?\s*(?!#)", re.I)  # url(...) not starting with #
SVG_INSTRUCTION = re.compile(r"<\?(?!xml\s)", re.I)  # <?xml-stylesheet …?> and other instructions


def _check_svg(name: str, data: bytes) -> None:
    """Refuse a picture that could run a script or make the renderer fetch a file or a URL when a slide is
    shown. Parsed with defusedxml (no DTD, no entities, nothing external); refused, not cleaned, so what the
    trainer sees is what the publisher signed."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    if SVG_INSTRUCTION.search(data.decode("utf-8", "replace")):
        raise _refuse(N_("{name} holds a processing instruction (such as a style sheet), which is not allowed in a "
                         "pack."), name=name)
    try:
        root = fromstring(data, forbid_dtd=True)
    except (DefusedXmlException, ParseError):
        raise _refuse(N_("{name} is not a valid SVG image, or declares a DTD or entities."), name=name) from None
    if _local(root.tag) != "svg":
        raise _refuse(N_("{name} is not an SVG image."), name=name)
    for element in root.iter():
        problem = _svg_problem(element)
        if problem:
            raise _refuse(N_("{name} contains {what}, which could run code or fetch files when the slide is "
                             "shown."), name=name, what=problem)


def _local(tag: Any) -> str:
    return str(tag).rsplit("}", 1)[-1].lower()


def _svg_problem(element: Any) -> str | None:
    """What in this element could act or fetch: the element itself, an event handler, an external link."""
    tag = _local(element.tag)
    if tag in SVG_FORBIDDEN_ELEMENTS:
        return f"<{tag}>"
    if tag == "style" and ("@import" in (element.text or "").lower() or SVG_URL.search(element.text or "")):
        return "<style> @import/url(…)"  # style sheets are fine as long as they stay inside the picture
    for key, value in element.attrib.items():
        attribute = _local(key)
        if attribute.startswith("on"):
            return f"{attribute}=…"
        if attribute == "href" and not SVG_SAFE_HREF.match(value):
            return f"{attribute}=\"{value[:60]}\""
        if attribute == "attributename" and (value.lower().endswith("href") or value.lower().startswith("on")):
            return f"<{tag} attributeName=\"{value}\">"  # an animation that would change a link or a handler
        if SVG_URL.search(value):
            return f"{attribute}=\"{value[:60]}\""
    return None


def _jpeg_size(data: bytes, name: str) -> tuple[int, int]:
    pos = 2
    while pos + 9 < len(data):
        if data[pos] != 0xFF:
            break
        marker = data[pos + 1]
        length = struct.unpack(">H", data[pos + 2:pos + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[pos + 5:pos + 9])
            return width, height
        pos += 2 + length
    raise _refuse(N_("{name} is not a JPEG image."), name=name)


def read_pack(source: PackSource) -> Pack:
    """The whole pack, checked. Raises ``PackRefused`` naming the first problem found."""
    names = source.names()
    if "manifest.json" not in names:
        raise _refuse(N_("The pack has no manifest.json."))
    for name in names:
        check_member_name(name)
        allowed = (name == "manifest.json" or (name.startswith("modules/") and name.endswith(".md"))
                   or (name.startswith("images/") and name.lower().endswith(IMAGE_SUFFIXES)))
        if not allowed:
            raise _refuse(N_("The pack holds a file that does not belong in a pack: {name}."), name=name)
    raw_manifest = source.read("manifest.json")
    if len(raw_manifest) > MAX_MANIFEST_BYTES:
        raise _refuse(N_("manifest.json is larger than {limit} MB."), limit=MAX_MANIFEST_BYTES // 2**20)
    try:
        manifest = json.loads(raw_manifest.decode("utf-8-sig"))
    except RecursionError:
        raise _refuse(N_("manifest.json is not valid JSON ({detail})."), detail="nesting") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _refuse(N_("manifest.json is not valid JSON ({detail})."), detail=str(exc)[:120]) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _refuse(N_("manifest.json does not describe an SSD Starter training pack."))
    if manifest.get("format_version") != FORMAT_VERSION:
        raise _refuse(N_("The pack uses format version {version}, which this version of the app cannot read."),
                      version=str(manifest.get("format_version")))
    pack_id = _id(manifest.get("id"), "manifest")
    version = manifest.get("version")
    if not isinstance(version, str) or not VERSION_PATTERN.match(version):
        raise _refuse(N_("manifest: the version must be numbers separated by dots, like 1.2.0."))
    publisher = manifest.get("publisher")
    if not isinstance(publisher, str) or not publisher.strip():
        raise _refuse(N_("manifest: the publisher is missing."))
    title = _texts(manifest.get("title"), "manifest")
    raw_modules = manifest.get("modules")
    if not isinstance(raw_modules, list) or not raw_modules or len(raw_modules) > 100:
        raise _refuse(N_("manifest: the pack must list between 1 and 100 modules."))
    images: dict[str, bytes] = {}
    for name in names:
        if name.startswith("images/"):
            data = source.read(name)
            if len(data) > MAX_IMAGE_BYTES:
                raise _refuse(N_("The image {name} is larger than {limit} MB."), name=name,
                              limit=MAX_IMAGE_BYTES // 2**20)
            size = _image_size(name, data)
            if size and max(size) > MAX_IMAGE_SIDE:
                raise _refuse(N_("The image {name} is larger than {limit} × {limit} pixels."), name=name,
                              limit=MAX_IMAGE_SIDE)
            images[name] = data
    modules = []
    for raw in raw_modules:
        modules.append(_module(raw, pack_id, source, set(names), images))
    if len({m.id for m in modules}) != len(modules):
        raise _refuse(N_("manifest: two modules have the same id."))
    return Pack(pack_id, version, publisher.strip(), title, tuple(modules), images)


def _module(raw: Any, pack_id: str, source: PackSource, names: set[str], images: Mapping[str, bytes]) -> Module:
    if not isinstance(raw, Mapping):
        raise _refuse(N_("manifest: a module must be an object."))
    module_id = _id(raw.get("id"), "module")
    where = f"module {module_id}"
    duration = _int(raw.get("duration_minutes"), where, 5, 960)
    title = _texts(raw.get("title"), where)
    summary = _texts(raw.get("summary"), where)
    objectives = _text_lists(raw.get("objectives"), where, 1, 12)
    paths = raw.get("slides")
    if not isinstance(paths, Mapping) or set(paths) != set(LANGUAGES):
        raise _refuse(N_("{where}: slides must be given in Italian, German and English (it, de, en)."), where=where)
    slides: dict[str, tuple[Slide, ...]] = {}
    for lang in LANGUAGES:
        path = paths[lang]
        if not isinstance(path, str) or path != f"modules/{module_id}/{lang}.md" or path not in names:
            raise _refuse(N_("{where}: the {language} slides are missing (expected {path})."), where=where,
                          language=lang, path=f"modules/{module_id}/{lang}.md")
        data = source.read(path)
        if len(data) > MAX_SLIDES_BYTES:
            raise _refuse(N_("{name} is larger than {limit} MB."), name=path, limit=MAX_SLIDES_BYTES // 2**20)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise _refuse(N_("{name} is not UTF-8 text."), name=path) from None
        if UNSAFE_MARKDOWN.search(text):
            # only ![..](images/..) may show a picture: reference links, <…> targets and HTML could make
            # the slide load any file of the trainer's computer
            raise _refuse(N_("{name} uses HTML or a kind of link that packs may not use."), name=path)
        slides[lang] = parse_slides(text)
        if not slides[lang]:
            raise _refuse(N_("{name} holds no slides."), name=path)
        for slide in slides[lang]:
            for image in slide.images:
                check_member_name(image)
                if not image.startswith("images/") or image not in images:
                    raise _refuse(N_("{name} shows an image that is not in the pack: {image}."), name=path,
                                  image=image)
    if len({len(s) for s in slides.values()}) != 1:
        raise _refuse(N_("{where}: the languages do not have the same number of slides."), where=where)
    raw_exercises = raw.get("exercises", [])
    if not isinstance(raw_exercises, list) or len(raw_exercises) > 30:
        raise _refuse(N_("{where}: a module has at most 30 exercises."), where=where)
    exercises = tuple(_exercise(e, where) for e in raw_exercises)
    if len({e.id for e in exercises}) != len(exercises):
        raise _refuse(N_("{where}: two exercises have the same id."), where=where)
    return Module(module_id, pack_id, duration, title, summary, objectives, slides, exercises)


# -- language -------------------------------------------------------------------------------

def language_warnings(pack: Pack) -> tuple[Finding, ...]:
    """Every text of the pack checked as the shipped modules are (core.language): forms the glossary avoids,
    du/tu, placeholders that differ from English, numbers not written as the app writes them. The words a
    short answer is scored by are left out: they list what participants may write."""
    findings = check_translations(pack.title, where="manifest")
    for module in pack.modules:
        findings += check_translations(module.title, where=module.id)
        findings += check_translations(module.summary, where=module.id)
        for index in range(len(module.objectives["en"])):
            findings += check_translations({lang: module.objectives[lang][index] for lang in LANGUAGES},
                                           where=module.id)
        for index in range(len(module.slides["en"])):
            where = _("{module}, slide {number}").format(module=module.id, number=index + 1)
            findings += check_translations({lang: _slide_text(module.slides[lang][index]) for lang in LANGUAGES},
                                           where=where)
        for exercise in module.exercises:
            where = f"{module.id} · {exercise.id}"
            findings += check_translations(exercise.prompt, where=where)
            for index in range(len(exercise.options.get("en", ()))):
                findings += check_translations({lang: exercise.options[lang][index] for lang in LANGUAGES},
                                               where=where)
    return tuple(findings)


def warnings_text(warnings: Sequence[Finding], limit: int = 6) -> str:
    """The warnings an import shows: how many, the first few, and how many more."""
    if not warnings:
        return ""
    lines = [ngettext("Its texts leave the glossary or the language rules in {count} place:",
                      "Its texts leave the glossary or the language rules in {count} places:",
                      len(warnings)).format(count=len(warnings))]
    lines += [f"• {finding.message()}" for finding in warnings[:limit]]
    if len(warnings) > limit:
        more = len(warnings) - limit
        lines.append(ngettext("and {count} more", "and {count} more", more).format(count=more))
    return "\n".join(lines)


def _slide_text(slide: Slide) -> str:
    return f"{slide.body}\n\n{slide.notes}"


# -- scoring ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Score:
    points: float | None  # None: not scored automatically (a trainer reads it), or not answered
    maximum: int
    answered: bool


def score(exercise: Exercise, answer: Mapping[str, Any] | None) -> Score:
    """Points for one participant's answer (see the pack format for the rules)."""
    if not answer:
        return Score(None, exercise.points, False)
    if exercise.kind == "single_choice":
        return Score(exercise.points if answer.get("choice") == exercise.correct[0] else 0.0, exercise.points, True)
    if exercise.kind == "multiple_choice":
        chosen = set(answer.get("choices") or [])
        right = len(chosen & set(exercise.correct))
        wrong = len(chosen - set(exercise.correct))
        return Score(max(0.0, exercise.points * (right - wrong) / len(exercise.correct)), exercise.points, True)
    if exercise.kind == GRADED_BY_TRAINER:
        text = str(answer.get("text") or "").casefold()
        if not text.strip():
            return Score(None, exercise.points, False)
        if "grade" in answer:  # the trainer's own mark wins
            return Score(float(answer["grade"]), exercise.points, True)
        if not exercise.keywords:
            return Score(None, exercise.points, True)
        words = {w.casefold() for lang in LANGUAGES for w in exercise.keywords.get(lang, ())}
        return Score(exercise.points if any(w in text for w in words) else 0.0, exercise.points, True)
    proposed = len(answer.get("proposed") or [])
    return Score(exercise.points if proposed >= exercise.minimum else 0.0, exercise.points, proposed > 0)


@dataclass(frozen=True)
class Progress:
    answered: int
    exercises: int
    points: float
    maximum: int  # of the exercises scored automatically

    @property
    def share(self) -> float | None:
        return self.points / self.maximum if self.maximum else None


def progress(exercises: Sequence[Exercise], answers: Mapping[str, Mapping[str, Any]]) -> Progress:
    """One participant's progress in one module; ``answers`` maps exercise id → answer."""
    answered = points = 0.0
    maximum = 0
    for exercise in exercises:
        result = score(exercise, answers.get(exercise.id))
        answered += result.answered
        if result.points is not None:
            points += result.points
            maximum += result.maximum
        elif not result.answered and scored_automatically(exercise):
            maximum += result.maximum  # not done yet: counts as nothing out of its points
    return Progress(int(answered), len(exercises), points, maximum)


def scored_automatically(exercise: Exercise) -> bool:
    return exercise.kind != GRADED_BY_TRAINER or bool(exercise.keywords)


def duplicate_names(names: Iterable[str]) -> set[str]:
    """Names that appear more than once (ignoring case, accents kept, spaces squeezed): flagged, never merged."""
    seen: dict[str, int] = {}
    for name in names:
        key = " ".join(name.split()).casefold()
        seen[key] = seen.get(key, 0) + 1
    return {key for key, count in seen.items() if count > 1}


def shipped_pack_dir() -> Path:
    from importlib import resources

    return Path(str(resources.files("ssd_starter").joinpath("resources/training/core")))
