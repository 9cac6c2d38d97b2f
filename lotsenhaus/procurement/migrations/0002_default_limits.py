"""The EU thresholds and Hamburg's value limits as published, as editable data (demo defaults).

Written by hand because generated migrations cannot hold data; it imports no app code.
"""

from datetime import date
from decimal import Decimal

from django.db import migrations

EU_2024 = "Delegierte Verordnung (EU) 2023/2495 (Schwellenwerte 2024/2025), § 106 Abs. 2 Nr. 1 GWB"
EU_2026 = "Delegierte Verordnungen der EU-Kommission zu den Schwellenwerten 2026/2027, § 106 Abs. 2 GWB"
HH = "Freie und Hansestadt Hamburg, Beschaffungsrichtlinie (Wertgrenzen), wie veröffentlicht"
HH_CLAUSE = "Freie und Hansestadt Hamburg, Beschaffungsrichtlinie, Experimentierklausel (seit Januar 2024)"

LIMITS = [
    ("eu_services_subcentral", "EU", "221000", date(2024, 1, 1), date(2025, 12, 31), EU_2024),
    ("eu_services_central", "EU", "143000", date(2024, 1, 1), date(2025, 12, 31), EU_2024),
    ("eu_works", "EU", "5538000", date(2024, 1, 1), date(2025, 12, 31), EU_2024),
    ("eu_social", "EU", "750000", date(2024, 1, 1), date(2025, 12, 31), EU_2024),
    ("eu_services_subcentral", "EU", "216000", date(2026, 1, 1), date(2027, 12, 31), EU_2026),
    ("eu_services_central", "EU", "140000", date(2026, 1, 1), date(2027, 12, 31), EU_2026),
    ("eu_works", "EU", "5404000", date(2026, 1, 1), date(2027, 12, 31), EU_2026),
    ("eu_social", "EU", "750000", date(2026, 1, 1), date(2027, 12, 31), EU_2026),
    ("direct_award", "DE-HH", "5000", date(2024, 1, 1), None, HH),
    ("negotiated_award", "DE-HH", "100000", date(2024, 1, 1), None, HH),
    ("ex_post_publication", "DE-HH", "25000", date(2024, 1, 1), None, HH),
    ("experimentation_clause", "DE-HH", "100000", date(2024, 1, 1), None, HH_CLAUSE),
]


def add(apps, schema_editor):
    ValueLimit = apps.get_model("procurement", "ValueLimit")
    for key, jurisdiction, amount, valid_from, valid_to, source in LIMITS:
        ValueLimit.objects.get_or_create(
            key=key,
            jurisdiction=jurisdiction,
            valid_from=valid_from,
            defaults={"amount": Decimal(amount), "valid_to": valid_to, "source": source},
        )


def remove(apps, schema_editor):
    ValueLimit = apps.get_model("procurement", "ValueLimit")
    for key, jurisdiction, _amount, valid_from, _valid_to, _source in LIMITS:
        ValueLimit.objects.filter(key=key, jurisdiction=jurisdiction, valid_from=valid_from).delete()


class Migration(migrations.Migration):
    dependencies = [("procurement", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
