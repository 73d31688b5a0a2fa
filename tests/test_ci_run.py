"""``.ci/run`` runs the whole suite: CI's 1,000-sheet end-to-end test, and browser tests that cannot skip."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TOOLS = ("bash", "env", "dirname", "mktemp", "cat", "tail", "mkdir", "ln", "cp", "chmod")

PYTHON_STUB = """#!{bash}
# python3 for .ci/run: makes a venv whose python is this stub, and records what each step would do
# in $RECORD.steps (pytest's environment in $RECORD).
steps="$RECORD.steps"
last="${{@: -1}}"
if [ "$1" = "-m" ] && [ "$2" = "venv" ]; then
    mkdir -p "$3/bin" && echo "PATH=\\"$3/bin:\\$PATH\\"" > "$3/bin/activate" && ln -s "$0" "$3/bin/python"
    echo "venv $3" >> "$steps"
elif [ "$1" = "-m" ] && [ "$2" = "build" ]; then
    mkdir -p "$4" && : > "$4/auditor-0.1.0-py3-none-any.whl" && : > "$4/auditor-0.1.0.tar.gz"
    echo "build $*" >> "$steps"
elif [ "$1" = "-m" ] && [ "$2" = "twine" ]; then
    echo "twine $*" >> "$steps"
    exit "${{TWINE_EXIT:-0}}"
elif [ "$1" = "-m" ] && [ "$2" = "pip" ] && [ "${{last%.whl}}" != "$last" ]; then
    # installing a wheel: the venv gets an auditor command that records where it ran
    bin="$(dirname "$0")"
    printf '#!{bash}\\necho "auditor $* in $PWD" >> "%s"\\nexit "${{AUDITOR_EXIT:-0}}"\\n' "$steps" > "$bin/auditor"
    chmod +x "$bin/auditor"
    echo "pip install $last into $bin" >> "$steps"
elif [ "$1" = "-c" ]; then
    echo "probe $0" >> "$steps"
elif [ "$1" = "-m" ] && [ "$2" = "pytest" ]; then
    echo "CI=$CI AUDITOR_REQUIRE_BROWSER=$AUDITOR_REQUIRE_BROWSER" > "$RECORD"
    echo "pytest AUDITOR_WHEEL=$AUDITOR_WHEEL" >> "$steps"
