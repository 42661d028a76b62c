#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""What tcpdiag costs tshark: every mode with and without the plugin.

    bench/run.py MIXED.pcap [--flood FLOOD.pcap] [--runs N] [--modes a,b]
                 [--plugin build/tcpdiag.so] [--callgrind PACKETS]

Each mode runs the same tshark command without the plugin (A) and with it
(B), alternating A B A B ... so that drift on a shared machine falls on
both, --runs times each (default 3).  It prints the median CPU time (user
+ system, from wait4) and peak RSS of each side and their ratios, against
the targets of issue 10.  With --callgrind N it also counts instructions
per packet with valgrind on the first N packets (tshark's start-up, the
first packet alone, subtracted), which repeat exactly from run to run.

The two sides differ only in the plugin: each gets a plugin folder
(WIRESHARK_PLUGIN_DIR) linking every plugin of Wireshark's global folder
but tcpdiag, plus the plugin under test for B.  As root, tshark runs as
nobody (root's tshark ignores WIRESHARK_PLUGIN_DIR).
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

NOBODY = 65534
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# name: (without-args, with-args, capture, target for CPU, target for RSS)
# None as a target: measured and printed, no target.
FIELDS = ["-T", "fields", "-e", "tcp.stream"]
MODES = {
    "fields": (FIELDS, FIELDS, "mixed", 1.10, 1.10),
    "plain": ([], [], "mixed", 1.10, 1.10),
    "filter": (["-Y", "tcp.flags.syn == 1"], ["-Y", "tcp.flags.syn == 1"], "mixed", 1.10, 1.10),
    "two-pass": (["-2"] + FIELDS, ["-2"] + FIELDS, "mixed", 1.10, 1.10),
    "table": (["-q", "-z", "conv,tcp"], ["-q", "-z", "tcpdiag,conv"], "mixed", 1.10, 1.10),
    "flood": (FIELDS, FIELDS, "flood", None, 1.10),
    "disabled": (FIELDS, FIELDS + ["--disable-protocol", "tcpdiag"], "mixed", 1.01, 1.01),
    # What tcpdiag's own fields cost, when asked for.
    "own-fields": (FIELDS, FIELDS + ["-e", "tcpdiag.outcome", "-e", "tcpdiag.summary"], "mixed", None, None),
    "own-filter": (["-Y", "tcp.flags.syn == 1"], ["-Y", 'tcpdiag.outcome == "refused"'], "mixed", None, None),
}
DEFAULT_MODES = ["fields", "plain", "filter", "two-pass", "table", "flood", "disabled", "own-fields", "own-filter"]


def tshark_version():
    out = subprocess.run(["tshark", "--version"], capture_output=True, text=True).stdout
    for word in out.split():
        if word[:1].isdigit() and word.count(".") >= 2:
            return ".".join(word.split(".")[:2])
    sys.exit("bench/run.py: cannot tell tshark's version")


def global_plugin_dir():
    out = subprocess.run(["env", "-u", "WIRESHARK_PLUGIN_DIR", "tshark", "-G", "folders"],
                         capture_output=True, text=True).stdout
    for line in out.splitlines():
        if line.startswith("Global Plugins:"):
            return line.split(":", 1)[1].strip()
    return None


def plugin_dir(home, plugin, abi):
    """home/plugins: every global plugin but tcpdiag, plus `plugin`."""
    glob = global_plugin_dir()
    root = os.path.join(home, "plugins")
    if glob and os.path.isdir(glob):
        for kind in os.listdir(glob):
            src = os.path.join(glob, kind)
            if os.path.isdir(src):
                os.makedirs(os.path.join(root, abi, kind), exist_ok=True)
                for f in os.listdir(src):
                    if f != "tcpdiag.so":
                        os.symlink(os.path.join(src, f), os.path.join(root, abi, kind, f))
    os.makedirs(os.path.join(root, abi, "epan"), exist_ok=True)
    if plugin:
        shutil.copy(plugin, os.path.join(root, abi, "epan", "tcpdiag.so"))


def command(home, args):
    env = ["env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=" + home, "LC_ALL=C.UTF-8",
           "WIRESHARK_PLUGIN_DIR=" + os.path.join(home, "plugins")]
    cmd = env + args
    if os.geteuid() == 0:
        cmd = ["setpriv", "--reuid=%d" % NOBODY, "--regid=%d" % NOBODY, "--clear-groups"] + cmd
    return cmd


def run_once(home, args):
    """CPU seconds and peak RSS (KiB) of one tshark run."""
    with open(os.devnull, "wb") as null:
        p = subprocess.Popen(command(home, ["tshark", "-n"] + args), stdout=null, stderr=subprocess.PIPE)
        err = p.stderr.read()
        _, status, ru = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        sys.exit("bench/run.py: tshark %s failed (%d): %s" % (" ".join(args), p.returncode, err.decode()[-500:]))
    return ru.ru_utime + ru.ru_stime, ru.ru_maxrss


def callgrind(home, args, cap, one, packets):
    def count(path):
        cmd = command(home, ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                             "tshark", "-n", "-r", path] + args)
        out = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True).stderr
        for line in out.splitlines():
            if "Collected :" in line:
                return int(line.split(":")[-1])
        sys.exit("bench/run.py: callgrind printed no count: " + out[-500:])
    return (count(cap) - count(one)) / packets


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("mixed")
    ap.add_argument("--flood")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--modes", default=",".join(DEFAULT_MODES))
    ap.add_argument("--plugin", default=os.path.join(ROOT, "build", "tcpdiag.so"))
    ap.add_argument("--callgrind", type=int, default=0, metavar="PACKETS",
                    help="also count instructions per packet on the first PACKETS packets")
    a = ap.parse_args()
    modes = [m for m in a.modes.split(",") if m]
    for m in modes:
        if m not in MODES:
            sys.exit("bench/run.py: unknown mode %s (modes: %s)" % (m, ", ".join(MODES)))
    if "flood" in modes and not a.flood:
        modes.remove("flood")
        print("(no --flood capture: flood mode skipped)")
    if a.runs < 1:
        sys.exit("bench/run.py: --runs must be at least 1")
    caps = {"mixed": os.path.abspath(a.mixed), "flood": os.path.abspath(a.flood) if a.flood else None}
    for c in caps.values():
        if c and not os.access(c, os.R_OK):
            sys.exit("bench/run.py: cannot read %s" % c)
    if not os.path.exists(a.plugin):
        sys.exit("bench/run.py: no plugin at %s (build it first)" % a.plugin)
    abi = tshark_version()
    work = tempfile.mkdtemp(prefix="tcpdiag-bench-")
    try:
        os.chmod(work, 0o755)
        homes = {"A": os.path.join(work, "without"), "B": os.path.join(work, "with")}
        plugin_dir(homes["A"], None, abi)
        plugin_dir(homes["B"], a.plugin, abi)
        subprocess.run(["chmod", "-R", "a+rwX", work], check=True)
        for side in "AB":  # warm the page cache, and check the plugin loads on B only
            out = subprocess.run(command(homes[side], ["tshark", "-G", "plugins"]),
                                 capture_output=True, text=True).stdout
            if ("tcpdiag.so" in out) != (side == "B"):
                sys.exit("bench/run.py: the plugin is %s on side %s" % ("loaded" if side == "A" else "missing", side))
        res = {m: {"A": [], "B": []} for m in modes}
        for r in range(a.runs):
            for m in modes:
                wo, wi, capname, _, _ = MODES[m]
                for side, args in (("A", wo), ("B", wi)):
                    res[m][side].append(run_once(homes[side], ["-r", caps[capname]] + args))
            print("round %d of %d done" % (r + 1, a.runs), file=sys.stderr)
        print("%-11s %9s %9s %7s %7s   %10s %10s %7s %7s" %
              ("mode", "cpu A s", "cpu B s", "ratio", "target", "rss A MiB", "rss B MiB", "ratio", "target"))
        for m in modes:
            _, _, _, tcpu, trss = MODES[m]
            ca = statistics.median(x[0] for x in res[m]["A"])
            cb = statistics.median(x[0] for x in res[m]["B"])
            ra = statistics.median(x[1] for x in res[m]["A"]) / 1024
            rb = statistics.median(x[1] for x in res[m]["B"]) / 1024

            def verdict(ratio, target):
                if target is None:
                    return "%7s" % "-"
                return "%7s" % ("%.2f%s" % (target, " ok" if ratio <= target else " NO"))
            print("%-11s %9.2f %9.2f %7.3f %s   %10.1f %10.1f %7.3f %s" %
                  (m, ca, cb, cb / ca, verdict(cb / ca, tcpu), ra, rb, rb / ra, verdict(rb / ra, trss)))
        if a.callgrind:
            sl = {}
            for capname, path in caps.items():
                if path:
                    sl[capname] = (os.path.join(work, capname + "-slice.pcap"), os.path.join(work, capname + "-one.pcap"))
                    subprocess.run(["editcap", "-r", path, sl[capname][0], "1-%d" % a.callgrind], check=True)
                    subprocess.run(["editcap", "-r", path, sl[capname][1], "1"], check=True)
                    subprocess.run(["chmod", "a+r", sl[capname][0], sl[capname][1]], check=True)
            print("\ninstructions per packet, first %d packets (callgrind)" % a.callgrind)
            print("%-11s %10s %10s %7s" % ("mode", "A", "B", "ratio"))
            for m in modes:
                wo, wi, capname, _, _ = MODES[m]
                ia = callgrind(homes["A"], wo, *sl[capname], a.callgrind)
                ib = callgrind(homes["B"], wi, *sl[capname], a.callgrind)
                print("%-11s %10.0f %10.0f %7.3f" % (m, ia, ib, ib / ia))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
