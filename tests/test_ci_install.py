"""Install lines that work from a fresh machine, and the example workflow's steps, run for real.

The project's address is named once, in pyproject.toml's ``[project.urls]``; README, the example
workflow, the pre-commit hook and the reports follow it. The workflow's ``run:`` steps are run in
a temporary git repository holding ``sheets/``, with its install step pointed at a built wheel.
Its ``uses:`` steps (actions/checkout, setup-python, upload-artifact) need GitHub and the network,
which a test does not have: the checkout is the temporary repository itself, Python is this one,
and for the upload only the path it names is checked.

The wheel is ``AUDITOR_WHEEL`` (``.ci/run`` builds it and has already installed it in a truly
fresh venv, dependencies from the package index, and run it there), else one built here from the
checkout (``python -m build --no-isolation``, with the ``ci`` extra installed). The venv the steps
run in is new, and gets the wheel's dependencies from this environment (links to those
distributions, never to this checkout), so that the test needs no network.
"""

from __future__ import annotations

import importlib.metadata as metadata
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

yaml = pytest.importorskip("yaml", reason="reading the workflow needs PyYAML (the test extra)")

REPO = Path(__file__).resolve().parent.parent
WORKFLOW = REPO / "examples" / "ci" / "github-actions.yml"
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
URL = PYPROJECT["urls"]["Repository"]
ROW_2017 = "2017\t(x-) 236,800\t(x-) 0\t(x-) 7,000\t(x-) 243,800"


def _release_tag() -> str:
    """The tag install lines name: ``v`` and the version being prepared (``0.1.0.dev0`` → ``v0.1.0``)."""
    from packaging.version import Version

    return f"v{Version(PYPROJECT['version']).base_version}"


# -- one address everywhere --------------------------------------------------------------------
def test_the_project_urls_name_one_repository():
    urls = PYPROJECT["urls"]
    assert re.fullmatch(r"https://github\.com/[\w.-]+/[\w.-]+", URL)
    assert urls["Homepage"] == URL and all(u.startswith(URL + "/") for k, u in urls.items()
                                            if k not in ("Homepage", "Repository"))


def test_the_reports_name_the_project_by_its_address():
    from auditor.report.base import INFORMATION_URI

    assert INFORMATION_URI == URL


@pytest.mark.parametrize("path", ["README.md", "examples/ci/github-actions.yml", ".pre-commit-hooks.yaml"])
def test_install_lines_use_the_projects_address_and_the_release_tag(path):
    text = (REPO / path).read_text(encoding="utf-8")
    lines = re.findall(r"git\+(https://\S+?)@(v[\w.]+)", text) + re.findall(r"repo: (https://\S+)\n#?\s+rev: (\S+)", text)
    assert lines, f"{path} has no install line from the repository"
    for url, tag in lines:
        assert (url.removesuffix(".git"), tag) == (URL, _release_tag()), path
    bare = re.search(r"^\s*(?:- )?(?:run: )?pip install auditor\s*$", text, re.MULTILINE)
    assert not bare, f"{path}: `auditor` on PyPI is not this project"
    assert "github.com/<owner>" not in text


def test_readme_installs_from_a_wheel_too():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    assert "python -m build" in text and re.search(r"pip install \S*dist/auditor-\S*\.whl", text)


# -- the workflow's steps, run ------------------------------------------------------------------
def _steps() -> list[dict]:
    doc = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    (job,) = doc["jobs"].values()
    return job["steps"]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    given = os.environ.get("AUDITOR_WHEEL")
    if given:
        return Path(given)
    for module in ("build", "hatchling"):
        if not _importable(module):
            pytest.skip(f"building a wheel needs `{module}` (pip install -e '.[ci]'), or AUDITOR_WHEEL "
                        "set to a built wheel, as .ci/run sets it")
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(REPO)],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    (built,) = out.glob("auditor-*.whl")
    return built


