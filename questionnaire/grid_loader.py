"""Reading `grid.yaml` into the grid's objects, refusing what the engine or the fiche
could trip on later: every error names the file and the key, so that whoever edits the
grid knows where to look.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from questionnaire.grid_types import (
    AMOUNT_MAX_LENGTH,
    QUESTION_TYPES,
    Condition,
    Family,
    FamilySummary,
    FicheEntry,
    Grid,
    GridError,
    Option,
    Question,
    Section,
    Statement,
)

_ID = re.compile(r"^[a-z0-9_]+$")


class Loader:
    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, message: str) -> GridError:
        return GridError(f"{self.source}: {where}: {message}")

    def mapping(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, "expected a mapping")
        return value

    def text(self, raw: dict[str, Any], name: str, where: str, required: bool = True) -> str:
        value = raw.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                raise self.fail(where, f"missing '{name}'")
            return ""
        if not isinstance(value, str):
            raise self.fail(f"{where}.{name}", "expected text")
        return value

    def ident(self, raw: dict[str, Any], where: str) -> str:
        value = raw.get("id")
        if isinstance(value, int):
            value = str(value)
        if not isinstance(value, str) or not _ID.match(value):
            raise self.fail(where, f"missing or malformed 'id' ({value!r}): use a-z, 0-9 and _")
        return value

    def grid(self, raw: Any) -> Grid:
        raw = self.mapping(raw, "top level")
        version = raw.get("version")
        if not isinstance(version, str | int | float) or not str(version).strip():
            raise self.fail("version", "missing grid version")
        lists = self.option_lists(raw.get("option_lists") or {})
        raw_sections = raw.get("sections")
        if not isinstance(raw_sections, list) or not raw_sections:
            raise self.fail("sections", "expected a non-empty list")
        sections = self.sections(raw_sections, lists)
        families = self.families(raw.get("families") or [], sections)
        family_of = {sid: fam.id for fam in families for sid in fam.section_ids}
        sections = [
            Section(s.id, s.title, s.questions, s.fiche, family_of.get(s.id), s.summary)
            for s in sections
        ]
        for section in sections:
            if section.family_id is None and not section.summary:
                raise self.fail(f"sections.{section.id}", "belongs to no family")
        grid = Grid(str(version), self.text(raw, "name", "top level"), tuple(families),
                    tuple(sections))
        for family in families:
            if family.summary:
                for key in (family.summary.intensity, family.summary.keywords):
                    if grid.question(key) is None:
                        raise self.fail(f"families.{family.id}.summary",
                                        f"unknown question '{key}'")
        return grid

    def option_lists(self, raw: Any) -> dict[str, tuple[Option, ...]]:
        raw = self.mapping(raw, "option_lists")
        return {name: self.options(items, f"option_lists.{name}") for name, items in raw.items()}

    def options(self, raw: Any, where: str) -> tuple[Option, ...]:
        if not isinstance(raw, list) or not raw:
            raise self.fail(where, "expected a non-empty list of options")
        options: list[Option] = []
        seen: set[str] = set()
        for index, item in enumerate(raw):
            item = self.mapping(item, f"{where}[{index}]")
            option_id = self.ident(item, f"{where}[{index}]")
            if option_id in seen:
                raise self.fail(f"{where}.{option_id}", "duplicate option id")
            seen.add(option_id)
            options.append(Option(
                id=option_id,
                label=self.text(item, "label", f"{where}.{option_id}"),
                phrase=self.text(item, "phrase", f"{where}.{option_id}", required=False) or None,
                sentence=self.text(item, "sentence", f"{where}.{option_id}", required=False)
                or None,
                exclusive=bool(item.get("exclusive", False)),
            ))
        return tuple(options)

    def condition(self, raw: Any, where: str, known: Mapping[str, Question]) -> Condition:
        raw = self.mapping(raw, where)
        equals = self.mapping(raw.get("is"), f"{where}.is")
        for name, value in equals.items():
            question = known.get(name)
            if question is None:
                raise self.fail(f"{where}.is.{name}", "condition names an unknown question")
            values = value if isinstance(value, list) else [value]
            for option_id in values:
                if question.option(str(option_id)) is None:
                    raise self.fail(f"{where}.is.{name}", f"unknown option '{option_id}'")
        return Condition(equals)

    def sections(self, raw: list[Any], lists: dict[str, tuple[Option, ...]]) -> list[Section]:
        sections: list[Section] = []
        seen: set[str] = set()
        for index, item in enumerate(raw):
            item = self.mapping(item, f"sections[{index}]")
            section_id = self.ident(item, f"sections[{index}]")
            where = f"sections.{section_id}"
            if section_id in seen:
                raise self.fail(where, "duplicate section id")
            seen.add(section_id)
            questions = self.questions(item.get("questions"), section_id, lists)
            known = {q.id: q for q in questions}
            fiche = tuple(self.fiche_entry(entry, f"{where}.fiche[{i}]", known)
                          for i, entry in enumerate(item.get("fiche") or []))
            sections.append(Section(section_id, self.text(item, "title", where), questions,
                                    fiche, summary=bool(item.get("summary", False))))
        return sections

    def questions(self, raw: Any, section_id: str, lists: dict[str, tuple[Option, ...]]
                  ) -> tuple[Question, ...]:
        where = f"sections.{section_id}.questions"
        if not isinstance(raw, list) or not raw:
            raise self.fail(where, "expected a non-empty list")
        questions: list[Question] = []
        known: dict[str, Question] = {}
        for index, item in enumerate(raw):
            item = self.mapping(item, f"{where}[{index}]")
            qid = self.ident(item, f"{where}[{index}]")
            qwhere = f"{section_id}.{qid}"
            if qid in known:
                raise self.fail(qwhere, "duplicate question id")
            qtype = item.get("type")
            if qtype not in QUESTION_TYPES:
                raise self.fail(qwhere, f"unknown type {qtype!r} (expected one of "
                                        f"{', '.join(QUESTION_TYPES)})")
            options: tuple[Option, ...] = ()
            if qtype in ("multi", "single"):
                raw_options = item.get("options")
                if isinstance(raw_options, str):
                    if raw_options not in lists:
                        raise self.fail(f"{qwhere}.options", f"unknown option list '{raw_options}'")
                    options = lists[raw_options]
                else:
                    options = self.options(raw_options, f"{qwhere}.options")
            elif "options" in item:
                raise self.fail(f"{qwhere}.options", f"a {qtype} question has no options")
            unit = item.get("unit")
            if unit is not None:
                if qtype != "count" or not (isinstance(unit, list) and len(unit) == 2):
                    raise self.fail(f"{qwhere}.unit", "expected [singular, plural] on a count")
                unit = (str(unit[0]), str(unit[1]))
            suggestions = tuple(str(s) for s in item.get("suggestions") or ())
            if suggestions and qtype != "amount":
                raise self.fail(f"{qwhere}.suggestions", "only an amount has suggestions")
            if any(len(s) > AMOUNT_MAX_LENGTH for s in suggestions):
                raise self.fail(f"{qwhere}.suggestions", "a suggestion is too long")
            when = (self.condition(item["when"], f"{qwhere}.when", known)
                    if item.get("when") else None)
            max_length = item.get("max_length")
            if max_length is not None and (not isinstance(max_length, int) or max_length < 1):
                raise self.fail(f"{qwhere}.max_length", "expected a positive whole number")
            question = Question(
                section_id=section_id, id=qid, type=qtype,
                prompt=self.text(item, "prompt", qwhere),
                options=options,
                other=bool(item.get("other", qtype == "multi")),
                suggestions=suggestions, unit=unit, max_length=max_length,
                group=self.text(item, "group", qwhere, required=False) or None,
                when=when,
            )
            known[qid] = question
            questions.append(question)
        return tuple(questions)

    def fiche_entry(self, raw: Any, where: str, known: Mapping[str, Question]) -> FicheEntry:
        raw = self.mapping(raw, where)
        if "variants" in raw:
            items = raw["variants"]
            if not isinstance(items, list) or not items:
                raise self.fail(f"{where}.variants", "expected a non-empty list")
            return FicheEntry(tuple(self.statement(item, f"{where}.variants[{i}]", known)
                                    for i, item in enumerate(items)))
        return FicheEntry((self.statement(raw, where, known),))

    def statement(self, raw: Any, where: str, known: Mapping[str, Question]) -> Statement:
        raw = self.mapping(raw, where)
        grouped = tuple(raw.get("grouped") or ())
        statement = Statement(
            text=self.text(raw, "text", where, required=not raw.get("sentence_of")),
            list=raw.get("list"),
            inline_if_one=bool(raw.get("inline_if_one", False)),
            sentence_of=raw.get("sentence_of"),
            grouped=grouped,
            when=self.condition(raw["when"], f"{where}.when", known) if raw.get("when") else None,
        )
        for name in (*statement.references(), *grouped):
            if name not in known:
                raise self.fail(where, f"names an unknown question '{name}'")
        if statement.list and known[statement.list].type != "multi":
            raise self.fail(f"{where}.list", "only a multi question prints as a list")
        if statement.sentence_of:
            question = known[statement.sentence_of]
            missing = [o.id for o in question.options if not o.sentence]
            if question.type != "single" or missing:
                raise self.fail(f"{where}.sentence_of",
                                f"needs a single question whose options all have a sentence "
                                f"(missing: {', '.join(missing) or question.type})")
        for name in grouped:
            if known[name].type != "single" or not known[name].group:
                raise self.fail(f"{where}.grouped", f"'{name}' must be a single with a group")
        return statement

    def families(self, raw: Any, sections: list[Section]) -> list[Family]:
        if not isinstance(raw, list) or not raw:
            raise self.fail("families", "expected a non-empty list")
        by_id = {s.id: s for s in sections}
        families: list[Family] = []
        placed: set[str] = set()
        for index, item in enumerate(raw):
            item = self.mapping(item, f"families[{index}]")
            family_id = self.ident(item, f"families[{index}]")
            where = f"families.{family_id}"
            if any(f.id == family_id for f in families):
                raise self.fail(where, "duplicate family id")
            section_ids = tuple(item.get("sections") or ())
            for sid in section_ids:
                if sid not in by_id:
                    raise self.fail(f"{where}.sections", f"unknown section '{sid}'")
                if sid in placed:
                    raise self.fail(f"{where}.sections", f"section '{sid}' is in two families")
                placed.add(sid)
            summary = None
            if item.get("summary"):
                raw_summary = self.mapping(item["summary"], f"{where}.summary")
                summary = FamilySummary(self.text(raw_summary, "intensity", f"{where}.summary"),
                                        self.text(raw_summary, "keywords", f"{where}.summary"))
            families.append(Family(family_id, self.text(item, "title", where), section_ids,
                                   summary))
        return families
