# SPDX-License-Identifier: GPL-2.0-or-later
"""Run the real tshark with the freshly built tcpdiag plugin.

The plugin under test goes into a plugin folder of a throw-away HOME, which
tshark is given as WIRESHARK_PLUGIN_DIR: that folder then stands in for
Wireshark's global plugin folder, so a tcpdiag installed there (by the
package or tools/quickstart.sh as root) is neither loaded nor touched.  The
folder also links every other plugin of the global folder, so tshark runs
with the plugins a user has.  tshark ignores WIRESHARK_PLUGIN_DIR (and
personal plugin folders) when it runs as root, so as root every tshark
runs as the unprivileged user nobody (setpriv); the captures it reads are
copied into that HOME, where nobody can read them.

Every test depends on the `tshark` fixture, which first proves that the
plugin loaded (tshark -G plugins lists it from our folder and -G fields
knows its fields): no test can pass with the plugin missing.

Wireshark 4.4 and later print booleans as True/False in -T fields, 4.0
as 1/0: fields() gives 1/0 for every boolean field, whatever the series.

The sanitizer build (san_build, san_tshark, sanitizer_reports) is here too,
made once per session for every module that reads captures through it.
"""
import glob
import os
import re
import shutil
import subprocess
import tempfile

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CAPTURES = os.path.join(REPO, "sample-captures")
BUILD = os.environ.get("TCPDIAG_BUILD_DIR", os.path.join(REPO, "build"))
NOBODY = 65534
# -T fields spelling of booleans: 1/0 (4.0), True/False (4.4 and later).
BOOL_VALUE = {"True": "1", "False": "0", "1": "1", "0": "0"}


def ws_version():
    """(major, minor) of the tshark on PATH."""
    out = subprocess.run(["tshark", "--version"], capture_output=True, text=True).stdout
    ver = out.split("TShark (Wireshark) ")[1].split()[0]
    major, minor = ver.split(".")[:2]
    return int(major), int(minor)


def ws_abi():
    return "%d.%d" % ws_version()


def as_test_user(cmd):
    """The command as the unprivileged user the tests run Wireshark as."""
    if os.geteuid() == 0:
        return ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"] + cmd
    return cmd


def global_plugin_dir():
    """Wireshark's global plugin folder (with its version), from tshark."""
    out = subprocess.run(as_test_user(["env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin",
                                       "HOME=/nonexistent", "tshark", "-G", "folders"]),
                         capture_output=True, text=True).stdout
    for line in out.splitlines():
        if line.startswith("Global Plugins:"):
            return line.split(":", 1)[1].strip()
    return None


def make_plugin_dir(root, plugin):
    """root/<series>/epan/tcpdiag.so (the plugin under test), beside links
    to every other plugin of the global folder; returns root."""
    abi = ws_abi()
    glob = global_plugin_dir()
    if glob and os.path.isdir(glob):
        for kind in sorted(os.listdir(glob)):
            src = os.path.join(glob, kind)
            if not os.path.isdir(src):
                continue
            os.makedirs(os.path.join(root, abi, kind), exist_ok=True)
            for f in sorted(os.listdir(src)):
                if f != os.path.basename(plugin):
                    os.symlink(os.path.join(src, f), os.path.join(root, abi, kind, f))
    os.makedirs(os.path.join(root, abi, "epan"), exist_ok=True)
    shutil.copy(plugin, os.path.join(root, abi, "epan"))
    return root


def wireshark_env(home):
    """The environment every Wireshark program of the tests runs in."""
    return {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "HOME": home, "LC_ALL": "C.UTF-8",
            "TZ": "UTC", "WIRESHARK_PLUGIN_DIR": os.path.join(home, "plugins")}


