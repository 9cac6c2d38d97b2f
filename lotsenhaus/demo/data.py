"""The demo world: real Hamburg authority names, a venture-client unit, an AI centre, invented startups."""

from lotsenhaus.organisations.models import OrganisationKind as K

# (name, short name, kind, parent short name, e-mail domains, website)
PUBLIC_BODIES = [
    ("Senatskanzlei", "SK", K.OTHER_PUBLIC, None, "sk.hamburg.de", "https://www.hamburg.de/senatskanzlei"),
    ("Amt für IT und Digitalisierung", "ITD", K.OTHER_PUBLIC, "SK", "itd.hamburg.de", ""),
    (
        "Behörde für Stadtentwicklung und Wohnen",
        "BSW",
        K.FACHBEHOERDE,
        None,
        "bsw.hamburg.de",
        "https://www.hamburg.de/bsw",
    ),
    ("Amt für Bauordnung und Hochbau", "ABH", K.FACHBEHOERDE, "BSW", "", ""),
    (
        "Behörde für Umwelt, Klima, Energie und Agrarwirtschaft",
        "BUKEA",
        K.FACHBEHOERDE,
        None,
        "bukea.hamburg.de",
        "",
    ),
    ("Behörde für Verkehr und Mobilitätswende", "BVM", K.FACHBEHOERDE, None, "bvm.hamburg.de", ""),
    ("Behörde für Schule und Berufsbildung", "BSB", K.FACHBEHOERDE, None, "bsb.hamburg.de", ""),
    ("Behörde für Inneres und Sport", "BIS", K.FACHBEHOERDE, None, "bis.hamburg.de", ""),
    ("Sozialbehörde", "SOZ", K.FACHBEHOERDE, None, "soziales.hamburg.de", ""),
    ("Finanzbehörde", "FB", K.FACHBEHOERDE, None, "fb.hamburg.de", ""),
    ("Bezirksamt Altona", "BA Altona", K.BEZIRKSAMT, None, "altona.hamburg.de", ""),
    ("Bezirksamt Hamburg-Mitte", "BA Mitte", K.BEZIRKSAMT, None, "hamburg-mitte.hamburg.de", ""),
    ("Bezirksamt Hamburg-Nord", "BA Nord", K.BEZIRKSAMT, None, "hamburg-nord.hamburg.de", ""),
    ("Bezirksamt Eimsbüttel", "BA Eimsbüttel", K.BEZIRKSAMT, None, "eimsbuettel.hamburg.de", ""),
    ("Bezirksamt Wandsbek", "BA Wandsbek", K.BEZIRKSAMT, None, "wandsbek.hamburg.de", ""),
    ("Landesbetrieb Straßen, Brücken und Gewässer", "LSBG", K.LANDESBETRIEB, None, "lsbg.hamburg.de", ""),
    ("Landesbetrieb Geoinformation und Vermessung", "LGV", K.LANDESBETRIEB, None, "gv.hamburg.de", ""),
]

UNIT = (
    "Venture-Client-Einheit der Stadt Hamburg",
    "VCE",
    K.VENTURE_CLIENT_UNIT,
    None,
    "vce.hamburg.example",
    "",
)
EXPERT_NETWORKS = [
    ("KI-Zentrum Hamburg", "KIZ", K.EXPERT_NETWORK, None, "ki-zentrum.example", ""),
    ("Technische Universität Hamburg", "TUHH", K.EXPERT_NETWORK, None, "tuhh.example", ""),
]

