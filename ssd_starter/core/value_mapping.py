"""Which vocabulary value a spreadsheet cell means: "Cooperativa sociale", "Sozialgenossenschaft", "GAS",
"Comune", "Raiffeisenkasse" as promoters really write them, in Italian, German or English.

A cell is matched, in order: exactly (after folding case, accents and punctuation) against our ids, our labels
in every language and the synonyms below; then by its first words ("Cooperativa sociale di tipo B" starts like
"cooperativa sociale", the longest such start wins); then as a close spelling (``difflib``, cutoff 0.82: a
typo such as "Cooperatva", never a different word). A close match is shown to the user to confirm; a cell
matching nothing is for the user to map. ``difflib`` over a vocabulary of a few hundred words and one lookup
per *distinct* cell costs microseconds, so a fuzzy-matching library would not earn its weight here.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from functools import cache, lru_cache

from ssd_starter.core.vocabulary import Attitude, Category, LabelledEnum, RelationKind, Role, Sector, Stage

CLOSE_CUTOFF = 0.82


class How(StrEnum):
    EXACT = "exact"  # an id, a label or a synonym
    START = "start"  # the cell starts with one ("Cooperativa sociale di tipo B")
    CLOSE = "close"  # a close spelling: to confirm
    CHOSEN = "chosen"  # mapped by the user
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Match:
    value: str | None  # the vocabulary id, or None
    how: How


# Words spreadsheets use besides our own labels (those come from the catalogs), folded as normalize() folds.
SYNONYMS: dict[type[LabelledEnum], dict[str, tuple[str, ...]]] = {
    Category: {
        "cooperative": ("cooperativa", "coop", "soc coop", "societa cooperativa", "cooperativa agricola",
                        "cooperativa di consumo", "cooperativa di lavoro", "famiglia cooperativa", "consorzio",
                        "cantina sociale", "genossenschaft", "eg", "konsortium", "kellerei", "co operative",
                        "co op", "coop society"),
        "social_cooperative": ("cooperativa sociale", "coop sociale", "coop soc", "cooperativa sociale di tipo a",
                               "cooperativa sociale di tipo b", "cooperativa sociale tipo a",
                               "cooperativa sociale tipo b", "cooperativa sociale a", "cooperativa sociale b",
                               "cooperativa sociale onlus", "consorzio di cooperative sociali", "sozialgenossenschaft",
                               "soziale genossenschaft", "sozialgenossenschaft typ a", "sozialgenossenschaft typ b",
                               "social cooperative", "social co operative", "type b cooperative"),
        "social_enterprise": ("impresa sociale", "impresa sociale ets", "sozialunternehmen", "soziales unternehmen",
                              "social business", "benefit corporation", "societa benefit"),
        "producer": ("produttore", "produttore agricolo", "produttrice", "azienda agricola", "agricoltore",
                     "agricoltrice", "fattoria", "malga", "caseificio", "apicoltore", "viticoltore", "allevatore",
                     "bauernhof", "hof", "landwirt", "landwirtin", "landwirtschaftlicher betrieb", "erzeuger",
                     "produzent", "imker", "sennerei", "farm", "farmer", "grower"),
        "consumer_group": ("gas", "gruppo di acquisto", "gruppo di acquisto solidale", "gruppo d acquisto solidale",
                           "gruppo d acquisto", "gruppi di acquisto solidale", "des", "csa", "foodcoop", "food coop",
                           "einkaufsgemeinschaft", "solidarische einkaufsgruppe", "einkaufsgruppe", "solawi",
                           "solidarische landwirtschaft", "verbrauchergemeinschaft", "buying group",
                           "purchasing group", "solidarity purchasing group"),
        "financial_institution": ("cassa rurale", "banca", "banca etica", "bcc", "banca di credito cooperativo",
                                  "istituto di credito", "mag", "microcredito", "finanziaria", "raiffeisenkasse",
                                  "raiffeisen", "raika", "bank", "sparkasse", "volksbank", "kreditgenossenschaft",
                                  "credit union", "ethical bank"),
        "public_body": ("comune", "ente pubblico", "comunita di valle", "comunita", "provincia",
                        "provincia autonoma", "provincia autonoma di trento", "pat", "regione", "apsp",
                        "azienda pubblica di servizi alla persona", "apss", "azienda sanitaria", "asl", "bim",
                        "consorzio bim", "pubblica amministrazione", "amministrazione comunale", "gemeinde",
                        "marktgemeinde", "stadtgemeinde", "bezirksgemeinschaft", "talgemeinschaft", "land",
                        "landesverwaltung", "behorde", "amt", "offentliche korperschaft", "municipality", "council",
                        "local authority", "public administration", "town hall"),
        "association": ("associazione", "aps", "associazione di promozione sociale", "odv",
                        "organizzazione di volontariato", "volontariato", "pro loco", "circolo", "comitato",
                        "fondazione", "onlus", "ets", "ente del terzo settore", "rete", "verein", "ev", "verband",
                        "stiftung", "ehrenamt", "foundation", "charity", "ngo", "ong", "club", "network"),
        "business": ("impresa", "azienda", "ditta", "srl", "spa", "snc", "sas", "negozio", "bottega", "artigiano",
                     "albergo", "hotel", "ristorante", "bar", "studio", "unternehmen", "firma", "betrieb", "gmbh",
                     "ag", "handwerker", "handwerksbetrieb", "geschaft", "gasthof", "company", "shop", "ltd",
                     "enterprise", "retailer"),
        "school_research": ("scuola", "istituto", "istituto comprensivo", "liceo", "universita", "ricerca",
                            "centro di ricerca", "fondazione mach", "fem", "fbk", "schule", "berufsschule",
                            "universitat", "hochschule", "forschung", "forschungszentrum", "university", "research",
                            "school", "college"),
        "individual": ("persona", "privato", "privata", "cittadino", "cittadina", "individuo", "persona fisica",
                       "privatperson", "privat", "burger", "burgerin", "einzelperson", "person", "citizen",
                       "private person"),
    },
    Stage: {
        "identified": ("individuato", "identificato", "da contattare", "mappato", "identifiziert", "erfasst",
                       "to contact", "mapped"),
        "contacted": ("contattato", "contattata", "kontaktiert", "angeschrieben", "angesprochen"),
        "engaged": ("coinvolto", "coinvolta", "interessato", "interessata", "attivo", "attiva", "engagiert",
                    "beteiligt", "interessiert", "involved", "interested", "active"),
        "member": ("socio", "socia", "aderente", "membro", "iscritto", "iscritta", "mitglied"),
        "signatory": ("firmatario", "firmataria", "firmato", "ha firmato", "unterzeichner", "unterzeichnerin",
                      "unterzeichnet", "signed"),
    },
    Attitude: {
        "supporter": ("favorevole", "sostenitore", "sostenitrice", "positivo", "positiva", "a favore", "alleato",
                      "pro", "befurworter", "befurwortend", "unterstutzer", "unterstutzend", "positiv", "dafur",
                      "supportive", "ally", "positive", "for"),
        "neutral": ("neutro", "neutra", "neutrale", "indifferente", "indeciso", "indecisa", "unentschieden",
                    "undecided"),
        "sceptic": ("scettico", "scettica", "contrario", "contraria", "critico", "critica", "diffidente",
                    "skeptisch", "kritisch", "dagegen", "ablehnend", "sceptical", "skeptical", "against", "opposed"),
    },
    Role: {
        "producer": ("produttore", "produttrice", "produzione", "erzeuger", "produzent", "production"),
        "distributor": ("distributore", "distribuzione", "commercio", "logistica", "vendita", "verteiler",
                        "handel", "vertrieb", "distribution", "retail", "logistics"),
        "consumer": ("consumatore", "consumatrice", "consumo", "acquirente", "cliente", "verbraucher",
                     "konsument", "kaufer", "kunde", "buyer", "customer"),
        "financer": ("finanziatore", "finanziatrice", "finanziamento", "credito", "finanzierer", "geldgeber",
                     "finanzierung", "funder", "lender", "finance", "financier"),
        "trainer": ("formatore", "formatrice", "formazione", "docente", "ausbilder", "ausbilderin", "bildung",
                    "schulung", "training", "education", "teacher"),
        "job_placement": ("inserimento lavorativo", "inserimento", "reinserimento", "inclusione lavorativa",
                          "arbeitsintegration", "arbeitseingliederung", "arbeitsvermittlung", "work integration",
                          "employment", "placement"),
    },
    Sector: {
        "organic_farming": ("agricoltura biologica", "biologico", "bio", "agricoltura", "biodinamico",
                            "okologische landwirtschaft", "biolandbau", "landwirtschaft", "organic", "farming"),
        "fair_trade": ("commercio equo", "commercio equo e solidale", "equo solidale", "equosolidale",
                       "fairer handel", "fair trade", "fairtrade"),
        "community_welfare": ("welfare", "welfare di comunita", "welfare comunitario", "servizi sociali",
                              "assistenza", "gemeinwohl", "soziales", "sozialdienste", "social services", "care"),
        "short_supply_chain": ("filiera corta", "km 0", "km zero", "chilometro zero", "filiera",
                               "kurze lieferkette", "regionale produkte", "short supply chain", "local food"),
        "green_building": ("bioedilizia", "edilizia sostenibile", "edilizia", "okologisches bauen", "bauen",
                           "green building", "construction"),
        "renewable_energy": ("energia", "energie rinnovabili", "rinnovabili", "risparmio energetico",
                             "fotovoltaico", "erneuerbare energie", "energie", "energy", "solar"),
        "ethical_finance": ("finanza etica", "microcredito", "ethische finanzen", "ethisches finanzwesen",
                            "ethical finance", "finance"),
        "sustainable_mobility": ("mobilita", "mobilita sostenibile", "trasporti", "nachhaltige mobilitat",
                                 "mobilitat", "mobility", "transport"),
        "reuse_recycling": ("riuso", "riciclo", "riuso e riciclo", "rifiuti", "economia circolare",
                            "wiederverwendung", "recycling", "kreislaufwirtschaft", "reuse", "circular economy"),
        "local_exchange": ("scambio", "banca del tempo", "moneta locale", "tauschring", "zeitbank",
                           "regionalwahrung", "time bank", "local currency"),
        "free_software": ("software libero", "open source", "freie software", "free software"),
        "responsible_tourism": ("turismo", "turismo responsabile", "turismo sostenibile", "ecoturismo",
                                "tourismus", "sanfter tourismus", "tourism", "ecotourism"),
        "critical_consumption": ("consumo critico", "consumo consapevole", "kritischer konsum",
                                 "critical consumption"),
    },
    RelationKind: {
        "supplies": ("fornisce", "fornitore", "fornitura", "vende a", "liefert", "lieferant", "lieferung",
                     "supplier", "sells to", "supply"),
        "buys_from": ("acquista da", "compra da", "cliente di", "acquisto", "kauft bei", "kauft von", "kunde von",
                      "buys", "customer of", "purchase"),
        "finances": ("finanzia", "finanziamento", "prestito", "finanziert", "kredit", "finanzierung", "funds",
                     "loan", "lends to"),
        "places_workers": ("inserimento lavorativo", "inserisce lavoratori", "tirocinio", "vermittelt",
                           "arbeitsintegration", "places", "work placement", "employs"),
        "trains": ("forma", "formazione", "insegna", "bildet aus", "schult", "ausbildung", "schulung",
                   "training", "teaches"),
        "partners_with": ("collabora", "collabora con", "partner", "partnership", "collaborazione", "rete",
                          "arbeitet zusammen", "kooperiert", "kooperation", "zusammenarbeit", "partners",
                          "cooperates", "cooperation"),
        "governs": ("governa", "gestisce", "controlla", "socio di", "amministra", "leitet", "verwaltet",
                    "steuert", "manages", "controls", "runs"),
    },
}


_NOT_WORD = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=2**17)  # an import of 20,000 actors and 80,000 relations names each actor five times
def normalize(text: str) -> str:
    """Case, accents, punctuation and spacing folded away: "Città", "CITTA'" and "citta" are one word."""
    text = str(text)
    if not text.isascii():  # decomposing is the slow part, and most names need none
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NOT_WORD.sub(" ", text.lower()).strip()


@cache
def lookup(enum: type[LabelledEnum]) -> dict[str, str]:
    """Every word that exactly means a value (ids, labels in every language, synonyms) → its id."""
    from ssd_starter.core.vocabulary import _LABELS
    from ssd_starter.i18n import LANGUAGES, translations_for

    words: dict[str, str] = {}
    for member in enum:
        for synonym in SYNONYMS.get(enum, {}).get(member.value, ()):
            words.setdefault(normalize(synonym), member.value)
    for member in enum:  # our own ids and labels win over a synonym another value shares
        words[normalize(member.value)] = member.value
        for language in LANGUAGES:
            words[normalize(translations_for(language).gettext(_LABELS[enum][member.value]))] = member.value
    return words


@cache
def _starts(enum: type[LabelledEnum]) -> tuple[tuple[str, str], ...]:
    """(word, id), longest first, for matching a cell by its first words."""
    return tuple(sorted(lookup(enum).items(), key=lambda item: -len(item[0])))


@lru_cache(maxsize=8192)
def match(enum: type[LabelledEnum], text: str) -> Match:
    key = normalize(text)
    if not key:
        return Match(None, How.UNKNOWN)
    words = lookup(enum)
    if key in words:
        return Match(words[key], How.EXACT)
    for word, value in _starts(enum):
        if len(word) >= 3 and key.startswith(word + " "):
            return Match(value, How.START)
    close = difflib.get_close_matches(key, list(words), n=1, cutoff=CLOSE_CUTOFF)
    if close:
        return Match(words[close[0]], How.CLOSE)
    return Match(None, How.UNKNOWN)
