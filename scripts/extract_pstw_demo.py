"""Extract a small, fixed sample of Public Sector Tech Watch cases for the demo solutions catalogue.

Source: European Commission, Joint Research Centre, Public Sector Tech Watch, CC BY 4.0.
Usage: python scripts/extract_pstw_demo.py ../shared/data/pstw/pstw_dataset.xlsx
Writes lotsenhaus/demo/pstw_cases.json (committed, so the demo needs no copy of the data set).
"""

import json
import sys
from pathlib import Path

import openpyxl

OUT = Path(__file__).resolve().parent.parent / "lotsenhaus" / "demo" / "pstw_cases.json"
COUNT = 120


def main(path: str) -> None:
    sheet = openpyxl.load_workbook(path, read_only=True).active
    rows = sheet.iter_rows(values_only=True)
    header = next(rows)
    cases = []
    for row in rows:
        record = dict(zip(header, row, strict=False))
        description = (record.get("Description") or "").strip()
        if record.get(" Status") != "Implemented" or len(description) < 300 or len(description) > 1500:
            continue
        cases.append(
            {
                "id": record["PSTW ID"],
                "name": str(record["Name"]).strip()[:200],
                "description": description,
                "country": record.get("Geographical coverage (country)") or "",
                "technology": record.get("Primary Technology") or "",
                "application_type": (record.get("Application type") or "").strip(),
            }
        )
    cases.sort(key=lambda case: int(str(case["id"]).split("-")[1]))
    step = max(1, len(cases) // COUNT)
    sample = cases[::step][:COUNT]
    OUT.write_text(json.dumps(sample, ensure_ascii=False, indent=1) + "\n")
    print(f"{len(sample)} of {len(cases)} eligible cases written to {OUT}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/pstw/pstw_dataset.xlsx")
