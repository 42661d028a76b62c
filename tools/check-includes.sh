#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The modules of plugin/ must include each other without a cycle, so that
# they read bottom up.  A module is a file name without .c or .h (td_rst.c
# and td_rst.h are the module td_rst); a module depends on every module
# whose header one of its files includes with "...".  Exits 1 and names
# the modules of a cycle if there is one (tsort finds it).
#
#   tools/check-includes.sh [--print] [DIR]
#
# DIR defaults to plugin/ beside this script; --print also lists each
# module with the modules it depends on.
set -eu
print=0
if [ "${1:-}" = --print ]; then
    print=1
    shift
fi
dir=${1:-"$(dirname "$0")/../plugin"}

edges=$(find "$dir" -name '*.[ch]' | sort | while read -r f; do
    m=$(basename "$f")
    m=${m%.?}
    echo "$m $m"    # every module is a node, also one that includes nothing
    sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f" |
    while read -r inc; do
        t=$(basename "$inc")
        t=${t%.?}
        [ "$t" = "$m" ] || echo "$m $t"
    done
done | sort -u)

if [ -z "$edges" ]; then
    echo "check-includes: no C files under $dir" >&2
    exit 1
fi
if [ "$print" = 1 ]; then
    echo "$edges" | awk '$1 != $2 { d[$1] = d[$1] " " $2 } { n[$1] = 1 }
        END { for (m in n) print m " ->" d[m] }' | sort
fi
if ! echo "$edges" | tsort >/dev/null; then
    echo "check-includes: the modules above form an include cycle" >&2
    exit 1
fi
echo "check-includes: $(echo "$edges" | awk '{ print $1 }' | sort -u | wc -l) modules, no cycle"
