"""Copy the front-end assets npm installed into the package, for the release build (``make dist``).

A checkout serves KERN UX and htmx from ``node_modules``; an installed Lotsenhaus has no npm, so the wheel
carries the files it serves (KERN's dist with its fonts, htmx.min.js) and their licences under
``lotsenhaus/vendor/`` (ignored by git). settings.base falls back to them when ``node_modules`` is absent.
"""

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / "node_modules"
VENDOR = ROOT / "lotsenhaus" / "vendor"


def main() -> None:
    shutil.rmtree(VENDOR, ignore_errors=True)
    kern, htmx = NODE / "@kern-ux" / "native", NODE / "htmx.org"
    shutil.copytree(kern / "dist", VENDOR / "kern")
    shutil.copy(kern / "LICENSE.md", VENDOR / "kern" / "LICENSE.md")
    (VENDOR / "htmx").mkdir(parents=True)
    shutil.copy(htmx / "dist" / "htmx.min.js", VENDOR / "htmx" / "htmx.min.js")
    shutil.copy(htmx / "LICENSE", VENDOR / "htmx" / "LICENSE")
    files = sum(1 for p in VENDOR.rglob("*") if p.is_file())
    print(f"vendored {files} files into {VENDOR.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