fi
"""


def _stub(path: Path, body: str) -> None:
    path.write_text(body, encoding="utf-8")
    path.chmod(0o755)


def _run_ci(tmp_path: Path, *, chromium: bool, apt: str | None, **env: str) -> subprocess.CompletedProcess:
    """``.ci/run`` in a copy of the repository, with only stub tools on PATH (we are "root")."""
    repo, bin_dir = tmp_path / "repo", tmp_path / "bin"
    (repo / ".ci").mkdir(parents=True)
    shutil.copy2(ROOT / ".ci" / "run", repo / ".ci" / "run")
    (repo / "examples" / "sheets").mkdir(parents=True)
    (repo / "examples" / "sheets" / "a.txt").write_text("계\t1\n", encoding="utf-8")
    bin_dir.mkdir()
    for tool in TOOLS:
        (bin_dir / tool).symlink_to(shutil.which(tool))
    bash = shutil.which("bash")
    _stub(bin_dir / "python3", PYTHON_STUB.format(bash=bash))
    _stub(bin_dir / "id", f"#!{bash}\necho 0\n")
    _stub(bin_dir / "sleep", f"#!{bash}\n")
    if chromium:
        _stub(bin_dir / "chromium", f"#!{bash}\n")
    if apt == "fails":
        _stub(bin_dir / "apt-get", f"#!{bash}\necho \"apt-get $*\" >> {tmp_path}/apt.calls\necho 'E: mirror down'\nexit 100\n")
    elif apt == "installs":
        fake = bin_dir / "chromium"
        _stub(bin_dir / "apt-get", f"#!{bash}\nif [ \"$1\" = install ]; then\n"
                                   f"  echo '#!{bash}' > {fake}; {shutil.which('chmod')} +x {fake}\nfi\n")
    environment = {"PATH": str(bin_dir), "HOME": str(tmp_path), "RECORD": str(tmp_path / "pytest.env"), **env}
    return subprocess.run([bash, str(repo / ".ci" / "run")], capture_output=True, text=True, env=environment,
                          timeout=60, check=False)


def test_ci_run_sets_ci_and_requires_the_browser(tmp_path):
    done = _run_ci(tmp_path, chromium=True, apt=None)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "pytest.env").read_text().split() == ["CI=1", "AUDITOR_REQUIRE_BROWSER=1"]


def _steps(tmp_path: Path) -> list[str]:
    return (tmp_path / "pytest.env.steps").read_text().splitlines()


def test_ci_run_builds_checks_and_runs_the_wheel_from_outside_the_checkout_before_the_tests(tmp_path):
    done = _run_ci(tmp_path, chromium=True, apt=None)
    assert done.returncode == 0, done.stderr
    steps = [line.split()[0] for line in _steps(tmp_path)]
    assert steps == ["venv", "build", "twine", "venv", "pip", "auditor", "probe", "pytest"], _steps(tmp_path)
    build, twine, _, pip, auditor, probe, pytest_env = _steps(tmp_path)[1:]
    dist = build.split("--outdir ")[1].split()[0]
    assert build.endswith(" .") and "--sdist" not in build and "--wheel" not in build, "both distributions"
    assert twine.split()[3:] == ["check", "--strict", f"{dist}/auditor-0.1.0-py3-none-any.whl",
                                 f"{dist}/auditor-0.1.0.tar.gz"]
    fresh = pip.rsplit(" into ", 1)[1]
    assert pip.split()[2] == f"{dist}/auditor-0.1.0-py3-none-any.whl"
    assert not fresh.startswith(str(tmp_path / "repo")) and probe == f"probe {fresh}/python"
    command, cwd = auditor.split(" in ")
    assert command == "auditor check examples/" and not cwd.startswith(str(tmp_path / "repo"))
    assert Path(cwd, "examples", "sheets", "a.txt").is_file(), "a copy of the examples, outside the checkout"
    assert pytest_env == f"pytest AUDITOR_WHEEL={dist}/auditor-0.1.0-py3-none-any.whl"


@pytest.mark.parametrize("failing", ["TWINE_EXIT", "AUDITOR_EXIT"])
def test_a_broken_distribution_fails_ci_before_the_tests(tmp_path, failing):
    done = _run_ci(tmp_path, chromium=True, apt=None, **{failing: "1"})
    assert done.returncode != 0
    assert not (tmp_path / "pytest.env").exists() and "pytest" not in (tmp_path / "pytest.env.steps").read_text()


def test_ci_run_keeps_a_ci_variable_already_set(tmp_path):
    done = _run_ci(tmp_path, chromium=True, apt=None, CI="true", AUDITOR_REQUIRE_BROWSER="0")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "pytest.env").read_text().split() == ["CI=true", "AUDITOR_REQUIRE_BROWSER=0"]


def test_ci_run_installs_chromium_with_apt(tmp_path):
    done = _run_ci(tmp_path, chromium=False, apt="installs")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "bin" / "chromium").exists() and "error" not in done.stderr


def test_a_failed_chromium_install_is_loud_and_the_tests_still_run(tmp_path):
    done = _run_ci(tmp_path, chromium=False, apt="fails")
    assert "error: could not install chromium" in done.stderr and "E: mirror down" in done.stderr
    assert "the browser tests will fail" in done.stderr
    assert (tmp_path / "apt.calls").read_text().count("apt-get update") == 3, "retried"
    assert (tmp_path / "pytest.env").read_text().split() == ["CI=1", "AUDITOR_REQUIRE_BROWSER=1"]


def _browser_tests(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    """The browser tests with no Chromium on PATH."""
    environment = {k: v for k, v in os.environ.items() if k not in ("AUDITOR_REQUIRE_BROWSER", "PYTEST_ADDOPTS")}
    environment.update(PATH=str(tmp_path), **env)
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rsf",
               str(ROOT / "tests" / "test_report_browser.py"), "-k", "detector"]
    return subprocess.run(command, capture_output=True, text=True, env=environment, cwd=ROOT, timeout=120,
                          check=False)


def test_browser_tests_skip_without_chromium_locally(tmp_path):
    done = _browser_tests(tmp_path)
    assert done.returncode == 0 and "1 skipped" in done.stdout, done.stdout
    assert "headless Chromium is not installed" in done.stdout


@pytest.mark.parametrize("value", ["1", "yes"])
def test_browser_tests_fail_without_chromium_when_required(tmp_path, value):
    done = _browser_tests(tmp_path, AUDITOR_REQUIRE_BROWSER=value)
    assert done.returncode == 1 and "1 error" in done.stdout and "skipped" not in done.stdout, done.stdout
    assert "AUDITOR_REQUIRE_BROWSER is set" in done.stdout
