# SPDX-License-Identifier: GPL-2.0-or-later
# Sourced by tests/in-root.sh and tests/fresh-machine.sh: make a Debian root
# with debootstrap and enter it.  Needs root.
#
# Wireshark series per Debian release: bookworm 4.0, trixie 4.4, forky and
# sid 4.6.  No Debian release has 4.2.

MIRROR=${TCPDIAG_MIRROR:-http://deb.debian.org/debian}

die() {
    echo "$(basename "$0"): $*" >&2
    exit 1
}

check_release() {
    case "$1" in
    bookworm|trixie|forky|sid) ;;
    *) die "unknown release '$1': bookworm (Wireshark 4.0), trixie (4.4), forky or sid (4.6)" ;;
    esac
}

# make_root RELEASE DIR: a minimal Debian root in DIR (kept if it exists).
make_root() {
    release=$1 dir=$2
    [ "$(id -u)" -eq 0 ] || die "needs root (debootstrap, chroot, mount)"
    if ! command -v debootstrap >/dev/null; then
        env DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >/dev/null
    fi
    if [ ! -f "$dir/.tcpdiag-root-made" ]; then
        remove_root "$dir"   # a debootstrap that did not finish
        script=""
        # debootstrap has no script named forky before Debian 13's; testing
        # is made the way sid is.
        [ -e "/usr/share/debootstrap/scripts/$release" ] || script=/usr/share/debootstrap/scripts/sid
        echo "== debootstrap $release into $dir"
        mkdir -p "$dir"
        debootstrap --variant=minbase "$release" "$dir" "$MIRROR" $script >"$dir.debootstrap.log" 2>&1 ||
            { tail -20 "$dir.debootstrap.log" >&2; die "debootstrap $release failed (log: $dir.debootstrap.log)"; }
        # Only a finished debootstrap is reused.
        touch "$dir/.tcpdiag-root-made"
    fi
    # Testing's Release file may be past its Valid-Until date on a mirror
    # or snapshot; the packages are still what the release holds.
    echo 'Acquire::Check-Valid-Until "false";' >"$dir/etc/apt/apt.conf.d/99tcpdiag-valid-until"
    echo "deb $MIRROR $release main" >"$dir/etc/apt/sources.list"
    cp /etc/resolv.conf "$dir/etc/resolv.conf" 2>/dev/null || true
}

# mount_root DIR: /proc, /sys and the host's /dev (with /dev/pts and
# /dev/shm) inside.  The /dev tree is a slave of the host's, so unmounting
# it inside never unmounts the host's.  umount_root DIR undoes it.
mount_root() {
    dir=$1
    # The root a mount point of its own, as / is on a machine: `ip netns`
    # makes / a slave mount, which fails on a plain folder.
    # Private: what is mounted in the root (by `ip netns` too) stays there
    # and leaves with it.
    if ! mountpoint -q "$dir"; then
        mount --bind "$dir" "$dir"
        mount --make-private "$dir"
        touch "$dir/.tcpdiag-self-bind"
    fi
    for m in proc sys dev; do
        mkdir -p "$dir/$m"
        mountpoint -q "$dir/$m" && continue
        case $m in
        proc) mount -t proc proc "$dir/proc" ;;
        sys) mount -t sysfs sysfs "$dir/sys" ;;
        dev) mount --rbind /dev "$dir/dev" && mount --make-rslave "$dir/dev" ;;
        esac
    done
}

# bind_ro SRC DIR: SRC seen read-only at DIR/src.
bind_ro() {
    mkdir -p "$2/src"
    mountpoint -q "$2/src" && umount -R -l "$2/src"
    mount --bind "$1" "$2/src"
    mount -o remount,bind,ro "$2/src"
}

# Everything mount_root and bind_ro mounted under DIR, also left over from
# an earlier run that was killed.
umount_root() {
    dir=$1
    for m in src dev sys proc; do
        if mountpoint -q "$dir/$m" 2>/dev/null; then
            umount -R -l "$dir/$m" || echo "warning: could not unmount $dir/$m" >&2
        fi
    done
    if [ -f "$dir/.tcpdiag-self-bind" ] && mountpoint -q "$dir"; then
        rm -f "$dir/.tcpdiag-self-bind"
        umount -R -l "$dir" || echo "warning: could not unmount $dir" >&2
    fi
    # Anything else left under it (a run killed half-way), deepest first.
    mounts_under "$dir" | sort -r | while IFS= read -r m; do
        umount -l "$m" || echo "warning: could not unmount $m" >&2
    done
}

# The mount points below DIR (mountinfo escapes spaces as \040).
mounts_under() {
    awk -v d="$1/" '{ p = $5; gsub(/\\040/, " ", p); if (index(p, d) == 1) print p }' /proc/self/mountinfo
}

# remove_root DIR: unmounted first; rm never crosses into a mount (the
# host's /dev above all), and refuses if something is still mounted.
remove_root() {
    dir=$1
    [ -e "$dir" ] || return 0
    # Only what looks like a Debian root (made here, or a debootstrap that
    # stopped half-way): never a folder given by mistake.
    if [ ! -f "$dir/.tcpdiag-root-made" ] && [ ! -d "$dir/debootstrap" ] &&
        [ ! -f "$dir/etc/debian_version" ] && [ -n "$(ls -A "$dir")" ]; then
        die "$dir is not a Debian root made by this script: not removing it"
    fi
    umount_root "$dir"
    if [ -n "$(mounts_under "$dir")" ]; then
        die "something is still mounted under $dir: not removing it"
    fi
    rm -rf --one-file-system "$dir"
}

# in_root DIR COMMAND...: run a command inside, with a plain environment.
in_root() {
    dir=$1
    shift
    chroot "$dir" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 TERM=dumb "$@"
}

# enter_root RELEASE DIR GROUPS...: make the root (kept if made), mount it
# (unmounted when the script exits), bind the source tree at /src and
# install the dependency groups of tools/install-deps.sh in it.
enter_root() {
    release=$1 dir=$2
    shift 2
    make_root "$release" "$dir"
    trap "umount_root '$dir'" EXIT
    trap 'exit 130' INT TERM HUP
    mount_root "$dir"
    bind_ro "$SRC" "$dir"
    echo "== installing the dependencies in $release"
    in_root "$dir" /src/tools/install-deps.sh "$@" >"$dir.apt.log" 2>&1 ||
        { tail -30 "$dir.apt.log" >&2; die "installing the dependencies failed (log: $dir.apt.log)"; }
    in_root "$dir" tshark --version | head -1
}