# Invented startups (any likeness to real companies is unintended).
STARTUPS = [
    ("Aktenblick GmbH", "aktenblick.example", "Dokumentenverstehen für E-Akten"),
    ("Antragslotse UG", "antragslotse.example", "Geführte Online-Anträge"),
    ("BauCheck KI GmbH", "baucheck.example", "Prüfung von Bauanträgen"),
    ("Brückenauge GmbH", "brueckenauge.example", "Bildbasierte Bauwerksprüfung"),
    ("CivicChat GmbH", "civicchat.example", "Bürger-Chatbots in Leichter Sprache"),
    ("Datenhafen GmbH", "datenhafen.example", "Datenplattformen für Kommunen"),
    ("Elbverkehr Analytics GmbH", "elbverkehr.example", "Verkehrsprognosen"),
    ("Fördermittel Kompass GmbH", "foerderkompass.example", "Fördermittelsuche"),
    ("GeoSense Nord GmbH", "geosense.example", "Satelliten- und Drohnenbilder"),
    ("GrünRaum Monitoring GmbH", "gruenraum.example", "Baumkataster mit Bilderkennung"),
    ("Hanse Transkript GmbH", "hansetranskript.example", "Sprache-zu-Text für Protokolle"),
    ("KlarText Labs GmbH", "klartext.example", "Übersetzung in Leichte Sprache"),
    ("Lagebild Systems GmbH", "lagebild.example", "Lagebilder für Krisenstäbe"),
    ("Mängelmelder Plus UG", "maengelmelder.example", "Meldungen aus der Bevölkerung"),
    ("Nordlicht Energy Data GmbH", "nordlicht.example", "Energiemonitoring öffentlicher Gebäude"),
    ("Paragraphenwerk GmbH", "paragraphenwerk.example", "Rechtsrecherche mit KI"),
    ("Quartiersplan GmbH", "quartiersplan.example", "Beteiligungsplattformen"),
    ("Schulweg Digital UG", "schulweg.example", "Schulorganisation"),
    ("Terminwerk GmbH", "terminwerk.example", "Terminvergabe und Wartezeiten"),
    ("Wasserstand KI GmbH", "wasserstand.example", "Hochwasser- und Starkregenprognosen"),
]

# (e-mail, name, organisation short name or domain, membership role, platform admin)
PEOPLE = [
    # Role names address each person as they chose (neutral for Aylin, Sara and Pia, who made no choice).
    ("koordination@vce.hamburg.example", "Kira Koordinatorin", "VCE", "admin", False),
    ("bedarf@bsw.hamburg.de", "Bernd Bedarfsträger", "BSW", "admin", False),
    ("bedarf@altona.hamburg.de", "Aylin Amtsleitung", "BA Altona", "member", False),
    ("startup@aktenblick.example", "Sara Startup", "aktenblick.example", "admin", False),
    ("expertin@ki-zentrum.example", "Eva Expertin", "KIZ", "member", False),
    ("admin@lotsenhaus.example", "Pia Plattform-Admin", None, None, True),
]
FORMS_OF_ADDRESS = {
    "koordination@vce.hamburg.example": "f",
    "bedarf@bsw.hamburg.de": "m",
    "expertin@ki-zentrum.example": "f",
}