def _importable(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


def _dependency_links(target: Path) -> None:
    """Links, in ``target``, to the installed files of auditor's runtime dependencies (and theirs)."""
    from packaging.requirements import Requirement

    seen: set[str] = set()
    todo = [Requirement(r) for r in metadata.requires("auditor") or ()]
    while todo:
        req = todo.pop()
        if (req.marker and not req.marker.evaluate({"extra": ""})) or req.name.lower() in seen:
            continue
        seen.add(req.name.lower())
        dist = metadata.distribution(req.name)
        for top in {Path(str(f)).parts[0] for f in dist.files or () if not str(f).startswith("..")}:
            source = Path(str(dist.locate_file(top)))
            if source.exists() and not (target / top).exists() and top != "__pycache__":
                (target / top).symlink_to(source)
        todo += [Requirement(r) for r in dist.requires or ()]


@pytest.fixture(scope="module")
def fresh_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    venv = tmp_path_factory.mktemp("fresh") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    deps = venv.parent / "deps"
    deps.mkdir()
    _dependency_links(deps)
    (site,) = venv.glob("lib/python*/site-packages")
    (site / "auditor-test-deps.pth").write_text(f"{deps}\n", encoding="utf-8")
    return venv


def _repository(root: Path, *, broken: bool) -> Path:
    """A git repository holding sheets/: the two example sheets, and one broken copy when asked."""
    repo = root / "sheets-repo"
    shutil.copytree(REPO / "examples" / "sheets", repo / "sheets")
    if broken:
        text = (repo / "sheets" / "000_c6c48727fbba6ebb.txt").read_text(encoding="utf-8")
        (repo / "sheets" / "bad.txt").write_text(text.replace(ROW_2017, ROW_2017[:-7] + "243,900"), encoding="utf-8")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "init.defaultBranch=main"]
    for args in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "sheets"]):
        subprocess.run([*git, *args], cwd=repo, check=True, capture_output=True)
    return repo


def _run_steps(repo: Path, venv: Path, wheel: Path) -> list[tuple[str, subprocess.CompletedProcess]]:
    """Each ``run:`` step as GitHub runs it (``bash -e``), until one fails; the install step takes the wheel."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "PYTHON", "VIRTUAL_ENV", "AUDITOR_"))}
    env.update(PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}", GITHUB_ACTIONS="true", CI="true",
               GITHUB_WORKSPACE=str(repo), GITHUB_STEP_SUMMARY=str(repo.parent / "step-summary.md"),
               PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    done = []
    for step in _steps():
        if "run" not in step:
            continue
        command = step["run"]
        if command.startswith("pip install "):
            command = f"pip install {wheel}"
        result = subprocess.run(["bash", "-e", "-c", command], cwd=repo, env=env, capture_output=True, text=True,
                                timeout=600, check=False)
        done.append((step.get("name", command), result))
        if result.returncode:
            break
    return done


def test_the_workflow_has_one_install_step_that_pip_installs_from_the_repository():
    runs = [s["run"] for s in _steps() if "run" in s]
    installs = [r for r in runs if r.startswith("pip install ")]
    assert installs == [f'pip install "auditor @ git+{URL}@{_release_tag()}"']
    assert any(r.startswith("auditor check sheets/") for r in runs)


def test_the_workflow_passes_on_clean_sheets_with_the_wheel(tmp_path, wheel, fresh_venv):
    repo = _repository(tmp_path, broken=False)
    done = _run_steps(repo, fresh_venv, wheel)
    assert [r.returncode for _, r in done] == [0, 0], [(n, r.stdout[-1500:], r.stderr[-1500:]) for n, r in done]
    # auditor and its built-in rule packs are the wheel's, not this checkout's
    probe = subprocess.run([str(fresh_venv / "bin" / "python"), "-c",
                            "import auditor, sys; from auditor.engine.packs import builtin_rules_dir as d; "
                            "print(auditor.__file__); print(d())"],
                           cwd=repo, capture_output=True, text=True, check=True)
    module, rules = probe.stdout.split()
    assert module.startswith(str(fresh_venv)) and rules.startswith(str(fresh_venv)), probe.stdout
    upload = next(s for s in _steps() if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert (repo / upload["with"]["path"]).is_file(), "the artifact the workflow keeps was written"


def test_the_workflow_fails_on_a_broken_sheet_annotates_it_and_fills_the_job_summary(tmp_path, wheel, fresh_venv):
    repo = _repository(tmp_path, broken=True)
    done = _run_steps(repo, fresh_venv, wheel)
    (install, _), (check, result) = done
    assert done[0][1].returncode == 0 and result.returncode == 1, result.stderr
    assert "::error file=sheets/bad.txt,line=112" in result.stdout
    summary = (tmp_path / "step-summary.md").read_text(encoding="utf-8")
    assert "| sheets/bad.txt:112 |" in summary
    assert (repo / "auditor-report.html").is_file(), "the report is written even when the gate fails"
