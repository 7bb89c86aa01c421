"""Every section a comment or document cites exists: docs/brightpearl-api.md §P…/§R…, docs/cdk-notes.md §C…,
CONTRIBUTING.md §N. And nothing cites documents that are not in the repository."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Dict, List, Set

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = {
    "docs/brightpearl-api.md": "PR",
    "docs/cdk-notes.md": "C",
    "CONTRIBUTING.md": "",
}
SEPARATORS = r"(?:, | and |–|/)"


def _tracked_text_files() -> List[Path]:
    listed = subprocess.run(["git", "-C", str(ROOT), "ls-files"], capture_output=True, text=True, check=True).stdout.split()
    files = [ROOT / name for name in listed if name.endswith((".py", ".md", ".yaml", ".yml", ".toml", ".json", ".cfg"))]
    return [path for path in files if path.is_file()]


def _sections(document: str) -> Set[str]:
    """Section numbers of a document's headings: `## §P2.` -> P2, `### 7.1. Config` -> 7.1."""
    text = (ROOT / document).read_text(encoding="utf-8")
    return {match.group(1) for match in re.finditer(r"^#+ §?([PRC]?[0-9]+(?:\.[0-9]+)*)\.? ", text, re.M)}


def _cited(text: str, document: str) -> Set[str]:
    letters = DOCUMENTS[document]
    token = rf"§[{letters}]?[0-9]+(?:\.[0-9]+)*" if letters else r"§[0-9]+(?:\.[0-9]+)*"
    found: Set[str] = set()
    for match in re.finditer(rf"{re.escape(document)} ((?:{token}{SEPARATORS}?)+)", text):
        found |= {section.lstrip("§") for section in re.findall(token, match.group(1))}
    return found


def _citations() -> Dict[str, Dict[str, Set[str]]]:
    by_document: Dict[str, Dict[str, Set[str]]] = {document: {} for document in DOCUMENTS}
    for path in _tracked_text_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        name = str(path.relative_to(ROOT))
        for document in DOCUMENTS:
            cited = _cited(text, document)
            if name in ("docs/brightpearl-api.md", "CONTRIBUTING.md") and document == "docs/brightpearl-api.md":
                # these cite the API notes' sections without repeating the file name
                cited |= set(re.findall(r"§([PR][0-9]+(?:\.[0-9]+)*)", text))
            if name in ("docs/cdk-notes.md", "CONTRIBUTING.md") and document == "docs/cdk-notes.md":
                cited |= set(re.findall(r"§(C[0-9]+(?:\.[0-9]+)*)", text))
            if cited:
                by_document[document][name] = cited
    return by_document


@pytest.mark.parametrize("document", sorted(DOCUMENTS))
def test_every_cited_section_exists(document):
    sections = _sections(document)
    missing = {name: sorted(cited - sections) for name, cited in _citations()[document].items() if cited - sections}
    assert not missing, f"sections of {document} cited but not there: {missing}"


# Where the rule is checked; widen to the whole tree once every module cites the repo's own documents.
CHECKED = ("unit_tests", "docs")


def test_nothing_cites_notes_outside_the_repository():
    outside = re.compile(r"\b(?:PROTOCOL|RESOURCES|DESIGN|CDK-NOTES|STYLE-ANCHORS)(?:\.md)?\s+§|\.\./shared/|/work/")
    here = Path(__file__).resolve()
    offenders = [
        str(path.relative_to(ROOT))
        for path in _tracked_text_files()
        if path.resolve() != here and path.parts[len(ROOT.parts)] in CHECKED and outside.search(path.read_text(encoding="utf-8"))
    ]
    assert not offenders
