"""The fiche: French helpers, statement semantics, the four formats and their escaping."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from fiche.escape import escape_markdown, escape_telegram
from fiche.french import capitalize_first, hashtags, join_fr, plural, title_of
from fiche.model import BulletList, Comment, Paragraph, build_fiche
from fiche.render import (
    TELEGRAM_LIMIT,
    environment,
    render,
    render_html,
    render_markdown,
    render_pdf,
    render_telegram,
    split_html,
)
from questionnaire.answers import validate_answers
from questionnaire.grid import default_grid

GRID = default_grid()
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
NNBSP = "\u202f"


def fiche_of(answers, place="La Tréso", year=2025):
    return build_fiche(GRID, validate_answers(GRID, answers), place, year)


def md_lines(answers, **kwargs) -> list[str]:
    markdown = render_markdown(fiche_of(answers, **kwargs))
    return [line.replace("**", "").rstrip() for line in markdown.splitlines()]


def section_lines(answers, heading: str) -> list[str]:
    """The non-blank lines of one section, between its heading and the next heading."""
    lines = md_lines(answers)
    start = lines.index(f"## {heading}") + 1
    body = []
    for line in lines[start:]:
        if line.startswith("#"):
            break
        if line:
            body.append(line)
    return body


def example(name: str):
    raw = json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    return build_fiche(GRID, validate_answers(GRID, raw["answers"]), raw["place"], raw["year"])


# --- French helpers ----------------------------------------------------------------------

def test_join_fr():
    assert join_fr([]) == ""
    assert join_fr(["a"]) == "a"
    assert join_fr(["a", "b"]) == "a et b"
    assert join_fr(["a", "b", "c"]) == "a, b et c"
    assert join_fr(iter(["a", "b", "c", "d"])) == "a, b, c et d"


@pytest.mark.parametrize(("n", "expected"), [
    (0, "0 personne"),
    (1, "1 personne"),
    (2, "2 personnes"),
    (15, "15 personnes"),
    (999, "999 personnes"),
    (1200, f"1{NNBSP}200 personnes"),
    (1_000_000, f"1{NNBSP}000{NNBSP}000 personnes"),
])
def test_plural_and_french_thousands(n, expected):
    assert plural(n, "personne", "personnes") == expected


@pytest.mark.parametrize(("place", "expected"), [
    ("La Tréso", "DE LA TRÉSO"),
    ("Le WIP", "DU WIP"),
    ("le wip", "DU WIP"),
    ("  Le   WIP ", "DU WIP"),
    ("Les Grands Voisins", "DES GRANDS VOISINS"),
    ("L'Hermitage", "DE L'HERMITAGE"),
    ("L’Hermitage", "DE L’HERMITAGE"),
    ("Utopic", "D'UTOPIC"),
    ("Écume", "D'ÉCUME"),
    ("Île aux Projets", "D'ÎLE AUX PROJETS"),
    ("Ateliers Médicis", "D'ATELIERS MÉDICIS"),
    ("Hangar Zéro", "DE HANGAR ZÉRO"),  # never elided before h: see title_of
    ("Lemonade", "DE LEMONADE"),
    ("Lavoir Numérique", "DE LAVOIR NUMÉRIQUE"),
    ("Darwin", "DE DARWIN"),
])
def test_title_contracts_de_with_the_article(place, expected):
    assert title_of(place) == f"EFFETS SOCIAUX ET URBAINS {expected}"


def test_title_without_a_name():
    assert title_of("  ") == "EFFETS SOCIAUX ET URBAINS"


def test_capitalize_first():
    assert capitalize_first("une vingtaine par an") == "Une vingtaine par an"
    assert capitalize_first("« une » fois") == "« Une » fois"
    assert capitalize_first("5 par an") == "5 par an"
    assert capitalize_first("écume") == "Écume"
    assert capitalize_first("") == ""


def test_hashtags():
    assert hashtags("prise de confiance, projet professionnel") == \
        "#prise de confiance - projet professionnel"
    assert hashtags("#lien ; #entraide\n\n , solidarité  ") == "#lien - entraide - solidarité"
    assert hashtags(" , ; ") == ""


# --- Statements --------------------------------------------------------------------------

def test_a_skipped_question_leaves_no_dangling_sentence():
    body = section_lines({"lien_social.publics": ["benevoles"]}, "LIEN SOCIAL")
    assert body == ["Des interactions sociales ont été observées entre différents publics :",
                    "- bénévoles"]
    markdown = render_markdown(fiche_of({"lien_social.publics": ["benevoles"]}))
    assert "Ces rencontres ont lieu" not in markdown
    assert "Ces échanges ont été constatés" not in markdown


def test_frequence_in_running_text():
    body = section_lines({"lien_social.frequence": ["mensuel", "ponctuel"]}, "LIEN SOCIAL")
    assert body == ["Ces rencontres ont lieu au moins une fois par mois et de façon ponctuelle."]


def test_an_empty_section_prints_its_heading_and_non_renseigne():
    fiche = fiche_of({"lien_social.frequence": ["quotidien"]})
    sante = fiche.families[0].sections[1]
    assert sante.heading == "SANTÉ" and sante.empty
    assert section_lines({"lien_social.frequence": ["quotidien"]}, "SANTÉ") == ["Non renseigné."]
    assert not fiche.families[0].sections[0].empty


def test_nothing_answered_still_prints_every_family_and_section():
    fiche = fiche_of({})
    assert [f.heading for f in fiche.families] == [
        "EFFETS INDIVIDUELS", "EFFETS COLLECTIFS", "EFFETS SUR LE QUARTIER ET LE TERRITOIRE"]
    assert all(s.empty for f in fiche.families for s in f.sections)
    lines = [line for line in md_lines({}) if line]
    assert lines.count("Non renseigné.") == 11
    assert fiche.summary == ()


def test_a_comment_alone_prints_without_the_statement():
    body = section_lines({"sante.commentaire": "Un lieu qui apaise."}, "SANTÉ")
    assert body == ["Un lieu qui apaise."]


def test_a_blank_answer_counts_as_skipped():
    fiche = build_fiche(GRID, {"sante.commentaire": "   ",
                               "capacite_agir.nombre_projets": " "}, "Utopic", None)
    assert fiche.families[0].sections[1].empty
    assert fiche.families[0].sections[3].empty


def test_an_answer_whose_condition_no_longer_holds_is_not_printed():
    answers = {"espaces.effet": "negatif",
               "espaces.ameliorations": ["attractivite", "mixite"]}  # kept from "positif"
    body = section_lines(answers, "ENTRETIEN DES ESPACES")
    assert body == ["Le projet a eu des effets négatifs sur l'entretien des espaces."]


@pytest.mark.parametrize(("answers", "expected"), [
    ({"espaces.effet": "aucun"}, ["Le projet n'a pas eu d'effet sur l'entretien des espaces."]),
    ({"espaces.effet": "aucun", "espaces.ameliorations": ["mixite"]},
     ["Le projet n'a pas eu d'effet sur l'entretien des espaces."]),
    ({"espaces.effet": "positif"},
     ["Le projet a eu des effets positifs sur l'entretien des espaces."]),
    ({"espaces.effet": "positif", "espaces.ameliorations": ["mixite", "respect"]},
     ["Le projet a permis d'améliorer :", "- la mixité d'usages",
      "- le respect des espaces par les usagers"]),
    ({"espaces.effet": "negatif", "espaces.degradations": ["nuisances"]},
     ["Le projet a engendré :", "- des nuisances (bruit, déchets, stationnement)"]),
    ({"espaces.effet": "positif", "espaces.degradations": ["nuisances"]},
     ["Le projet a eu des effets positifs sur l'entretien des espaces."]),
])
def test_espaces_conditions(answers, expected):
    assert section_lines(answers, "ENTRETIEN DES ESPACES") == expected


INSERTION = ("Les actions de formation, d'accompagnement à la création d'activité ou à "
             "l'emploi ")


@pytest.mark.parametrize(("answers", "expected"), [
    ({"insertion.beneficiaires": 15, "insertion.resultats": ["autonomie"]},
     [INSERTION + "ont bénéficié à 15\u00a0personnes et ont permis à certaines personnes :",
      "- des personnes ont gagné en autonomie"]),
    ({"insertion.beneficiaires": 1}, [INSERTION + "ont bénéficié à 1\u00a0personne."]),
    ({"insertion.beneficiaires": 0}, [INSERTION + "ont bénéficié à 0\u00a0personne."]),
    ({"insertion.beneficiaires": 1200},
     [INSERTION + f"ont bénéficié à 1{NNBSP}200\u00a0personnes."]),
    ({"insertion.resultats": ["emplois_internes", "emplois_externes"]},
     [INSERTION + "ont permis à certaines personnes :",
      "- d'obtenir des emplois au sein du lieu", "- d'obtenir des emplois à l'extérieur du lieu"]),
    ({"insertion.commentaire": "Rien encore."}, ["Rien encore."]),
    ({}, ["Non renseigné."]),
])
def test_insertion_variants(answers, expected):
    assert section_lines(answers, "INSERTION PROFESSIONNELLE") == expected


PROJETS = "de nouveaux projets ou actions (atelier, évènement, marché, …) imprévus"


@pytest.mark.parametrize(("answers", "expected"), [
    ({"capacite_agir.nombre_projets": "une vingtaine par an",
      "capacite_agir.porteurs": "frequentants"},
     f"Une vingtaine par an {PROJETS}, portés par une ou des personnes fréquentant le lieu, "
     "ont émergé."),
    ({"capacite_agir.nombre_projets": "environ 5 par an"},
     f"Environ 5 par an {PROJETS} ont émergé."),
    ({"capacite_agir.porteurs": "occupants"},
     "De nouveaux projets ou actions (atelier, évènement, marché, …) imprévus, portés par "
     "des occupant·e·s, ont émergé."),
])
def test_capacite_agir_variants(answers, expected):
    assert section_lines(answers, "CAPACITÉ À AGIR") == [expected]


@pytest.mark.parametrize(("answers", "expected"), [
    ({"solidarite.echanges": ["services", "espaces"], "solidarite.entre": ["voisins"]},
     ["Des échanges, dons ou mutualisations de petits services et d'espaces ont été "
      "observés entre :", "- voisin·e·s du quartier"]),
    ({"solidarite.entre": ["voisins", "occupants"]},
     ["Des échanges, dons ou mutualisations ont été observés entre :",
      "- voisin·e·s du quartier", "- occupant·e·s du site"]),
    ({"solidarite.echanges": ["biens"]},
     ["Des échanges, dons ou mutualisations de biens ont été observés."]),
    ({"solidarite.echanges": ["biens"], "solidarite.echanges.autre": ["de repas"]},
     ["Des échanges, dons ou mutualisations de biens et de repas ont été observés."]),
])
def test_solidarite_variants(answers, expected):
    assert section_lines(answers, "SOLIDARITÉ") == expected


@pytest.mark.parametrize(("answers", "expected"), [
    ({"reseau.nature": ["thematique", "projet"], "reseau.entre": ["grand_public"]},
     ["La création de réseaux de personnes autour d'une thématique et autour d'un projet ou "
      "d'une action a été observée entre :", "- visiteur·euse·s grand public"]),
    ({"reseau.entre": ["benevoles"]},
     ["La création de réseaux de personnes a été observée entre :", "- bénévoles"]),
    ({"reseau.nature": ["thematique"]},
     ["La création de réseaux de personnes autour d'une thématique a été observée."]),
])
def test_reseau_variants(answers, expected):
    assert section_lines(answers, "RÉSEAU DE PERSONNES") == expected


@pytest.mark.parametrize(("answers", "expected"), [
    ({"inclusion.constats": ["aucun"]},
     ["Aucun sentiment d'appartenance ou d'exclusion n'a été observé."]),
    ({"inclusion.constats": ["exclues"]},
     ["Il a été observé que certaines personnes se sentent exclues du projet."]),
    ({"inclusion.constats": ["groupe", "non_concernees"]},
     ["Il a été observé que :",
      "- certaines personnes se sentent faire partie d'un groupe autour du projet",
      "- certaines personnes ne se sentent pas concernées par le lieu"]),
    ({"inclusion.constats": [], "inclusion.constats.autre": ["les voisins viennent moins"]},
     ["Il a été observé que les voisins viennent moins."]),
    ({"inclusion.constats": ["aucun"], "inclusion.constats.autre": ["les voisins râlent"]},
     ["Il a été observé que :",
      "- aucun sentiment d'appartenance ou d'exclusion", "- les voisins râlent"]),
])
def test_inclusion(answers, expected):
    assert section_lines(answers, "SENTIMENT D'INCLUSION OU D'EXCLUSION") == expected


def test_egalite_groups_the_same_answers_in_order_of_first_appearance():
    answers = {"egalite.equipe": "plus_femmes", "egalite.dirigeants": "plus_femmes",
               "egalite.occupants": "parite", "egalite.publics": "plus_femmes"}
    assert section_lines(answers, "ÉGALITÉ FEMMES/HOMMES") == [
        "Concernant l'équipe de gestion et d'animation du lieu, les dirigeant·e·s et les "
        "publics, plus de femmes que d'hommes sont présent·e·s.",
        "Concernant les résident·e·s et occupant·e·s, autant de femmes que d'hommes sont "
        "présent·e·s.",
    ]
    assert section_lines({"egalite.publics": "plus_hommes"}, "ÉGALITÉ FEMMES/HOMMES") == [
        "Concernant les publics, plus d'hommes que de femmes sont présent·e·s."]


def test_services_sentence_of_the_chosen_option():
    body = section_lines({"services.gestion_urbaine": "non_entretenus"},
                         "SERVICES PUBLICS ET DE PROXIMITÉ")
    assert body == ["Les nouveaux espaces ne sont pas nettoyés, entretenus ni sécurisés par les "
                    "services des collectivités ou de leurs partenaires."]


def test_extras_print_after_the_listed_options_as_typed():
    answers = {"lien_social.publics": ["benevoles", "grand_public"],
               "lien_social.publics.autre": ["les enfants du centre de loisirs", "Les élus"]}
    assert section_lines(answers, "LIEN SOCIAL") == [
        "Des interactions sociales ont été observées entre différents publics :",
        "- visiteur·euse·s grand public", "- bénévoles",
        "- les enfants du centre de loisirs", "- Les élus"]


def test_answers_are_strong_and_grid_text_is_not():
    fiche = fiche_of({"insertion.beneficiaires": 15, "insertion.resultats": ["autonomie"],
                      "insertion.commentaire": "Bien."})
    blocks = fiche.families[0].sections[2].blocks
    assert isinstance(blocks[0], Paragraph)
    assert [(s.text, s.strong) for s in blocks[0].segments] == [
        (INSERTION + "ont bénéficié à ", False), ("15\u00a0personnes", True),
        (" et ont permis à certaines personnes :", False)]
    assert isinstance(blocks[1], BulletList)
    assert blocks[1].items[0][0].strong
    assert isinstance(blocks[2], Comment) and blocks[2].text == "Bien."
    markdown = render_markdown(fiche)
    assert "ont bénéficié à **15\u00a0personnes** et" in markdown


def test_every_answer_the_fiche_can_print_is_named_by_a_statement():
    """A non-comment question that no statement names would vanish from the fiche."""
    for family in GRID.families:
        for section_id in family.section_ids:
            section = GRID.section(section_id)
            named = {name for entry in section.fiche for statement in entry.variants
                     for name in (*statement.references(), *statement.grouped,
                                  *(statement.when.equals if statement.when else ()))}
            for question in section.questions:
                if question.type != "comment":
                    assert question.id in named, question.key


# --- Summary -----------------------------------------------------------------------------

def test_summary_only_for_answered_families():
    answers = {"synthese.intensite_individuels": "3",
               "synthese.mots_cles_individuels": "prise de confiance, projet professionnel",
               "synthese.mots_cles_territoire": "quartier; marché"}
    fiche = fiche_of(answers)
    assert [(line.title, line.hashtags) for line in fiche.summary] == [
        ("EFFETS INDIVIDUELS +++", "#prise de confiance - projet professionnel"),
        ("EFFETS SUR LE QUARTIER ET LE TERRITOIRE", "#quartier - marché"),
    ]
    markdown = render_markdown(fiche)
    lines = markdown.splitlines()
    assert lines[0] == "# EFFETS SOCIAUX ET URBAINS DE LA TRÉSO"
    assert "Année 2025" in lines[:4]
    title_line = lines.index("**EFFETS INDIVIDUELS +++**  ")
    assert lines[title_line + 1] == r"\#prise de confiance - projet professionnel"
    assert title_line < lines.index("# EFFETS INDIVIDUELS")
    assert "EFFETS COLLECTIFS +" not in markdown
    page = render_html(fiche)
    assert page.index('class="summary"') < page.index("<main>")
    assert "<strong>EFFETS INDIVIDUELS +++</strong>" in page
    assert "#prise de confiance - projet professionnel" in page
    telegram = render_telegram(fiche)[0]
    assert "<b>EFFETS INDIVIDUELS +++</b>\n#prise de confiance - projet professionnel" in telegram


def test_no_summary_block_and_no_year_when_unknown():
    fiche = fiche_of({"lien_social.frequence": ["quotidien"]}, year=None)
    assert fiche.summary == () and fiche.year_line is None
    assert 'class="summary"' not in render_html(fiche)
    assert "Année" not in render_markdown(fiche)


# --- Escaping ----------------------------------------------------------------------------

HTML_ISH = "<b>Tom & Jerry</b>"
MD_ISH = "*gras* _x_ [lien](http://x)"


def escaping_fiche():
    return fiche_of({
        "lien_social.commentaire": HTML_ISH,
        "sante.commentaire": MD_ISH,
        "insertion.commentaire": "# pas un titre\n- pas une liste\n1. pas un numéro\n> non",
        "lien_social.publics": ["benevoles"],
        "lien_social.publics.autre": ["<i>les « amis »</i> & co"],
        "capacite_agir.nombre_projets": "*beaucoup*",
    }, place="Le <WIP> & Co")


def test_markdown_escapes_the_managers_text():
    markdown = render_markdown(escaping_fiche())
    assert r"\<b\>Tom & Jerry\</b\>" in markdown
    assert r"\*gras\* \_x\_ \[lien\](http://x)" in markdown
    assert "<b>" not in markdown and "[lien]" not in markdown
    assert "\\# pas un titre  \n\\- pas une liste  \n1\\. pas un numéro  \n\\> non" in markdown
    assert r"- **\<i\>les « amis »\</i\> & co**" in markdown
    assert r"**\*Beaucoup\*** de nouveaux projets" in markdown
    assert markdown.startswith(r"# EFFETS SOCIAUX ET URBAINS DU \<WIP\> & CO")


def test_escape_markdown_line_starts_and_entities():
    assert escape_markdown("+ plus") == r"\+ plus"
    assert escape_markdown("=====") == r"\====="
    assert escape_markdown("    code") == "code"
    assert escape_markdown("&amp; et &#39;") == r"\&amp; et \&#39;"
    assert escape_markdown("# titre", line_start=False) == r"\# titre".replace("\\", "")


def test_html_escapes_the_managers_text():
    page = render_html(escaping_fiche())
    assert "&lt;b&gt;Tom &amp; Jerry&lt;/b&gt;" in page
    assert "<b>Tom" not in page
    assert "*gras* _x_ [lien](http://x)" in page
    assert "<a " not in page
    assert "&lt;i&gt;les « amis »&lt;/i&gt; &amp; co" in page
    assert "DU &lt;WIP&gt; &amp; CO</h1>" in page
    assert "# pas un titre<br>- pas une liste<br>1. pas un numéro<br>&gt; non" in page


def test_telegram_escapes_the_managers_text():
    text = "\n\n".join(render_telegram(escaping_fiche()))
    assert "&lt;b&gt;Tom &amp; Jerry&lt;/b&gt;" in text
    assert "<b>Tom" not in text
    assert "*gras* _x_ [lien](http://x)" in text
    assert "<a " not in text
    assert "<b>&lt;i&gt;les « amis »&lt;/i&gt; &amp; co</b>" in text
    assert escape_telegram("a < b > c & \"d\" 'e'") == "a &lt; b &gt; c &amp; \"d\" 'e'"


# --- Telegram ----------------------------------------------------------------------------

TELEGRAM_TAGS = {"b", "i", "u", "s", "code", "pre", "a", "blockquote"}
_TAG = re.compile(r"<(/?)([a-zA-Z]+)[^>]*>")
_ENTITY = re.compile(r"&[^;\s]*;?")


def assert_valid_telegram(message: str) -> None:
    assert len(message) <= TELEGRAM_LIMIT
    stack = []
    for match in _TAG.finditer(message):
        name = match.group(2)
        assert name in TELEGRAM_TAGS, name
        if match.group(1):
            assert stack and stack[-1] == name, message
            stack.pop()
        else:
            stack.append(name)
    assert stack == [], message
    for entity in _ENTITY.findall(message):
        assert entity in ("&lt;", "&gt;", "&amp;", "&quot;"), entity
    assert "<" not in _TAG.sub("", message)


def visible_text(html_text: str) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", html_text)).split())


@pytest.mark.parametrize("name", ["la-treso", "le-wip", "utopic"])
def test_telegram_examples_use_only_telegram_html(name):
    messages = render_telegram(example(name))
    assert messages
    for message in messages:
        assert_valid_telegram(message)
        for forbidden in ("<p", "<br", "<ul", "<li", "<h1", "<h2", "<h3", "<div", "<strong"):
            assert forbidden not in message
    assert messages[0].startswith("<b>EFFETS SOCIAUX ET URBAINS")
    assert "• <b>bénévoles</b>" in "\n".join(messages)


def long_comments_answers(text_of) -> dict:
    keys = [f"{section.id}.commentaire" for family in GRID.families
            for section in map(GRID.section, family.section_ids)]
    assert len(keys) == 11
    answers = {key: text_of(index) for index, key in enumerate(keys)}
    answers["synthese.mots_cles_collectifs"] = text_of(99)[:200]
    return answers


def test_telegram_splits_a_long_fiche_at_section_boundaries_and_loses_nothing():
    def text_of(index):
        words = (f"mot{index} é & <x> " * 400)
        return words[:2000].strip()

    answers = long_comments_answers(text_of)
    answers["insertion.beneficiaires"] = 3
    fiche = fiche_of(answers)
    comments = sum(1 for f in fiche.families for s in f.sections for b in s.blocks
                   if isinstance(b, Comment))
    assert comments == 11  # and the keywords: 12 long texts
    messages = render_telegram(fiche)
    assert len(messages) > 1
    for message in messages:
        assert_valid_telegram(message)
    headings = {s.heading for f in fiche.families for s in f.sections}
    for message in messages[1:]:
        first = re.match(r"<b>(?:<u>)?([^<]+)<", message)
        assert first, message[:80]
        assert first.group(1) in headings or first.group(1).startswith("EFFETS"), message[:80]
    whole = render_telegram(fiche, limit=10**9)
    assert len(whole) == 1
    assert visible_text("\n\n".join(messages)) == visible_text(whole[0])


def test_telegram_cuts_a_section_longer_than_a_message_inside_its_text():
    text = ("Un paragraphe & <des> signes " * 40 + "\n\n") * 6 + "fin"
    answers = {"lien_social.commentaire": text[:2000], "lien_social.frequence": ["quotidien"]}
    fiche = fiche_of(answers)
    for limit in (TELEGRAM_LIMIT, 700, 300):
        messages = render_telegram(fiche, limit=limit)
        for message in messages:
            assert len(message) <= limit
            assert_valid_telegram(message)
        assert visible_text("\n\n".join(messages)) == \
            visible_text(render_telegram(fiche, limit=10**9)[0])


def test_split_html_prefers_paragraphs_then_lines_then_words_and_rebalances_tags():
    text = "<b>aaaa bbbb\ncccc</b>\n\ndddd <blockquote>eeee &amp; ffff gggg hhhh</blockquote>"
    chunks = split_html(text, 30)
    for chunk in chunks:
        assert len(chunk) <= 30
        assert_valid_telegram(chunk)
    assert chunks[0] == "<b>aaaa bbbb\ncccc</b>"
    assert visible_text(" ".join(chunks)) == visible_text(text)
    assert split_html("<b>" + "x" * 50 + "</b>", 20)[0] == "<b>" + "x" * 13 + "</b>"
    word_chunks = split_html("<i>un deux trois quatre cinq six</i>", 20)
    assert word_chunks[0] == "<i>un deux trois</i>"
    assert all(c.startswith("<i>") and c.endswith("</i>") for c in word_chunks)


def test_telegram_counts_utf16_units():
    emoji = "😀" * 3000  # 6000 UTF-16 units in 3000 code points
    messages = render_telegram(fiche_of({"lien_social.commentaire": emoji[:2000]}))
    for message in messages:
        assert len(message.encode("utf-16-le")) // 2 <= TELEGRAM_LIMIT


# --- HTML, PDF, dispatch -----------------------------------------------------------------

def test_html_is_a_complete_standalone_french_document():
    page = render_html(example("le-wip"))
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"fr\">")
    assert page.rstrip().endswith("</html>")
    assert '<meta charset="utf-8">' in page and 'name="viewport"' in page
    assert "<title>EFFETS SOCIAUX ET URBAINS DU WIP – Année 2025</title>" in page
    assert "<h1>EFFETS SOCIAUX ET URBAINS DU WIP</h1>" in page
    assert "@page" in page and "A4" in page and "@media" in page
    for external in ("http:", "https:", "<link", "@import", "url(", "<script", "src="):
        assert external not in page
    assert "<h3>SANTÉ</h3>" in page
    assert "ont bénéficié à <strong>10\u00a0personnes</strong>" in page


def test_pdf_is_a_pdf():
    pdf = render_pdf(example("utopic"))
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 1000


def test_pdf_layout_holds_the_fiche():
    """WeasyPrint's document API: the laid-out pages hold the title and the sentences."""
    from weasyprint import HTML

    document = HTML(string=render_html(example("utopic"))).render()
    assert document.pages

    def texts(box):
        if getattr(box, "text", None):
            yield box.text
        for child in getattr(box, "children", ()):
            yield from texts(child)

    laid_out = " ".join(" ".join(texts(page._page_box)) for page in document.pages)
    assert "EFFETS SOCIAUX ET URBAINS D'UTOPIC" in laid_out
    assert "SERVICES PUBLICS ET DE PROXIMITÉ" in laid_out
    assert "gestion de budget commune" in laid_out


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed")
def test_pdf_text(tmp_path):
    path = tmp_path / "fiche.pdf"
    path.write_bytes(render_pdf(example("la-treso")))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    flat = " ".join(text.split())
    assert "EFFETS SOCIAUX ET URBAINS DE LA TRÉSO" in flat
    assert "ont bénéficié à 15 personnes" in flat
    assert "Non renseigné." in flat


def test_render_dispatches_on_the_format():
    fiche = example("utopic")
    assert render(fiche, "md") == render_markdown(fiche)
    assert render(fiche, "html") == render_html(fiche)
    assert render(fiche, "telegram") == "\n\n".join(render_telegram(fiche))
    assert isinstance(render(fiche, "pdf"), bytes)
    with pytest.raises(ValueError, match="odt"):
        render(fiche, "odt")


def test_one_environment_with_strict_undefined():
    from jinja2 import StrictUndefined

    assert environment() is environment()
    assert environment().undefined is StrictUndefined
    assert environment().trim_blocks and environment().lstrip_blocks


def test_fiche_is_frozen():
    fiche = example("utopic")
    with pytest.raises(AttributeError):
        fiche.title = "autre"  # type: ignore[misc]
