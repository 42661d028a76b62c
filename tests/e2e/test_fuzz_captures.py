# SPDX-License-Identifier: GPL-2.0-or-later
"""Capture-level fuzzing, the way Wireshark fuzzes its dissectors
(tools/fuzz-test.sh): random byte changes made by `editcap -E` to every
sample capture, and random packets made by `randpkt`, read by tshark with
WIRESHARK_ABORT_ON_DISSECTOR_BUG=1, single pass and -2, printing all that
tcpdiag adds (-V, every tcpdiag field, -z tcpdiag,conv, -z tcpdiag,sum,
-z expert), with the plugin as built and with its sanitizer build.

A round is a seed S, and makes two inputs:
- samples: every sample capture as one pcap (test_bad_input.write_all),
  damaged by `editcap -E 0.02 --seed S` (any byte of a frame) in odd
  rounds, by `editcap -E 0.005 -o 34 --seed S` (the Ethernet and IPv4
  headers kept, so the damaged TCP headers stay in their conversations) in
  even ones.
- randpkt: randpkt's TCP-bearing types (tcp, giop, bgp, tds: their TCP
  headers or payloads random) and ipv6, ip, icmp (random network headers:
  a few TCP segments, ICMP errors), in one file cut short in the middle of
  its last packet.  randpkt has no seed option: it seeds GLib's generator
  from /dev/urandom, so it runs in a private mount namespace where
  /dev/urandom is a file of bytes made from S.

editcap -E changes bytes inside frames, never the file's structure, so
only the cut file is one tshark cannot read to its end.  Passing means, for
every tshark run: it exits 0, or, for the cut file only, exits 2 with the
same file error that capinfos (which runs no dissector) reports; it is
never killed by a signal (an abort, a crash); it shows every packet that
capinfos counts in the file; no "Dissector bug", no "Malformed Packet:
tcpdiag"; at least MIN_COVERED of the TCP segments carry tcpdiag's fields,
with valid states (the plugin did run); and, for the sanitizer build, no
report of ours (conftest.sanitizer_reports), one AddressSanitizer log per
run.  A failing input is saved (in TCPDIAG_FUZZ_SAVE_DIR, else a new
/tmp/tcpdiag-fuzz-* folder) with a README.txt of the commands that made it
and the failures; the assertion says where.

Rounds: seeds 1 and 2; TCPDIAG_FUZZ_ROUNDS=N runs seeds 1..N,
TCPDIAG_FUZZ_SEEDS=7,12 those seeds only.  The inputs of a seed are
remade outside pytest with
    /usr/bin/python3 tests/e2e/test_fuzz_captures.py SEED OUTDIR
"""
import copy
import hashlib
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import CAPTURES, sanitizer_reports
from test_bad_input import VALID_STATES, read_pcap, write_all

DEFAULT_ROUNDS = 2
# editcap damage of the samples: (name, editcap options before --seed).
EDITCAP = (("E0.02", ["-E", "0.02"]),
           ("E0.005-o34", ["-E", "0.005", "-o", "34"]))
# randpkt: (type, count, max bytes per packet).  Small packets: the
# headers are what tcpdiag reads, and a random payload only costs time.
RANDPKT = (("tcp", 2000, 200), ("giop", 300, 600), ("bgp", 300, 600), ("tds", 300, 600),
           ("ipv6", 600, 200), ("ip", 300, 200), ("icmp", 300, 200))
# At least this share of the TCP segments (tcp.stream) carry tcpdiag's
# fields: some it rightly skips (e.g. a segment to its own address and port).
MIN_COVERED = 0.9
HERE = os.path.dirname(os.path.abspath(__file__))
ABORT_ENV = {"WIRESHARK_ABORT_ON_DISSECTOR_BUG": "1"}
FILE_ERROR = re.compile(r'The file ".*" appears to (be damaged or corrupt|have been cut short '
                        r'in the middle of a packet)')
BAD_OUTPUT = ("Dissector bug", "Malformed Packet: tcpdiag")


def seeds():
    if os.environ.get("TCPDIAG_FUZZ_SEEDS"):
        return [int(s) for s in os.environ["TCPDIAG_FUZZ_SEEDS"].split(",")]
    return list(range(1, int(os.environ.get("TCPDIAG_FUZZ_ROUNDS", DEFAULT_ROUNDS)) + 1))


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, f"{' '.join(cmd)}: exit {p.returncode}: {p.stderr[-2000:]}"
    return p


# ---- the inputs -----------------------------------------------------------

