# SPDX-License-Identifier: GPL-2.0-or-later
# Where `cmake --install` puts the plugin:
#   default                        the personal plugin folder of the user
#                                  running the install:
#                                  ~/.local/lib/wireshark/plugins/4.0/epan
#   -DTCPDIAG_SYSTEM_INSTALL=ON     Wireshark's global plugin folder
#   -DTCPDIAG_INSTALL_DIR=/path    anywhere
option(TCPDIAG_SYSTEM_INSTALL "Install into Wireshark's global plugin folder" OFF)
if(TCPDIAG_SYSTEM_INSTALL)
    set(_tcpdiag_default_dir "${Wireshark_PLUGIN_INSTALL_DIR}/epan")
else()
    set(_tcpdiag_default_dir "$ENV{HOME}/.local/lib/wireshark/plugins/${TCPDIAG_WS_ABI}/epan")
endif()
# Follow the default while the user has not chosen a folder of their own.
if(NOT TCPDIAG_INSTALL_DIR OR TCPDIAG_INSTALL_DIR STREQUAL "${_TCPDIAG_LAST_DEFAULT}")
    set(TCPDIAG_INSTALL_DIR "${_tcpdiag_default_dir}" CACHE PATH
        "Folder the plugin is installed into" FORCE)
endif()
set(_TCPDIAG_LAST_DEFAULT "${_tcpdiag_default_dir}" CACHE INTERNAL "")
message(STATUS "tcpdiag will be installed into ${TCPDIAG_INSTALL_DIR}")