# (authority short name, title, problem, desired outcome, policy field, technologies, target state, hide authority)
NEEDS = [
    (
        "ABH",
        "Bauanträge beim Eingang auf Vollständigkeit prüfen",
        "Rund 40 Prozent der Bauanträge sind unvollständig. Fehlende Unterlagen fallen oft erst nach Wochen auf und "
        "werden dann nachgefordert. Das verlängert die Verfahren und frustriert Bauherren.",
        "Unvollständige Anträge werden beim Eingang erkannt, die Antragstellenden erhalten sofort eine Liste der "
        "fehlenden Unterlagen.",
        "building",
        ["ai_text"],
        "published",
        False,
    ),
    (
        "BA Altona",
        "Wartezeiten im Kundenzentrum vorhersagen",
        "Im Kundenzentrum stauen sich montags und nach Feiertagen die Anliegen. Personal wird nach Erfahrung eingeteilt.",
        "Eine Prognose der Nachfrage für die nächsten vier Wochen, damit Termine und Personal besser geplant werden.",
        "administration",
        ["ai_forecast"],
        "published",
        False,
    ),
    (
        "LSBG",
        "Schäden an Brücken aus Inspektionsfotos erkennen",
        "Bei der Bauwerksprüfung entstehen tausende Fotos. Risse und Abplatzungen werden von Hand gesichtet und "
        "dokumentiert.",
        "Schäden werden auf Fotos automatisch markiert und der Prüfbericht vorbereitet.",
        "mobility",
        ["ai_vision"],
        "exploration",
        False,
    ),
    (
        "BUKEA",
        "Straßenbäume aus Luftbildern erfassen",
        "Das Baumkataster wird alle paar Jahre zu Fuß aktualisiert. Neue Pflanzungen und Fällungen fehlen dazwischen.",
        "Ein Abgleich von Luftbildern mit dem Baumkataster zeigt Veränderungen jedes Jahr.",
        "environment",
        ["ai_vision", "geo"],
        "evaluation",
        False,
    ),
    (
        "SOZ",
        "Anträge auf Sozialleistungen in Leichter Sprache erklären",
        "Viele Menschen verstehen die Bescheide und Formulare nicht und rufen deshalb an oder kommen persönlich vorbei.",
        "Bescheide und Hinweise gibt es zusätzlich in Leichter Sprache, geprüft von Fachleuten.",
        "social",
        ["ai_generative", "ai_text"],
        "pilot",
        False,
    ),
    (
        "BSB",
        "Vertretungsplanung an Schulen vereinfachen",
        "Die Vertretungsplanung bei Krankheit kostet Schulleitungen jeden Morgen viel Zeit.",
        "Vorschläge für Vertretungen in wenigen Minuten, unter Beachtung von Fächern und Arbeitszeiten.",
        "education",
        ["ai_optimisation"],
        "published",
        False,
    ),
    (
        "BVM",
        "Baustellen im Straßenraum besser koordinieren",
        "Baustellen verschiedener Träger überlagern sich und verursachen vermeidbare Staus.",
        "Konflikte zwischen geplanten Baustellen werden frühzeitig erkannt und gemeldet.",
        "mobility",
        ["data_platform", "geo"],
        "published",
        False,
    ),
    (
        "FB",
        "Eingangspost automatisch zuordnen",
        "Die Poststelle sortiert täglich tausende Schreiben von Hand und leitet sie an die Fachbereiche weiter.",
        "Eingehende Schreiben werden erkannt, verschlagwortet und dem richtigen Postfach zugeordnet.",
        "finance",
        ["ai_text", "rpa"],
        "in_review",
        False,
    ),
    (
        "BIS",
        "Lagebild bei Starkregen für den Krisenstab",
        "Bei Starkregen fehlt ein gemeinsames Lagebild aus Pegeln, Notrufen und Meldungen der Bezirke.",
        "Ein Lagebild, das alle Quellen zusammenführt und sich alle fünf Minuten aktualisiert.",
        "security",
        ["data_platform", "iot"],
        "published",
        True,
    ),
    (
        "BA Wandsbek",
        "Mängelmeldungen aus der Bevölkerung bündeln",
        "Meldungen über defekte Laternen oder wilden Müll kommen per Mail, Telefon und App und werden doppelt bearbeitet.",
        "Alle Meldungen landen an einer Stelle, Dubletten werden erkannt.",
        "administration",
        ["platform"],
        "draft",
        False,
    ),
    (
        "LGV",
        "Digitaler Zwilling für Quartiersplanung",
        "Planungsvarianten lassen sich Bürgerinnen und Bürgern schwer anschaulich machen.",
        "Varianten werden in 3D gezeigt und online kommentiert.",
        "building",
        ["geo", "platform"],
        "closed",
        False,
    ),
    (
        "BA Nord",
        "Energieverbrauch öffentlicher Gebäude überwachen",
        "Zählerstände werden monatlich abgelesen; Ausreißer fallen erst mit der Jahresabrechnung auf.",
        "Verbräuche werden täglich erfasst, Auffälligkeiten sofort gemeldet.",
        "environment",
        ["iot", "data_platform"],
        "published",
        False,
    ),
    (
        "BSW",
        "Fördermittelanträge im Wohnungsbau schneller bescheiden",
        "Anträge auf Wohnungsbauförderung werden in mehreren Fachverfahren geprüft, Daten werden mehrfach erfasst.",
        "Antragsdaten werden einmal erfasst und automatisch in die Fachverfahren übertragen.",
        "building",
        ["rpa"],
        "exploration",
        False,
    ),
    (
        "ITD",
        "Protokolle von Sitzungen automatisch erstellen",
        "Sitzungsprotokolle werden von Hand aus Notizen erstellt; das dauert oft Tage.",
        "Ein Protokollentwurf liegt am Ende der Sitzung vor, verarbeitet wird alles auf eigenen Servern.",
        "administration",
        ["ai_text", "ai_generative"],
        "published",
        False,
    ),
    (
        "BA Eimsbüttel",
        "Sondernutzungen im öffentlichen Raum online beantragen",
        "Anträge für Außengastronomie und Veranstaltungen kommen auf Papier und werden abgetippt.",
        "Ein Online-Antrag mit Kartenauswahl, der direkt im Fachverfahren landet.",
        "economy",
        ["platform"],
        "withdrawn",
        False,
    ),
]

# Forty more invented startups, so that the catalogue has about sixty.
MORE_STARTUPS = [
    (f"{first} {second}", f"{first.lower()}-{second.split()[0].lower()}.example")
    for first in ("Alster", "Elbe", "Hafen", "Fleet", "Kontor", "Lotse", "Möwe", "Speicher", "Tide", "Kai")
    for second in ("Analytics GmbH", "Labs UG", "Systems GmbH", "Digital GmbH")
]