def samples_pcap(out):
    """Every sample capture, one after the other, as one pcap."""
    pcaps = {}
    for f in sorted(os.listdir(CAPTURES)):
        if f.endswith(".pcapng"):
            dst = os.path.join(os.path.dirname(out), f[:-7] + ".pcap")
            run(["editcap", "-F", "pcap", os.path.join(CAPTURES, f), dst])
            pcaps[f] = read_pcap(dst)
            os.unlink(dst)
    write_all(out, pcaps)
    return out


def urandom_of(seed, name):
    """The bytes /dev/urandom gives randpkt for this seed and type."""
    return b"".join(hashlib.sha256(f"tcpdiag-fuzz {seed} {name} {i}".encode()).digest() for i in range(8))


def seeded(cmd, urandom_file):
    """cmd in a private mount namespace whose /dev/urandom is urandom_file
    (as root; else in a user namespace); None where neither is allowed."""
    script = 'mount --bind "$0" /dev/urandom && exec "$@"'
    for unshare in (["unshare", "--mount", "--propagation", "private"],
                    ["unshare", "--user", "--map-root-user", "--mount", "--propagation", "private"]):
        full = unshare + ["sh", "-c", script, urandom_file] + cmd
        if subprocess.run(full[:-len(cmd)] + ["true"], capture_output=True).returncode == 0:
            return full
    return None


def packets_in(path):
    """(packets in the file, capinfos's error about it or None): what
    wiretap alone reads of it, no dissector involved."""
    p = subprocess.run(["capinfos", "-c", "-M", path], capture_output=True, text=True)
    m = re.search(r"An error occurred after reading (\d+) packets", p.stderr)
    if m:
        err = FILE_ERROR.search(p.stderr)
        return int(m.group(1)), err.group(1) if err else p.stderr.strip()
    assert p.returncode == 0, f"capinfos {path}: {p.stderr}"
    return int(re.search(r"Number of packets:\s+(\d+)\s*$", p.stdout, re.M).group(1)), None


def make_inputs(seed, d, base):
    """The inputs of round `seed` in folder d, from base (samples_pcap):
    [{name, path, cmds, packets, file_error}]."""
    inputs = []
    name, opts = EDITCAP[(seed - 1) % len(EDITCAP)]
    path = os.path.join(d, f"samples-{name}-s{seed}.pcapng")
    cmd = ["editcap"] + opts + ["--seed", str(seed), base, path]
    run(cmd)
    cmds = [f"{sys.executable} -c 'import sys; sys.path.insert(0, \"{HERE}\"); "
            f"import test_fuzz_captures as f; f.samples_pcap(\"{base}\")'", shlex.join(cmd)]
    inputs.append({"name": "samples", "path": path, "cmds": cmds})

    parts, cmds = [], []
    for kind, count, size in RANDPKT:
        out = os.path.join(d, f"randpkt-{kind}-s{seed}.pcap")
        urandom = os.path.join(d, f"urandom-{kind}-s{seed}")
        with open(urandom, "wb") as f:
            f.write(urandom_of(seed, kind))
        os.chmod(urandom, 0o644)
        cmd = ["randpkt", "-t", kind, "-c", str(count), "-b", str(size), out]
        full = seeded(cmd, urandom)
        if full is None:
            full = cmd
            cmds.append("# no mount namespace here: randpkt below was not seeded, the saved "
                        "file is the only copy of its packets")
        run(full)
        parts.append(out)
        cmds.append(shlex.join(full))
    whole = os.path.join(d, f"randpkt-whole-s{seed}.pcapng")
    cmd = ["mergecap", "-a", "-w", whole] + parts
    run(cmd)
    cmds.append(shlex.join(cmd))
    # Cut in the middle of the last packet (pcapng: the block ends with its
    # length, 4 bytes; its packet data is before that).
    path = os.path.join(d, f"randpkt-s{seed}.pcapng")
    size = os.path.getsize(whole) - 40
    with open(whole, "rb") as src, open(path, "wb") as dst:
        dst.write(src.read(size))
    cmds.append(f"head -c {size} {whole} > {path}")
    inputs.append({"name": "randpkt", "path": path, "cmds": cmds})
    for i in inputs:
        i["packets"], i["file_error"] = packets_in(i["path"])
    # editcap -E changes bytes of frames, never the file's structure.
    assert inputs[0]["file_error"] is None, inputs[0]
    assert inputs[1]["file_error"] == "have been cut short in the middle of a packet", inputs[1]
    return inputs


# ---- the checks -----------------------------------------------------------

def tcpdiag_fields(t):
    """Every field tcpdiag registers (F lines of tshark -G fields)."""
    out = t.run(["-G", "fields"]).stdout
    return [c[2] for c in (l.split("\t") for l in out.splitlines())
            if c[0] == "F" and c[2].startswith("tcpdiag.")]


