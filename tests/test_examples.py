"""The three real fiches of ../shared/examples, rendered from examples/*.json.

Our Markdown must say everything the published fiche says, in correct French, and none
of its slips. Expected lines are written out here as literal, corrected French.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fiche.model import Comment, build_fiche
from fiche.render import render_markdown
from questionnaire.answers import validate_answers
from questionnaire.grid import default_grid

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
PUBLISHED = ROOT.parent / "shared" / "examples"
GRID = default_grid()

LIEN_SOCIAL_PUBLICS_5 = [
    "- visiteur·euse·s grand public",
    "- acteur·rice·s du quartier",
    "- publics en difficulté",
    "- personnes travaillant sur le site",
    "- bénévoles",
]
CONTEXTES_ALL = [
    "Ces échanges ont été constatés :",
    "- dans la vie quotidienne du projet",
    "- lors d'évènements grand public",
    "- lors d'activités avec des publics dédiés",
    "- lors de temps spécifiques organisés pour favoriser les rencontres entre ces publics",
]
SANTE_3 = [
    "## SANTÉ",
    "Des changements significatifs dans les conditions physiques, sociales et psychiques des "
    "bénéficiaires du projet ont été observés. Certaines personnes ont fait part / ont paru :",
    "- se sentir mieux dans leurs relations avec les autres",
    "- d'une plus grande confiance en eux",
    "- d'un stress ou de conflits",
]
ACTEURS_SITE_BENEVOLES = [
    "- acteur·rice·s du quartier",
    "- personnes travaillant sur le site",
    "- bénévoles",
]
AMELIORATIONS_ALL = [
    "## ENTRETIEN DES ESPACES",
    "Le projet a permis d'améliorer :",
    "- l'attractivité des espaces",
    "- l'accessibilité des espaces à tou·te·s",
    "- la mixité d'usages",
    "- le respect des espaces par les usagers",
]
COLLABORATION_OUI = ("La collaboration avec les partenaires publics et privés a permis "
                     "d'améliorer ou d'expérimenter de nouveaux modes de faire.")
PROJETS = ("de nouveaux projets ou actions (atelier, évènement, marché, …) imprévus, portés "
           "par une ou des personnes fréquentant le lieu, ont émergé.")

EXPECTED: dict[str, list[str]] = {
    "la-treso": [
        "# EFFETS SOCIAUX ET URBAINS DE LA TRÉSO",
        "Année 2025",
        "# EFFETS INDIVIDUELS",
        "## LIEN SOCIAL",
        "Des interactions sociales ont été observées entre différents publics :",
        *LIEN_SOCIAL_PUBLICS_5,
        *CONTEXTES_ALL,
        "Ces rencontres ont lieu au moins une fois par mois et de façon ponctuelle.",
        "Une facilitation - médiation mise en place / des événements de coopération - "
        "rencontre ouvert / un tarif réduit pour ouvrir à de nouveaux publics / des temps "
        "dédiés à des publics et d'autres mixés.",
        *SANTE_3,
        "Lieu pour reprendre confiance en ses capacités / lieu collectif donc lieu de conflits "
        "qu'il faut transformer en coopération par la facilitation.",
        "## INSERTION PROFESSIONNELLE",
        "Les actions de formation, d'accompagnement à la création d'activité ou à l'emploi "
        "ont bénéficié à 15\u00a0personnes et ont permis à certaines personnes :",
        "- des personnes en difficulté chez qui une nouvelle confiance a été observée",
        "- des personnes ont gagné en autonomie",
        "la formation n'a pas encore été lancée...",
        "## CAPACITÉ À AGIR",
        "Une vingtaine par an " + PROJETS,
        "Festival AlimenTerre : 3 projection-débats, des ateliers culinaires, un marché de "
        "producteurs, une fresque AgriAlim...",
        "# EFFETS COLLECTIFS",
        "## SOLIDARITÉ",
        "Des échanges, dons ou mutualisations de petits services, de compétences et de biens "
        "ont été observés entre :",
        *ACTEURS_SITE_BENEVOLES,
        "Echanges de pratiques constants dans l'espace.",
        "## RÉSEAU DE PERSONNES",
        "La création de réseaux de personnes autour d'un projet ou d'une action a été "
        "observée entre :",
        *ACTEURS_SITE_BENEVOLES,
        "Par exemple l'événement de rassemblement des ateliers collectifs de Malakoff.",
        "## SENTIMENT D'INCLUSION OU D'EXCLUSION",
        "Il a été observé que certaines personnes se sentent faire partie d'un groupe autour "
        "du projet.",
        "Espace communautaire entre les artisans mais le lieu étant très ouvert avec du public "
        "diversifié, il y a peu de fermeture sur un seul groupe.",
        "## ÉGALITÉ FEMMES/HOMMES",
        "Non renseigné.",
        "# EFFETS SUR LE QUARTIER ET LE TERRITOIRE",
        *AMELIORATIONS_ALL,
        "Accès à l'espace public en face de la Tréso lors d'événements ponctuels avec mixité "
        "d'usages...",
        "## SERVICES PUBLICS ET DE PROXIMITÉ",
        "Le projet a créé une surcharge de travail et/ou n'avait pas été anticipé par les "
        "services des collectivités ou de leurs partenaires (ramassage des ordures, propreté, "
        "entretien, sécurité…), mais ils se sont réorganisés.",
        "Le projet a permis de répondre à des besoins sociaux urgents du territoire :",
        "- services de proximité",
        "- espaces de convivialité ou de rencontres attentifs aux minorités",
        "Protections solidaires pour le Covid, médiation numérique, formation artisanat...",
        "## INNOVATION PUBLIQUE",
        COLLABORATION_OUI,
        "Co-construction de politiques publiques sur la culture, l'alimentation, l'éducation, "
        "l'urbanisme, l'ESS, la démocratie locale...",
    ],
    "le-wip": [
        "# EFFETS SOCIAUX ET URBAINS DU WIP",
        "## LIEN SOCIAL",
        "Des interactions sociales ont été observées entre différents publics :",
        *LIEN_SOCIAL_PUBLICS_5,
        *CONTEXTES_ALL,
        "Ces rencontres ont lieu au quotidien.",
        "Espaces communs pour le déjeuner entre travailleurs du site, avec les étudiants ; "
        "permanence d'accueil ; rencontres organisées entre des publics spécifiques et artistes "
        "en résidence, ...",
        *SANTE_3,
        "le medialab en tant que studio radio est un espace de valorisation de la parole et "
        "d'une activité porté par une personne : cela donne confiance en la personne. "
        "situation de stress : stress peut être généré au sein de l'équipe salariée "
        "gestionnaire du lieu par les difficultés d'adaptation aux usage. ...",
        "## INSERTION PROFESSIONNELLE",
        "Les actions de formation, d'accompagnement à la création d'activité ou à l'emploi "
        "ont bénéficié à 10\u00a0personnes et ont permis à certaines personnes :",
        "- des certificats ou diplômes ont été obtenus",
        "- des personnes ou des structures ont été accompagnées",
        "- d'obtenir des emplois au sein du lieu",
        "formation de l'équipe salariée pour l'accueil de personnes en situation de handicap "
        "/ programme d'insertion professionnelle révélateur d'un potentiel. qui donne lieu à "
        "la mise en place d'un service civique au sein du lieu.",
        "## CAPACITÉ À AGIR",
        "Environ 5 par an " + PROJETS,
        "Environ 5 par an : ateliers jardins de Margot, mise en palce d'un labyrinthe dans la "
        "prairie sauvage par Bastien, mais aussi les coworkers : ateleirs yoga ... et l'équipe "
        "gestionnaire moments conviviaux qui sont spontanés : les pique-nique de l'été sur la "
        "plage.",
        "# EFFETS COLLECTIFS",
        "## SOLIDARITÉ",
        "Des échanges, dons ou mutualisations de petits services, de compétences et de biens "
        "ont été observés entre :",
        *ACTEURS_SITE_BENEVOLES,
        "partage de repas entre travailleurs, conseils pratiques et informations pour les "
        "visiteurs et acteurs locaux dans le réseau.",
        "## RÉSEAU DE PERSONNES",
        "La création de réseaux de personnes autour d'un projet ou d'une action a été "
        "observée entre :",
        *ACTEURS_SITE_BENEVOLES,
        "1 coworkeuse rencontre 1 personne du même corps de métier dans le cadre d'un "
        "partenariat de la structure gestionnaire locale : ils s'échangent. de bons conseils, "
        "un réseau, des méthodes de travail et envisagent de travailler ensemble sur un futur "
        "projet.",
        "## SENTIMENT D'INCLUSION OU D'EXCLUSION",
        "Il a été observé que certaines personnes se sont fédérées autour du lieu.",
        "Les personnes sont fédérées autour du lieu mais il y a des zones d'imprécision qui "
        "peuvent générer de la frustration : l'équipe gestionnaire peut circuler complètement "
        "librement VS les autres membres du WIP (visiteurs, coworkers, ...) peuvent être "
        "restreint. Sociétaires et bénévoles ne sont pas inté. ...",
        "# EFFETS SUR LE QUARTIER ET LE TERRITOIRE",
        *AMELIORATIONS_ALL,
        "création d'un nouvel arrêt de bus dans la zone, développement de pratiques sportives "
        "et artistiques, attractivité de l'espace pour les loisirs (espaces détente, repos, "
        "jeux en extérieur et intérieur), nouvel outil numérique le développement de "
        "l'acculturation numérique pour toutes et tous,",
        "## SERVICES PUBLICS ET DE PROXIMITÉ",
        "Le projet a permis d'améliorer la gestion urbaine par les services des collectivités "
        "ou de leurs partenaires (ramassage des ordures, propreté, entretien, sécurité…).",
        "Le projet a permis de répondre à des besoins sociaux urgents du territoire :",
        "- espaces de convivialité ou de rencontres attentifs aux minorités",
        "espaces de convivialité, espaces d'expérimentation (découverte, droit à l'erreur, "
        "mutualisation de ressources et soutien à des individus via le coportage de projets "
        "pour oser se \"lancer\"), organisation d'ateliers pour découvrir de nouvelles "
        "pratiques, de sociabiliser, reprendre confiance en soi, des ...",
        "## INNOVATION PUBLIQUE",
        COLLABORATION_OUI,
        "tiers-lieux sont de plus en plus reconnus comme des structures ayant des externalités "
        "positives pour la société et le territoire et poursuivant des objectifs d'utilité "
        "sociale : agrément ESUS pour une SCIC.",
    ],
    "utopic": [
        "# EFFETS SOCIAUX ET URBAINS D'UTOPIC",
        "## LIEN SOCIAL",
        "Des interactions sociales ont été observées entre différents publics :",
        "- personnes travaillant sur le site",
        "- bénévoles",
        "Ces échanges ont été constatés :",
        "- dans la vie quotidienne du projet",
        "- lors d'évènements grand public",
        "- lors de temps spécifiques organisés pour favoriser les rencontres entre ces publics",
        "Ces rencontres ont lieu au moins une fois par mois.",
        "rencontres lors d'ateliers pari à pari, réponses communes à des appels d'offres entre "
        "coworker, développement du réseau entre coworkers.",
        "## SANTÉ",
        "venir travailler en espace de travail partagé permet du lien social pour les "
        "personnes travaillant seules. parfois une reponses a des questions en temps réel. des "
        "avis sur des décisions professionnelles à prendre ...",
        "## INSERTION PROFESSIONNELLE",
        "Non renseigné.",
        "## CAPACITÉ À AGIR",
        "Non renseigné.",
        "# EFFETS COLLECTIFS",
        "## SOLIDARITÉ",
        "Des échanges, dons ou mutualisations de compétences ont été observés entre :",
        "- personnes travaillant sur le site",
        "- bénévoles",
        "reponse à aap commune, échange d'expérience...",
        "## RÉSEAU DE PERSONNES",
        "La création de réseaux de personnes autour d'un projet ou d'une action a été "
        "observée entre :",
        "- personnes travaillant sur le site",
        "- bénévoles",
        "projet sentiers communs dont utopic est fondateur. des bénévoles (utilisant le lieux) "
        "se sont mobilisés. sorties de groupe informelles (sport, repas...).",
        "## SENTIMENT D'INCLUSION OU D'EXCLUSION",
        "Il a été observé que certaines personnes se sentent faire partie d'un groupe autour "
        "du projet.",
        "communauté de coworker, se mobilise lors des événements orgaisés par l'association. "
        "tiennent à la poursuite du projet.",
        "# EFFETS SUR LE QUARTIER ET LE TERRITOIRE",
        "## ENTRETIEN DES ESPACES",
        "Non renseigné.",
        "## SERVICES PUBLICS ET DE PROXIMITÉ",
        "Le projet n'a rien changé dans la gestion urbaine des espaces existants par les "
        "services des collectivités ou de leurs partenaires (ramassage des ordures, propreté, "
        "entretien, sécurité…).",
        "## INNOVATION PUBLIQUE",
        COLLABORATION_OUI,
        "recrutement commun entre association = gestion de salarié en commun, gestion de "
        "budget commune, coopération, mutualisation. compréhension des projets de chacun.",
    ],
}

# The published fiches' slips; none of them may appear in ours.
SLIPS = [
    "ont émergés", "bénéficiées", "observées. Certaines", "[Lire la suite", "(#)",
    "DE LE WIP", "DE UTOPIC", "certains personnes", "personnes se d'un", "ont lieu .",
    "et ponctuelle.", "fait part/ont paru", "| ", "*recrutement", "ou expérimenter",
    "chez qui vous avez", "de projets par an nouveaux", "imprévus portés",
]


def load(name: str):
    raw = json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    answers = validate_answers(GRID, raw["answers"])
    return build_fiche(GRID, answers, raw["place"], raw.get("year"))


def plain_lines(markdown: str) -> list[str]:
    return [line.replace("**", "").rstrip() for line in markdown.splitlines()]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_statement_of_the_published_fiche_is_said_in_order(name):
    lines = plain_lines(render_markdown(load(name)))
    position = -1
    for expected in EXPECTED[name]:
        try:
            position = lines.index(expected, position + 1)
        except ValueError:
            pytest.fail(f"{name}: missing (or out of order): {expected!r}")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_none_of_the_published_slips(name):
    markdown = render_markdown(load(name))
    text = markdown.replace("**", "")
    for slip in SLIPS:
        assert slip not in text, f"{name}: {slip!r}"
    # never a sentence left hanging on a colon without its list
    lines = [line for line in plain_lines(markdown) if line]
    for index, line in enumerate(lines):
        if line.endswith(" :"):
            assert lines[index + 1].startswith("- "), line


def test_utopic_without_health_effects_prints_no_health_sentence():
    markdown = render_markdown(load("utopic"))
    assert "Des changements significatifs" not in markdown
    assert "Certaines personnes ont fait part" not in markdown


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_comments_are_the_managers_text_as_published(name):
    """Nothing invented: every comment of the answer file stands in the published fiche."""
    published = PUBLISHED / f"{name}.txt"
    if not published.exists():
        pytest.skip(f"{published} is not here")
    text = published.read_text(encoding="utf-8")
    fiche = load(name)
    comments = [block.text for family in fiche.families for section in family.sections
                for block in section.blocks if isinstance(block, Comment)]
    assert comments
    for comment in comments:
        assert comment in text, comment