SOLUTION_SOURCE = (
    "Source: European Commission, Joint Research Centre, Public Sector Tech Watch, CC BY 4.0 ({id}, {country})"
)

# (need title, approach) answered by the demo startup Aktenblick GmbH.
ANSWERS = [
    (
        "Bauanträge beim Eingang auf Vollständigkeit prüfen",
        "Unser Modell liest die eingereichten Unterlagen, gleicht sie mit der Checkliste der Bauordnung ab und erstellt "
        "binnen Minuten eine Liste fehlender Nachweise. Betrieb im Rechenzentrum der Stadt; ein Pilot mit 200 Anträgen "
        "über vier Monate.",
    ),
    (
        "Protokolle von Sitzungen automatisch erstellen",
        "Sprache-zu-Text und Zusammenfassung laufen vollständig auf eigenen Servern; die Protokollführung prüft und "
        "gibt frei. Wir schlagen einen Pilot mit drei Gremien vor.",
    ),
]


# What the UK ATRS asks of an AI use case beyond the Dutch register (demo texts, see docs/ai-register.md).
ATRS_DEMO = {
    "purpose": "Anliegen schneller und einheitlicher bearbeiten; Beschäftigte entlasten.",
    "process": "Das System macht einen Vorschlag, bevor die Sachbearbeitung den Vorgang prüft und entscheidet.",
    "data_sources": "Vorgänge der Dienststelle aus den letzten drei Jahren.",
    "personal_data": "Namen und Anschriften in Vorgängen; keine besonderen Kategorien nach Art. 9 DSGVO.",
    "risks": "Falsche oder unvollständige Vorschläge; jede Entscheidung trifft ein Mensch nach eigener Prüfung.",
    "team": "Referat Digitale Verwaltung",
    "responsible_owner": "Leitung des Amtes für Digitales (Demo)",
    "scope": "Nur zur Vorbereitung; keine Entscheidung über Anträge ohne menschliche Prüfung.",
    "provided_information": "Einen Vorschlag mit Begründung und Quellen, den die Sachbearbeitung übernimmt oder verwirft.",
    "usage_scale": "Etwa 400 Vorgänge im Monat in einer Dienststelle (Pilot).",
    "required_training": "Halbtägige Schulung vor der ersten Nutzung, danach Sprechstunde des Teams.",
    "system_architecture": "Läuft im Rechenzentrum der Stadt, angebunden an das Fachverfahren über eine Schnittstelle.",
    "maintenance": "Das Team prüft Qualität und Fehlerberichte vierteljährlich; der Anbieter spielt Updates ein.",
    "model_name": "Offenes Sprachmodell des Anbieters",
    "model_version": "1.0",
    "model_task": "Vorgänge zusammenfassen und einen Vorschlag formulieren.",
    "model_input": "Text des Vorgangs ohne Anlagen.",
    "model_output": "Ein Vorschlag als Text mit Verweisen auf die Stellen im Vorgang.",
    "model_architecture": "Transformer-Sprachmodell, vom Anbieter vortrainiert, nicht nachtrainiert.",
    "model_performance": "Im Test übernahm die Sachbearbeitung 8 von 10 Vorschlägen ohne inhaltliche Änderung.",
    "model_datasets": "Vom Anbieter vortrainiert (Angaben des Anbieters); 300 Vorgänge der Dienststelle zum Testen.",
    "data_modality": "text",
    "data_quantities": "300 Testvorgänge; im Betrieb etwa 400 Vorgänge im Monat.",
    "data_completeness": "Die Testvorgänge stammen aus allen Sachgebieten der Dienststelle.",
    "data_access_url": "Nicht öffentlich, weil die Vorgänge personenbezogene Daten enthalten.",
    "data_collection": "Aus dem Fachverfahren; erhoben zur Bearbeitung der Anliegen.",
    "data_sharing": "Auftragsverarbeitungsvertrag mit dem Anbieter; keine Weitergabe an Dritte.",
    "data_storage": "Nur das Team und die Sachbearbeitung; Speicherung im Rechenzentrum der Stadt, Löschung nach zwei Jahren.",
    "impact_assessment": "Datenschutz-Folgenabschätzung 2026 durchgeführt; keine hohen Restrisiken festgestellt.",
}
