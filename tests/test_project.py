"""Guards on the project's own layout."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_app_with_tests_is_collected():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    collected = set(config["tool"]["pytest"]["ini_options"]["testpaths"])
    apps_with_tests = {p.parent.name for p in ROOT.glob("*/tests") if p.parent.name not in {".venv", "frontend"}}
    assert apps_with_tests <= collected, f"add to testpaths: {sorted(apps_with_tests - collected)}"