class TShark:
    """tshark as an unprivileged user with the plugin under test."""

    def __init__(self, home, env=None):
        self.home = home
        self.env = dict(env or {})  # added to every run (e.g. a sanitizer's runtime)
        self.copied = {}
        self.booleans = set()

    def _cmd(self, args, env=None):
        env = dict(wireshark_env(self.home), **self.env, **(env or {}))
        return as_test_user(["env", "-i"] + [f"{k}={v}" for k, v in env.items()] + ["tshark"] + args)

    def path(self, capture):
        """A copy of the capture that the unprivileged tshark can read."""
        src = capture if os.path.isabs(capture) else os.path.join(CAPTURES, capture)
        if src not in self.copied:
            dst = os.path.join(self.home, "captures", f"{len(self.copied)}-{os.path.basename(src)}")
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copyfile(src, dst)
            os.chmod(dst, 0o644)
            self.copied[src] = dst
        return self.copied[src]

    def run(self, args, check=True, bugs_ok=False, env=None):
        """tshark args; env: variables added to the tests' environment."""
        # errors="replace": other dissectors print the raw bytes of corrupted
        # packets (e.g. a damaged HTTP Content-Type), not always UTF-8.
        p = subprocess.run(self._cmd(args, env), capture_output=True, text=True, errors="replace",
                           timeout=300)
        # A dissector exception shows as "Dissector bug" or a malformed
        # tcpdiag item; either is a failure of ours.
        if "-r" in args and not bugs_ok:
            for bad in ("Dissector bug", "Malformed Packet: tcpdiag"):
                assert bad not in p.stdout and bad not in p.stderr, \
                    f"{bad!r} in tshark output: {p.stdout[-1500:]}{p.stderr[-1500:]}"
        if check:
            assert p.returncode == 0, f"tshark {' '.join(args)} exited {p.returncode}: {p.stderr[-2000:]}"
        return p

    def fields(self, capture, fields, two_pass=False, dfilter=None, extra=()):
        """Rows of -T fields output as dicts; multiple occurrences joined by ','."""
        args = ["-r", self.path(capture), "-T", "fields", "-E", "separator=\t",
                "-E", "occurrence=a", "-E", "aggregator=,"]
        if two_pass:
            args.append("-2")
        if dfilter:
            args += ["-Y", dfilter]
        for f in fields:
            args += ["-e", f]
        args += list(extra)
        out = self.run(args).stdout
        rows = []
        for line in out.splitlines():
            cols = line.split("\t")
            cols += [""] * (len(fields) - len(cols))
            row = dict(zip(fields, cols))
            for f in self.booleans.intersection(fields):
                if row[f]:
                    row[f] = ",".join(BOOL_VALUE.get(v, v) for v in row[f].split(","))
            rows.append(row)
        return rows


def make_tshark(plugin, env=None):
    """A TShark with `plugin` in its throw-away HOME, proven loaded (the
    caller removes t.home)."""
    home = tempfile.mkdtemp(prefix="tcpdiag-home-")
    os.chmod(home, 0o755)
    plugdir = os.path.join(make_plugin_dir(os.path.join(home, "plugins"), plugin), ws_abi(), "epan")
    for d, _, files in os.walk(home):
        os.chmod(d, 0o755)
        for f in files:
            if not os.path.islink(os.path.join(d, f)):
                os.chmod(os.path.join(d, f), 0o755)
    t = TShark(home, env)
    plugins = t.run(["-G", "plugins"]).stdout
    ours = [l for l in plugins.splitlines() if "tcpdiag.so" in l]
    other = [l.split("\t")[-1] for l in ours if plugdir not in l]
    assert not other, (
        f"tshark loads another tcpdiag plugin, {other[0]}, instead of the one under test "
        f"from {plugdir}: WIRESHARK_PLUGIN_DIR was not honoured")
    assert ours, f"the tcpdiag plugin under test did not load from {plugdir}:\n{plugins}"
    fields = t.run(["-G", "fields"]).stdout
    assert "\ttcpdiag.outcome\t" in fields, "tcpdiag fields are not registered"
    t.booleans = {l.split("\t")[2] for l in fields.splitlines()
                  if l.startswith("F\t") and l.split("\t")[3] == "FT_BOOLEAN"}
    assert "tcpdiag.outcome_final" in t.booleans
    return t


@pytest.fixture(scope="session")
def tshark():
    plugin = os.path.join(BUILD, "tcpdiag.so")
    if not os.path.exists(plugin):
        pytest.fail(f"{plugin} not built: run tools/run-tests.sh (it builds first)")
    t = make_tshark(plugin)
    yield t
    shutil.rmtree(t.home, ignore_errors=True)


# ---- the plugin built with AddressSanitizer and UndefinedBehaviorSanitizer ----

