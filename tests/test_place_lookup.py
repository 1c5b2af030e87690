"""Places found by any spelling: case, accents, punctuation, a part of the name; several
matches to choose from; the closest names when none matches."""

from __future__ import annotations

import pytest

from storage import add_place, open_db, remove_place
from storage.place_lookup import lookup_place, match_places, search_key
from storage.places import Place

NAMES = ["La Tréso", "Le WIP", "Utopic", "Les Grands Voisins", "Les Petits Voisins",
         "L’Hermitage", "Cœur de Ville"]
PLACES = [Place(i, name, True, "") for i, name in enumerate(NAMES, 1)]


def names(places) -> list[str]:
    return [p.name for p in places]


def test_the_search_key_forgets_case_accents_and_punctuation():
    assert search_key("  La TRÉSO !") == "la treso"
    assert search_key("L’Hermitage") == search_key("l'hermitage") == "l hermitage"
    assert search_key("Cœur-de-Ville") == "coeur de ville"


@pytest.mark.parametrize("query", ["la treso", "Tréso", "TRESO", "la-tréso", "treso!",
                                   "tres"])
def test_any_spelling_finds_la_treso(query):
    assert names(match_places(query, PLACES).places) == ["La Tréso"]


@pytest.mark.parametrize(("query", "found"), [
    ("hermitage", "L’Hermitage"), ("l'hermitage", "L’Hermitage"), ("wip", "Le WIP"),
    ("coeur de ville", "Cœur de Ville"), ("grands vois", "Les Grands Voisins"),
])
def test_articles_apostrophes_and_word_starts(query, found):
    assert match_places(query, PLACES).found.name == found


def test_several_matches_are_offered_to_choose():
    match = match_places("voisins", PLACES)
    assert match.found is None
    assert names(match.places) == ["Les Grands Voisins", "Les Petits Voisins"]


def test_none_matching_gives_the_closest_names():
    match = match_places("Utopik", PLACES)
    assert match.places == [] and names(match.closest) == ["Utopic"]
    assert match_places("zzzz", PLACES).closest == []
    assert match_places("  !! ", PLACES).places == []


def test_lookup_in_the_database_prefers_active_places():
    db = open_db(":memory:")
    add_place(db, "La Tréso")
    old = add_place(db, "Ancienne Halle")
    remove_place(db, old.id)
    assert lookup_place(db, "treso").found.name == "La Tréso"
    assert lookup_place(db, "halle").places == []
    assert lookup_place(db, "halle", include_removed=True).found.id == old.id