def tshark_runs(t):
    """Every way the tests read a file: (label, tshark arguments)."""
    front = ["frame.number", "tcp.stream", "tcpdiag.stream", "tcpdiag.client_state",
             "tcpdiag.server_state"]
    fields = ["-T", "fields", "-E", "separator=\t", "-E", "occurrence=f"]
    for f in front + [f for f in tcpdiag_fields(t) if f not in front]:
        fields += ["-e", f]
    stats = ["-z", "expert", "-z", "tcpdiag,conv", "-z", "tcpdiag,sum"]
    # -2: -O tcpdiag, tcpdiag's tree in full and only the top line of the
    # others' (where a [Malformed Packet: tcpdiag] would be): a fifth of
    # -V's output, and what is left of tcpdiag to print is the same.
    return [("single pass -V", ["-V"] + stats), ("-2 -O tcpdiag", ["-2", "-O", "tcpdiag"] + stats),
            ("single pass fields", fields + stats), ("-2 fields", ["-2"] + fields + stats)]


def read(t, path, args):
    """One tshark run; a hang is a failure of the input, not of the test."""
    try:
        return t.run(["-r", path] + args, check=False, bugs_ok=True,
                     env={k: v for k, v in ABORT_ENV.items() if k not in t.env})
    except subprocess.TimeoutExpired as e:
        return subprocess.CompletedProcess(e.cmd, 0, stdout="", stderr=f"timed out after {e.timeout} s")


def check_run(inp, label, args, p):
    """What is wrong with one tshark run of input inp, one string each."""
    problems = []
    if p.stderr.startswith("timed out"):
        return [f"{label}: {p.stderr}"]
    if p.returncode < 0:
        problems.append(f"killed by signal {signal.Signals(-p.returncode).name}: {p.stderr[-1500:]}")
    elif p.returncode != 0:
        err = FILE_ERROR.search(p.stderr)
        if not (p.returncode == 2 and err and inp["file_error"] == err.group(1)):
            problems.append(f"exit {p.returncode} (capinfos on the file: "
                            f"{inp['file_error'] or 'no error'}): {p.stderr[-1500:]}")
    elif inp["file_error"]:
        problems.append(f"exit 0, but capinfos reports an error in the file: {inp['file_error']}")
    for bad in BAD_OUTPUT:
        for name, text in (("stdout", p.stdout), ("stderr", p.stderr)):
            at = text.find(bad)
            if at >= 0:
                problems.append(f"{bad!r} in {name}: ...{text[max(at - 1500, 0):at + 500]}")
    if "-T" in args:
        rows = [l.split("\t") for l in p.stdout.splitlines() if re.match(r"\d+\t", l)]
        tcp = [r for r in rows if r[1]]
        covered = [r for r in tcp if r[2]]
        if len(rows) != inp["packets"]:
            problems.append(f"{len(rows)} frames shown of the {inp['packets']} in the file")
        if len(tcp) < 1000 or len(covered) < MIN_COVERED * len(tcp):
            problems.append(f"tcpdiag's fields on {len(covered)} of {len(tcp)} TCP segments")
        for r in rows:
            if len(r) < 5 or r[3] not in VALID_STATES or r[4] not in VALID_STATES:
                problems.append(f"frame {r[0]}: states {r[3:5]}")
                break
    elif "-V" in args or "-O" in args:
        frames = len(re.findall(r"^Frame \d+: ", p.stdout, re.M))
        if frames != inp["packets"]:
            problems.append(f"{frames} frames shown of the {inp['packets']} in the file")
        if "[TCP connection diagnosis: " not in p.stdout:
            problems.append("no tcpdiag tree")
    return [f"{label}: {x}" for x in problems]


def sanitizer_env(t):
    """The sanitizer settings of t's runs, as a command's prefix."""
    return "".join(f"{k}={shlex.quote(t.env[k])} " for k in ("LD_PRELOAD", "ASAN_OPTIONS", "UBSAN_OPTIONS")
                   if k in t.env)


