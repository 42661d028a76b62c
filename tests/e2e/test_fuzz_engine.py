# SPDX-License-Identifier: GPL-2.0-or-later
"""The engine's libFuzzer target (tests/fuzz/): its seeds drive the engine
as the captures they come from drive the plugin, the inputs that once broke
an invariant pass, and a bounded fuzzing run (TCPDIAG_FUZZ_SECONDS,
default 60) finds nothing.  The invariants are checked inside the target
(tests/fuzz/fuzz_engine.c): netstat states, table values, printable
one-line texts, counters that never wrap, and a report that is the same
whether it was read after every packet or only at the end, or rebuilt
from the kept opening segments."""
import os
import re
import shutil
import subprocess
import tempfile

import pytest

from conftest import CAPTURES, REPO

FUZZ = os.path.join(REPO, "tests", "fuzz")
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else "python3"


@pytest.fixture(scope="module")
def fuzz_build():
    if not shutil.which("clang"):
        pytest.fail("clang is not installed: tools/install-deps.sh fuzz")
    d = tempfile.mkdtemp(prefix="tcpdiag-fuzz-")
    try:
        p = subprocess.run(["cmake", "-S", REPO, "-B", d, "-DTCPDIAG_FUZZ=ON", "-DBUILD_TESTING=OFF"],
                           env=dict(os.environ, CC="clang"), capture_output=True, text=True,
                           timeout=300)
        assert p.returncode == 0, p.stdout[-2000:] + p.stderr[-2000:]
        p = subprocess.run(["cmake", "--build", d, "--target", "fuzz_engine", "-j",
                            str(os.cpu_count() or 2)], capture_output=True, text=True, timeout=600)
        assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-3000:]
        yield d
    finally:
        shutil.rmtree(d, ignore_errors=True)


def seed_of(capture, tmp):
    """The seed input of the capture's first conversation."""
    out = os.path.join(tmp, capture)
    subprocess.run([PYTHON, os.path.join(FUZZ, "make-seeds.py"), "--max-per-capture", "1", out,
                    os.path.join(CAPTURES, capture)], check=True, capture_output=True)
    (name,) = os.listdir(out)
    return os.path.join(out, name)


@pytest.mark.parametrize("capture,outcome", [
    ("normal-close.pcapng", "closed"), ("refused-no-listener.pcapng", "refused"),
    ("icmp-port-unreachable.pcapng", "icmp-unreachable"),
    ("syn-dropped-server.pcapng", "syn-unanswered"),
    ("dead-peer-retries2.pcapng", "retransmission-timeout"),
    ("zero-window-stalled.pcapng", "zero-window"),
    ("inject-handshake-server.pcapng", "reset-after-handshake"),
    ("one-way-client.pcapng", "one-way"),
    ("syn-pending.pcapng", "syn-pending"), ("crafted-impossible.pcapng", "closing"),
    ("pmtu-blackhole.pcapng", "pmtu-black-hole"), ("pmtu-blackhole-v6.pcapng", "pmtu-black-hole"),
])
def test_seed_gives_the_captures_outcome(fuzz_build, tshark, tmp_path, capture, outcome):
    """A seed made from a capture gives the engine the plugin's view of it:
    the final outcome in the target's report is the plugin's (-2, last
    frame of the first conversation), which is the one the capture shows."""
    rows = tshark.fields(capture, ["tcp.stream", "tcpdiag.outcome"], two_pass=True)
    plugin = [r["tcpdiag.outcome"] for r in rows if r["tcp.stream"] == "0"][-1]
    assert plugin == outcome
    p = subprocess.run([os.path.join(fuzz_build, "fuzz_engine"), seed_of(capture, str(tmp_path))],
                       env=dict(os.environ, TCPDIAG_FUZZ_PRINT="1"), capture_output=True,
                       text=True, timeout=120)
    assert p.returncode == 0, p.stderr[-3000:]
    final = re.findall(r"^verdict@\S+ (\S+)", p.stdout, re.M)
    assert final, p.stdout[-2000:]
    assert final[-1] == outcome, p.stdout[-3000:]


def test_regressions_pass(fuzz_build):
    """The inputs that broke an invariant once (tests/fuzz/regressions).
    Those named COUNTER-count-past-65535 send one segment 65536 times more,
    a second apart: the counter must stop at 65535 (the FIN and reset
    counts wrapped to 0 before b99588f)."""
    inputs = sorted(os.path.join(FUZZ, "regressions", f)
                    for f in os.listdir(os.path.join(FUZZ, "regressions")))
    assert inputs
    p = subprocess.run([os.path.join(fuzz_build, "fuzz_engine")] + inputs, capture_output=True,
                       text=True, timeout=300)
    assert p.returncode == 0, p.stderr[-4000:]
    assert p.stderr.count("Executed ") == len(inputs), p.stderr[-2000:]
    counted = 0
    for path in inputs:
        m = re.match(r"(\w+)-count-past-65535$", os.path.basename(path))
        if not m:
            continue
        p = subprocess.run([os.path.join(fuzz_build, "fuzz_engine"), path],
                           env=dict(os.environ, TCPDIAG_FUZZ_PRINT="1"), capture_output=True,
                           text=True, timeout=300)
        assert p.returncode == 0, p.stderr[-3000:]
        assert re.search(rf"^ep[01] .* {m.group(1)} 65535 ", p.stdout, re.M), \
            f"{path}: {m.group(1)} did not stop at 65535:\n{p.stdout[-2000:]}"
        counted += 1
    assert counted >= 4


def test_bounded_fuzzing(fuzz_build, tmp_path):
    seconds = os.environ.get("TCPDIAG_FUZZ_SECONDS", "60")
    env = dict(os.environ, FUZZ_BUILD=fuzz_build, FUZZ_WORK=str(tmp_path / "work"))
    p = subprocess.run([os.path.join(FUZZ, "run.sh"), seconds], env=env, capture_output=True,
                       text=True, timeout=int(seconds) + 900)
    log = p.stdout + p.stderr
    # Inputs that failed; libFuzzer also keeps slow ones (slow-unit-*),
    # which are no failure.
    artifacts = [a for a in os.listdir(tmp_path / "work" / "artifacts")
                 if a.startswith(("crash-", "leak-", "timeout-", "oom-"))]
    saved = []
    if artifacts:
        keep = tempfile.mkdtemp(prefix="tcpdiag-fuzz-artifacts-")
        for a in artifacts:
            shutil.copy(tmp_path / "work" / "artifacts" / a, keep)
        saved = [os.path.join(keep, a) for a in artifacts]
    assert p.returncode == 0 and not artifacts, \
        f"fuzzing failed (exit {p.returncode}); inputs saved: {saved}\n{log[-6000:]}"
    m = re.search(r"make-seeds.py: (\d+) inputs from (\d+) captures", log)
    assert m and int(m.group(1)) >= 100, log[-3000:]
    runs = re.search(r"stat::number_of_executed_units: (\d+)", log)
    assert runs and int(runs.group(1)) > int(m.group(1)), log[-3000:]
