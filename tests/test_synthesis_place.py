"""« Votre lieu face au réseau » (k ≥ 5), the synthesis's view (bars sorted by frequency,
French numbers) and its charts."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from bot.synthesis import place_block_of, synthesis_of
from campaign.synthesis import K_MIN
from campaign.synthesis.document import key_charts
from campaign.synthesis.place_view import build_place_view
from campaign.synthesis.render import render_place_telegram
from campaign.synthesis.view import build_view
from questionnaire.typography import format_decimal, format_percent
from storage import open_db
from storage.campaigns import find_campaign
from tests.synthesis_data import GRID, add_campaign, add_places

SAME = {"synthese.intensite_individuels": "3", "lien_social.publics": ["benevoles"],
        "insertion.beneficiaires": 12, "capacite_agir.nombre_projets": "une dizaine par an"}


def campaign_of(tmp_path: Path, sent: int, answers: dict | None = None):  # type: ignore[no-untyped-def]
    db = open_db(tmp_path / f"bot-{sent}.sqlite")
    places = add_places(db, sent + 1)
    given = {place: dict(answers) for place in places[:sent]} if answers else None
    add_campaign(db, 2026, places, places[:sent], seed=sent, answers=given)
    return db, places, find_campaign(db, 2026)


def test_with_4_places_nothing_is_compared(tmp_path):
    db, places, campaign = campaign_of(tmp_path, 4, SAME)
    synthesis = synthesis_of(db, campaign)
    block = place_block_of(db, synthesis, places[0])
    assert block["questions"] == {} and block["intensites"] == {}
    assert sorted(block["masquees"]) == sorted(SAME)
    messages = render_place_telegram(build_place_view(GRID, block))
    text = "\n".join(messages)
    assert "Pas de comparaison pour 4\u00a0questions\u00a0: moins de 5\u00a0lieux y ont " \
           "répondu." in text
    assert "%" not in text
    assert place_block_of(db, synthesis, places[4]) is None  # sent nothing


def test_with_5_places_each_figure_is_set_against_the_network(tmp_path):
    db, places, campaign = campaign_of(tmp_path, K_MIN, SAME)
    synthesis = synthesis_of(db, campaign)
    block = place_block_of(db, synthesis, places[0])
    assert block["masquees"] == []
    assert block["intensites"]["individuels"] == {
        "niveau": "3", "repondants": 5, "moins": 0.0, "egal": 1.0, "plus": 0.0}
    assert block["questions"]["lien_social.publics"]["choix"] == {"benevoles": 1.0}
    assert block["questions"]["insertion.beneficiaires"]["position"] == "mediane"
    text = "\n".join(render_place_telegram(build_place_view(GRID, block)))
    assert "Vous avez indiqué +++\u202f; 100\u202f% des lieux aussi, 0\u202f% moins, " \
           "0\u202f% plus." in text
    assert "12\u00a0personnes\u202f; médiane du réseau\u00a0: 12" in text
    assert "Une dizaine par an (100\u202f% des lieux)." in text


def test_generated_answers_compare_with_the_network_shares(tmp_path):
    db, places, campaign = campaign_of(tmp_path, 12)
    synthesis = synthesis_of(db, campaign)
    for place in places[:12]:
        block = place_block_of(db, synthesis, place)
        for key, compared in block["questions"].items():
            network = synthesis["questions"][key]
            assert network["repondants"] >= K_MIN
            if compared["type"] == "multi":
                assert compared["choix"] == {o: network["parts"][o] for o in compared["choix"]}
            elif compared["type"] == "single":
                assert compared["part"] == network["parts"][compared["choix"]]
        for key in block["masquees"]:
            figures = synthesis["questions"].get(key) or next(
                f for f in synthesis["intensites"].values() if f["cle"] == key)
            assert figures["repondants"] < K_MIN


def test_bars_are_sorted_by_frequency_with_typed_answers_last_amounts_as_a_scale(tmp_path):
    db, _, campaign = campaign_of(tmp_path, 12)
    synthesis = synthesis_of(db, campaign)
    view = build_view(GRID, synthesis)
    for family in view.families:
        for section in family.sections:
            for question in section.questions:
                counts = [b.count for b in question.bars if not b.other]
                if question.key == "capacite_agir.nombre_projets":  # a scale: in its order
                    assert [b.label.casefold() for b in question.bars if not b.other] == [
                        t.casefold() for t in GRID.question(question.key).suggestions]
                else:
                    assert counts == sorted(counts, reverse=True), question.key
                assert all(not b.other for b in question.bars[:-1])
                for bar in question.bars:
                    assert bar.label[0] == bar.label[0].upper()


def test_french_numbers():
    assert format_percent(0.4256) == "43\u202f%"
    assert format_percent(0.4256, 1) == "42,6\u202f%"
    assert format_decimal(1234567.5) == "1\u202f234\u202f567,5"
    assert format_decimal(-0.04) == "0"
    assert format_decimal(12.0) == "12"


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("previous", [False, True])
def test_key_charts_are_phone_sized_pngs(tmp_path, previous):
    db = open_db(tmp_path / "bot.sqlite")
    places = add_places(db, 8)
    if previous:
        add_campaign(db, 2025, places, places, seed=1)
    add_campaign(db, 2026, places, places, seed=2)
    synthesis = synthesis_of(db, find_campaign(db, 2026))
    images = key_charts(GRID, synthesis)
    assert len(images) == (4 if previous else 1)  # intensities, then one per family
    for image in images:
        width, height = png_size(image)
        assert width == 1088 and 600 < height < 2000
