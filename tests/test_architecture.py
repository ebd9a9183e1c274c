"""The layout ARCHITECTURE.md describes is the code's: stages import only earlier stages,
no import cycle, one module imports markdown-it, and the page lists every module.
"""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

import pytest

from tests.conftest import ROOT

RUNNER = ROOT / "guiderunner"
LAYERS: tuple[frozenset[str], ...] = (
    frozenset(
        {
            "errors",
            "model",
            "markdown",
            "settings",
            "setting_values",
            "config_memo",
            "memo_file",
            "token_memo",
            "digests",
            "closing",
        }
    ),
    frozenset({"parse"}),
    frozenset({"plan"}),
    frozenset({"run", "toolchain"}),
    frozenset({"match"}),
    frozenset({"report"}),
    frozenset({"store"}),
    frozenset({"rewrite"}),
    frozenset({"presenter"}),
    frozenset({"i18n"}),
    frozenset({"site"}),
    frozenset({"cli", "__main__", "__init__"}),
)
"""The stages in pipeline order: a module may import its own stage and those above it."""


def layer(part: str) -> int:
    return next(i for i, names in enumerate(LAYERS) if part in names)


@functools.cache
def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(RUNNER.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imports(path: Path) -> set[str]:
    """Every runner module the file imports, at the top, inside functions or for typing."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names if a.name.startswith("guiderunner"))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("guiderunner"):
            # `from run.box import leftovers` imports the module run.box.leftovers.
            for alias in node.names:
                inner = f"{node.module}.{alias.name}"
                names.add(inner if inner in modules() else str(node.module))
    return names


def stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


@pytest.mark.parametrize("module", sorted(modules()))
def test_a_stage_imports_only_itself_and_earlier_stages(module: str) -> None:
    here = layer(stage(module))
    later = sorted(m for m in imports(modules()[module]) if layer(stage(m)) > here)
    assert not later, f"{module} imports later stages: {later}"


def test_only_the_command_line_imports_the_toolchain() -> None:
    users = {
        m
        for m, path in modules().items()
        if stage(m) not in ("toolchain", "cli")
        and any(stage(i) == "toolchain" for i in imports(path))
    }
    assert users == set()


def test_no_import_cycle_between_modules() -> None:
    graph = {m: {i for i in imports(p) if i in modules() and i != m} for m, p in modules().items()}
    # Package faces re-export their modules: an edge into a face is an edge into what it holds.
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for target in graph[node]:
            if state.get(target) == 1 and not node.startswith(target + "."):
                pytest.fail(f"import cycle: {' -> '.join([*trail, node, target])}")
            if target not in state:
                visit(target, [*trail, node])
        state[node] = 2

    for module in graph:
        if module not in state:
            visit(module, [])


def test_one_module_reads_markdown() -> None:
    readers = sorted(
        m
        for m, path in modules().items()
        if re.search(r"^\s*(from|import) markdown_it", path.read_text(), re.M)
    )
    assert readers == ["guiderunner.markdown"]


def holds_code(path: Path) -> bool:
    """A module with definitions of its own; a package face only hands names on."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return path.name != "__init__.py" or any(
        isinstance(node, ast.FunctionDef | ast.ClassDef) for node in tree.body
    )


def test_the_architecture_page_names_every_module() -> None:
    page = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`(guiderunner/[\w/]+\.py)`", page))
    files = {
        str(p.relative_to(ROOT))
        for p in RUNNER.rglob("*.py")
        if holds_code(p) and p.name != "__main__.py"
    }
    assert files - named == set(), "modules missing from ARCHITECTURE.md"
    assert named - files == set(), "ARCHITECTURE.md names modules that are gone"


# --- the page's prose against the code: the paths it cites exist, the commands it shows parse ---

PAGE = ROOT / "ARCHITECTURE.md"
CITED = re.compile(r"`([\w.-]+(?:/[\w.-]+)+\.(?:py|md|yml|yaml|json|sh|toml|css|js))\b[^`]*`")
SHOWN = re.compile(r"`(runner [^`]+)`|^\s*(runner \S.*)$", re.M)


def cited_paths() -> list[str]:
    """Every file path the page names in code spans (`run/secrets.py: SecretMask` names one)."""
    return sorted(set(CITED.findall(PAGE.read_text(encoding="utf-8"))))


def shown_commands() -> list[str]:
    """Every `runner ...` command the page shows, synopses with [choices] or `|` left out."""
    found = [a or b for a, b in SHOWN.findall(PAGE.read_text(encoding="utf-8"))]
    return sorted({c.split("  #")[0].strip() for c in found if not re.search(r"[\[|]|\.\.\.", c)})


@pytest.mark.parametrize("path", cited_paths())
def test_every_path_the_page_cites_exists(path: str) -> None:
    assert (ROOT / path).exists() or (RUNNER / path).exists(), f"ARCHITECTURE.md cites {path}"


@pytest.mark.parametrize("command", shown_commands())
def test_every_command_the_page_shows_parses(command: str) -> None:
    import shlex

    from guiderunner.cli.main import COMMANDS, build_parser

    words = shlex.split(command)[1:]
    if len(words) == 1:  # a sub-command named in prose: `runner step`
        assert words[0] in {c.name for c in COMMANDS}, f"no sub-command {words[0]}"
        return
    try:
        build_parser().parse_args(shlex.split(command)[1:])
    except SystemExit as exit_:
        if exit_.code not in (0, None):  # `--help` prints and exits 0: it parsed
            pytest.fail(
                f"ARCHITECTURE.md shows `{command}`, which the parser refuses: {exit_.code}"
            )


def test_the_prose_checks_find_what_they_check() -> None:
    assert len(cited_paths()) > 50
    assert "runner reset" in shown_commands()
    assert any(c.startswith("runner verify --record") for c in shown_commands())