@pytest.fixture(scope="session")
def san_build():
    """The sanitizer build (cmake -DTCPDIAG_SANITIZE=ON), in a throw-away
    folder."""
    d = tempfile.mkdtemp(prefix="tcpdiag-sanitize-")
    try:
        for cmd in (["cmake", "-S", REPO, "-B", d, "-DTCPDIAG_SANITIZE=ON", "-DCMAKE_BUILD_TYPE=Debug"],
                    ["cmake", "--build", d, "-j", str(os.cpu_count() or 2)]):
            p = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
            assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-3000:]
        yield d
    finally:
        shutil.rmtree(d, ignore_errors=True)


def runtime_of(plugin):
    """The AddressSanitizer runtime the plugin was linked against."""
    out = subprocess.run(["ldd", plugin], capture_output=True, text=True).stdout
    m = re.search(r"libasan\.so\S*\s+=>\s+(\S+)", out)
    assert m, f"{plugin} is not linked with AddressSanitizer:\n{out}"
    return m.group(1)


@pytest.fixture(scope="session")
def san_tshark(san_build):
    """tshark with the sanitizer build of the plugin and the sanitizer
    runtime preloaded; check its runs with sanitizer_reports()."""
    plugin = os.path.join(san_build, "tcpdiag.so")
    logs = tempfile.mkdtemp(prefix="tcpdiag-sanlogs-")
    os.chmod(logs, 0o777)
    env = {"LD_PRELOAD": runtime_of(plugin),
           # Errors stop tshark; its exit status is ours to give: the logs decide.
           # The slow unwinder: GLib has no frame pointers, and a leak made
           # through g_malloc() would show no tcpdiag frame otherwise.
           "ASAN_OPTIONS": f"detect_leaks=1:halt_on_error=1:exitcode=0:log_path={logs}/asan:"
                           "fast_unwind_on_malloc=0:malloc_context_size=30",
           "UBSAN_OPTIONS": f"print_stacktrace=1:halt_on_error=1:log_path={logs}/ubsan",
           "WIRESHARK_ABORT_ON_DISSECTOR_BUG": "1",
           # GLib's slice allocator would hide leaks in its own chunks.
           "G_SLICE": "always-malloc", "G_DEBUG": "gc-friendly",
           # No extcap helpers: they would inherit the preloaded runtime and
           # hang tshark -G (seen with Debian's 4.0.17).
           "WIRESHARK_EXTCAP_DIR": logs}
    t = make_tshark(plugin, env)
    t.logs = logs
    t.checked_logs = set()
    yield t
    shutil.rmtree(t.home, ignore_errors=True)
    shutil.rmtree(logs, ignore_errors=True)


def leak_blocks(text):
    """The leak reports of a LeakSanitizer log, one string each."""
    return [b for b in re.split(r"\n(?=(?:Direct|Indirect) leak of )", text)
            if b.startswith(("Direct leak", "Indirect leak"))]


def sanitizer_reports(t, runs=()):
    """What the sanitizers reported about san_tshark `t` since the previous
    call: (problems, logs).  problems: one string per report of ours, i.e.
    an UndefinedBehaviorSanitizer "runtime error" in the stderr of `runs`
    (it writes there: its log_path is not honoured), an AddressSanitizer
    error, or a leak with a tcpdiag frame in its stack, in the
    AddressSanitizer logs written since (tshark and GLib leave allocations
    at exit that are not ours).  logs: how many logs were new; tshark's
    leaks at exit give one per run, which proves the runtime was loaded."""
    problems = []
    for p in runs:
        if "runtime error" in p.stderr:
            problems.append(p.stderr[max(p.stderr.find("runtime error") - 500, 0):][:3000])
    new = [log for log in sorted(glob.glob(os.path.join(t.logs, "asan.*"))) if log not in t.checked_logs]
    for log in new:
        t.checked_logs.add(log)
        text = open(log, errors="replace").read()
        m = re.search(r"ERROR: AddressSanitizer.*", text, re.S)
        if m:
            problems.append(f"{log}:\n{m.group(0)[:4000]}")
        ours = [b for b in leak_blocks(text) if "tcpdiag" in b or "/plugin/" in b]
        if ours:
            problems.append(f"{log}: leaks with a tcpdiag frame:\n" + "\n".join(b[:1500] for b in ours[:5]))
    return problems, len(new)


def pytest_report_header(config):
    return f"tcpdiag build: {BUILD}; euid {os.geteuid()} (tshark runs as {'nobody' if os.geteuid() == 0 else 'this user'})"