def save_failure(inp, seed, failures, ways):
    """The failing input, how it was made and read, kept; returns its path."""
    root = os.environ.get("TCPDIAG_FUZZ_SAVE_DIR")
    if root:
        os.makedirs(root, exist_ok=True)
    d = tempfile.mkdtemp(prefix=f"tcpdiag-fuzz-s{seed}-{inp['name']}-", dir=root)
    dst = os.path.join(d, os.path.basename(inp["path"]))
    shutil.copyfile(inp["path"], dst)
    with open(os.path.join(d, "README.txt"), "w") as f:
        f.write(f"seed {seed}, input {inp['name']}: {dst}\nmade by:\n  " + "\n  ".join(inp["cmds"])
                + "\n\nread (tshark as nobody, the plugin under test in WIRESHARK_PLUGIN_DIR, "
                "WIRESHARK_ABORT_ON_DISSECTOR_BUG=1) as:\n  "
                + "\n  ".join(f"{label}: {sanitizer_env(tt)}tshark -r {dst} {shlex.join(args)}"
                               for label, args, tt in ways)
                + "\n\nfailures:\n" + "\n\n".join(failures) + "\n")
    return dst


def fast_unwinding(t):
    """san_tshark, but AddressSanitizer records where memory was allocated
    with its fast unwinder: 3 to 5 times faster here, and its reports of
    errors keep their full stacks (fast_unwind_on_fatal=0); only a leak
    made through GLib may show no tcpdiag frame (see san_tshark)."""
    fast = copy.copy(t)  # the same HOME, copies and logs
    fast.env = dict(t.env, ASAN_OPTIONS=t.env["ASAN_OPTIONS"].replace("fast_unwind_on_malloc=0",
                                                                      "fast_unwind_on_malloc=1"))
    assert fast.env != t.env
    return fast


def fuzz(t, seed, inputs, sanitized):
    """Read the inputs of one round with every tshark_runs() way (two at a
    time) and check each; fail with the saved input.  Sanitized, the ways
    run with fast_unwinding(), and one more run, the first and second pass
    and the tables, with san_tshark's own settings looks for leaks."""
    ways = [(label, args, fast_unwinding(t) if sanitized else t) for label, args in tshark_runs(t)]
    if sanitized:
        ways.append(("-2 tables, slow unwinder (leaks)",
                     ["-2", "-q", "-z", "expert", "-z", "tcpdiag,conv", "-z", "tcpdiag,sum"], t))
    for inp in inputs:
        readable = t.path(inp["path"])
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            procs = [pool.submit(read, tt, readable, args) for _, args, tt in ways]
            procs = [p.result() for p in procs]
        failures = []
        for (label, args, _), p in zip(ways, procs):
            failures += check_run(inp, label, args, p)
        if sanitized:
            problems, logs = sanitizer_reports(t, procs)
            failures += [f"sanitizers: {x}" for x in problems]
            if logs < len(procs):
                failures.append(f"{logs} AddressSanitizer logs for {len(procs)} runs: "
                                "was its runtime loaded?")
        if failures:
            saved = save_failure(inp, seed, failures, ways)
            how = "\n  ".join(inp["cmds"])
            raise AssertionError(
                f"seed {seed}, input {inp['name']} ({'sanitizer build' if sanitized else 'plugin'}): "
                f"{len(failures)} failures; input saved as {saved} (README.txt beside it); made by:\n  "
                f"{how}\nremake: /usr/bin/python3 tests/e2e/test_fuzz_captures.py {seed} DIR; "
                f"rerun: TCPDIAG_FUZZ_SEEDS={seed} pytest tests/e2e/test_fuzz_captures.py\n"
                + "\n\n".join(f[:3000] for f in failures[:6]))
        os.unlink(readable)
        del t.copied[inp["path"]]


@pytest.fixture(scope="module")
def fuzz_inputs(tmp_path_factory):
    """The inputs of each seed, made once for both builds."""
    d = str(tmp_path_factory.mktemp("fuzz"))
    base = samples_pcap(os.path.join(d, "samples.pcap"))
    made = {}

    def of(seed):
        if seed not in made:
            made[seed] = make_inputs(seed, d, base)
        return made[seed]
    return of


@pytest.mark.parametrize("seed", seeds())
def test_fuzzed_captures(tshark, fuzz_inputs, seed):
    fuzz(tshark, seed, fuzz_inputs(seed), sanitized=False)


@pytest.mark.parametrize("seed", seeds())
def test_fuzzed_captures_under_sanitizers(san_tshark, fuzz_inputs, seed):
    fuzz(san_tshark, seed, fuzz_inputs(seed), sanitized=True)


if __name__ == "__main__":
    # Remake the inputs of a seed: test_fuzz_captures.py SEED OUTDIR
    if len(sys.argv) != 3:
        sys.exit(f"usage: {sys.argv[0]} SEED OUTDIR")
    os.makedirs(sys.argv[2], exist_ok=True)
    out = os.path.abspath(sys.argv[2])
    for i in make_inputs(int(sys.argv[1]), out, samples_pcap(os.path.join(out, "samples.pcap"))):
        print(i["path"], i["packets"], "packets", i["file_error"] or "", sep="\t")
