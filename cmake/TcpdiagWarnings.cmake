# SPDX-License-Identifier: GPL-2.0-or-later
# -Wall -Wextra -Werror on our own sources only.
function(tcpdiag_strict_warnings target)
    target_compile_options(${target} PRIVATE -Wall -Wextra -Werror
        -Wshadow -Wpointer-arith -Wformat=2 -Wstrict-prototypes)
endfunction()
