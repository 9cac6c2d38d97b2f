"""The EU thresholds and the value limits of Hamburg and the Bund, with their acts, official publications, URLs and
the date they were last checked (editable data; an administrator maintains them from here on).

Legal review of 3 December 2026: Hamburg's source was misnamed, the experimentation clause had no end
(HmbVgRL Nr. 5: until 31 December 2026, term at most two years), the UVgO applies in Hamburg only from
100,000 € (§ 2a HmbVgG), works limits were missing, the Bund had no own limits (15,000 € direct award,
BAnz AT 29.12.2025 B1) and the 750,000 € for social services is fixed in Art. 4(d) Directive 2014/24/EU.
Written by hand because generated migrations cannot hold data; it imports no app code.
"""

from datetime import date
from decimal import Decimal

from django.db import migrations

CHECKED = date(2026, 12, 3)
EU_2024 = ("Delegierte Verordnung (EU) 2023/2495, § 106 Abs. 2 Nr. 1 GWB", "ABl. L, 2023/2495, 16.11.2023",
           "https://eur-lex.europa.eu/eli/reg_del/2023/2495/oj")
EU_2026 = ("Delegierte Verordnungen (EU) 2025/2152 ff., § 106 Abs. 2 Nr. 1 GWB", "ABl. L vom Dezember 2025",
           "https://eur-lex.europa.eu/eli/reg_del/2025/2152/oj")
EU_SOCIAL = ("Art. 4 Buchst. d Richtlinie 2014/24/EU, § 106 Abs. 2 Nr. 1 GWB", "ABl. L 94 vom 28.3.2014, S. 65",
             "https://eur-lex.europa.eu/eli/dir/2014/24/oj")
HH_RL = ("HmbVgRL Nr. 5", "Hamburgische Vergaberichtlinie, Finanzbehörde, gültig ab 1. Januar 2024",
         "https://www.hamburg.de/vergabe")
HH_CLAUSE = ("HmbVgRL Nr. 5, Experimentierklausel GovTech (GovTecHH beteiligt, neue Technologien oder "
             "Modernisierung/Digitalisierung der Verwaltung, Laufzeit höchstens zwei Jahre)",
             "Hamburgische Vergaberichtlinie, Finanzbehörde, gültig ab 1. Januar 2024, befristet bis 31. Dezember 2026",
             "https://www.hamburg.de/vergabe")
HH_LAW = ("§ 2a Abs. 1 HmbVgG", "HmbGVBl. 2006 S. 57, zuletzt geändert HmbGVBl. 2023 S. 339",
          "https://www.landesrecht-hamburg.de/bsha/document/jlr-VergabeGHA2006V6P2a")
HH_WORKS = ("§ 2a Abs. 1 Nr. 2 HmbVgG i. V. m. HmbVgRL (Wertgrenzen VOB/A)",
            "HmbGVBl. 2006 S. 57, zuletzt geändert HmbGVBl. 2023 S. 339",
            "https://www.landesrecht-hamburg.de/bsha/document/jlr-VergabeGHA2006V6P2a")
BUND = ("§ 14 UVgO i. V. m. Verwaltungsvorschrift zu § 55 BHO (Direktauftrag)", "BAnz AT 29.12.2025 B1",
        "https://www.bundesanzeiger.de")

# (key, jurisdiction, valid_from) -> fields to set; rows missing are created.
ROWS = [
    ("eu_services_subcentral", "EU", date(2024, 1, 1), "221000", date(2025, 12, 31), EU_2024, None),
    ("eu_services_central", "EU", date(2024, 1, 1), "143000", date(2025, 12, 31), EU_2024, None),
    ("eu_works", "EU", date(2024, 1, 1), "5538000", date(2025, 12, 31), EU_2024, None),
    ("eu_social", "EU", date(2024, 1, 1), "750000", date(2025, 12, 31), EU_SOCIAL, None),
    ("eu_services_subcentral", "EU", date(2026, 1, 1), "216000", date(2027, 12, 31), EU_2026, None),
    ("eu_services_central", "EU", date(2026, 1, 1), "140000", date(2027, 12, 31), EU_2026, None),
    ("eu_works", "EU", date(2026, 1, 1), "5404000", date(2027, 12, 31), EU_2026, None),
    ("eu_social", "EU", date(2026, 1, 1), "750000", None, EU_SOCIAL, None),
    ("direct_award", "DE-HH", date(2024, 1, 1), "5000", None, HH_RL, None),
    ("negotiated_award", "DE-HH", date(2024, 1, 1), "100000", None, HH_RL, None),
    ("ex_post_publication", "DE-HH", date(2024, 1, 1), "25000", None, HH_RL, None),
    ("experimentation_clause", "DE-HH", date(2024, 1, 1), "100000", date(2026, 12, 31), HH_CLAUSE, 24),
    ("uvgo_from", "DE-HH", date(2024, 1, 1), "100000", None, HH_LAW, None),
    ("works_direct", "DE-HH", date(2024, 1, 1), "3000", None, HH_WORKS, None),
    ("works_free", "DE-HH", date(2024, 1, 1), "150000", None, HH_WORKS, None),
    ("works_restricted", "DE-HH", date(2024, 1, 1), "1000000", None, HH_WORKS, None),
    ("direct_award", "DE", date(2026, 1, 1), "15000", None, BUND, None),
]


def apply(apps, schema_editor):
    ValueLimit = apps.get_model("procurement", "ValueLimit")
    for key, jurisdiction, valid_from, amount, valid_to, (source, reference, url), term in ROWS:
        row = ValueLimit.objects.filter(key=key, jurisdiction=jurisdiction, valid_from=valid_from).first()
        if row is None:
            row = ValueLimit(key=key, jurisdiction=jurisdiction, valid_from=valid_from, amount=Decimal(amount))
        elif row.changed_by_id is not None:
            continue  # an administrator has already maintained this row; leave their data alone
        row.valid_to = valid_to
        row.source, row.reference, row.source_url = source, reference, url
        row.checked_on = CHECKED
        row.max_term_months = term
        row.save()


class Migration(migrations.Migration):
    dependencies = [("procurement", "0001_initial")]
    operations = [migrations.RunPython(apply, migrations.RunPython.noop)]
