# SPDX-License-Identifier: GPL-2.0-or-later
# Sourced by tests/in-root.sh and tests/fresh-machine.sh: make a Debian root
# with debootstrap and enter it.  Needs root.
#
# Wireshark series per Debian release: bookworm 4.0, trixie 4.4, forky and
# sid 4.6.  No Debian release has 4.2.

MIRROR=${TCPDIAG_MIRROR:-http://deb.debian.org/debian}
ROOT_MOUNTS=""

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
    if [ ! -f "$dir/etc/debian_version" ]; then
        script=""
        # debootstrap has no script named forky before Debian 13's; testing
        # is made the way sid is.
        [ -e "/usr/share/debootstrap/scripts/$release" ] || script=/usr/share/debootstrap/scripts/sid
        echo "== debootstrap $release into $dir"
        mkdir -p "$dir"
        debootstrap --variant=minbase "$release" "$dir" "$MIRROR" $script >"$dir.debootstrap.log" 2>&1 ||
            { tail -20 "$dir.debootstrap.log" >&2; die "debootstrap $release failed (log: $dir.debootstrap.log)"; }
    fi
    # Testing's Release file may be past its Valid-Until date on a mirror
    # or snapshot; the packages are still what the release holds.
    echo 'Acquire::Check-Valid-Until "false";' >"$dir/etc/apt/apt.conf.d/99tcpdiag-valid-until"
    echo "deb $MIRROR $release main" >"$dir/etc/apt/sources.list"
    cp /etc/resolv.conf "$dir/etc/resolv.conf" 2>/dev/null || true
}

# mount_root DIR: /proc, /sys and the host's /dev (with /dev/pts and
# /dev/shm) inside; umount_root undoes it.  The /dev tree is a slave of
# the host's, so unmounting it inside never unmounts the host's.
mount_root() {
    dir=$1
    for m in proc sys dev; do
        mkdir -p "$dir/$m"
        mountpoint -q "$dir/$m" && continue
        case $m in
        proc) mount -t proc proc "$dir/proc" ;;
        sys) mount -t sysfs sysfs "$dir/sys" ;;
        dev) mount --rbind /dev "$dir/dev" && mount --make-rslave "$dir/dev" ;;
        esac
        ROOT_MOUNTS="$dir/$m $ROOT_MOUNTS"
    done
}

# bind_ro SRC DIR/PATH: SRC seen read-only inside the root.
bind_ro() {
    mkdir -p "$2"
    mount --bind "$1" "$2"
    mount -o remount,bind,ro "$2"
    ROOT_MOUNTS="$2 $ROOT_MOUNTS"
}

umount_root() {
    for m in $ROOT_MOUNTS; do
        umount -R -l "$m" 2>/dev/null || true
    done
    ROOT_MOUNTS=""
}

# in_root DIR COMMAND...: run a command inside, with a plain environment.
in_root() {
    dir=$1
    shift
    chroot "$dir" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 TERM=dumb "$@"
}
