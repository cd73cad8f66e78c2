"""Read and validate import files (YAML or JSON) into an ImportBundle."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from storage.import_models import ImportBundle


class ImportFileError(Exception):
    """The file cannot be read or does not match the format; each error has a location."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


def _location(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(file)"


def parse_bundle(data: Any) -> ImportBundle:
    """Validate already-parsed data; raise ImportFileError listing every problem."""
    if not isinstance(data, dict):
        raise ImportFileError(
            ["(file): the top level must be a mapping with regions, challenges, ideas"]
        )
    try:
        return ImportBundle.model_validate(data)
    except ValidationError as exc:
        errors = []
        for err in exc.errors():
            message = str(err["msg"]).removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                message = "unknown field (check the spelling)"
            errors.append(f"{_location(tuple(err['loc']))}: {message}")
        raise ImportFileError(errors) from None


def read_bundle(path: Path) -> ImportBundle:
    """Read a .yaml/.yml/.json file and validate it."""
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ImportFileError([f"{path}: cannot read the file ({exc.strerror})"]) from None
    except UnicodeDecodeError:
        raise ImportFileError([f"{path}: the file is not UTF-8 text"]) from None
    try:
        data = json.loads(raw) if path.suffix.lower() == ".json" else yaml.safe_load(raw)
    except json.JSONDecodeError as exc:
        raise ImportFileError(
            [f"{path}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}"]
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ImportFileError([f"{path}{where}: invalid YAML: {problem}"]) from None
    return parse_bundle(data)


DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_FILES = (
    DATA_DIR / "nrw-regions.json",
    DATA_DIR / "ideas.yaml",
    DATA_DIR / "ideenlabore.yaml",
)
# The version of the data in DEFAULT_FILES. Raise it whenever they change: at the next start,
# bot.app.prepare_database brings every database holding an older version up to date (rows a
# person or an import changed since they were shipped stay as they are). 1: the regions and
# three ideas of the first release; 2: issue 12 (past Ideenlabore, their ideas, organisations,
# English texts, Witten and Hattingen in the Mittleres Ruhrgebiet).
SHIPPED_VERSION = 2


def shipped_bundle() -> ImportBundle:
    """The bot's own data: DEFAULT_FILES merged into one bundle."""
    bundles = [read_bundle(path) for path in DEFAULT_FILES]
    return ImportBundle(
        **{
            section: [item for bundle in bundles for item in getattr(bundle, section)]
            for section in ImportBundle.model_fields
        }
    )
