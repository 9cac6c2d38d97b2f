"""The demo world: real Hamburg authority names, a venture-client unit, an AI centre, invented startups."""

from lotsenhaus.organisations.models import OrganisationKind as K

DEMO_PASSWORD = "lotsenhaus-demo"
# Fixed TOTP secret of the demo coordinator and admin, so a demo can be walked through (base32).
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPLOTSENHAUSDEMO23"

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
    ("koordination@vce.hamburg.example", "Kira Koordinatorin", "VCE", "admin", False),
    ("bedarf@bsw.hamburg.de", "Bernd Bedarfsträger", "BSW", "admin", False),
    ("bedarf@altona.hamburg.de", "Aylin Amtsleitung", "BA Altona", "member", False),
    ("startup@aktenblick.example", "Sara Startup", "aktenblick.example", "admin", False),
    ("expertin@ki-zentrum.example", "Eva Expertin", "KIZ", "member", False),
    ("admin@lotsenhaus.example", "Pia Plattform-Admin", None, None, True),
]
