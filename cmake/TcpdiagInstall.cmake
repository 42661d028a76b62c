# SPDX-License-Identifier: GPL-2.0-or-later
# Where `cmake --install` (and the Debian package) put the plugin and the
# configuration profile "TCP diagnosis":
#
#   default                     Wireshark's global folders (root): the
#                               plugin in <prefix>/<libdir>/wireshark/
#                               plugins/X.Y/epan, the profile in
#                               <prefix>/share/wireshark/profiles; the
#                               prefix is Wireshark's own (/usr on Debian).
#                               This is what the package holds.
#   -DTCPDIAG_PERSONAL_INSTALL=ON  the personal folders of the user who
#                               configures: ~/.local/lib/wireshark/plugins/
#                               X.Y/epan and Wireshark's personal profiles
#                               (~/.config/wireshark/profiles).  No package.
#   -DTCPDIAG_INSTALL_DIR=/path the plugin into that folder instead (the
#                               profile as above).  No package.
option(TCPDIAG_PERSONAL_INSTALL "Install into the personal folders of the user who configures" OFF)
set(TCPDIAG_INSTALL_DIR "" CACHE PATH "Folder the plugin is installed into (empty: by TCPDIAG_PERSONAL_INSTALL)")
set(TCPDIAG_PROFILE_NAME "TCP diagnosis")

# A build folder configured before this layout kept the personal folder as
# TCPDIAG_INSTALL_DIR and CMake's /usr/local as prefix: take them for the
# defaults they were, not for the user's choice.
if(DEFINED _TCPDIAG_LAST_DEFAULT)
    if(TCPDIAG_INSTALL_DIR STREQUAL _TCPDIAG_LAST_DEFAULT)
        set(TCPDIAG_INSTALL_DIR "" CACHE PATH "Folder the plugin is installed into" FORCE)
    endif()
    if(CMAKE_INSTALL_PREFIX STREQUAL "/usr/local")
        set(CMAKE_INSTALL_PREFIX_INITIALIZED_TO_DEFAULT TRUE)
    endif()
    unset(_TCPDIAG_LAST_DEFAULT CACHE)
endif()
if(CMAKE_INSTALL_PREFIX_INITIALIZED_TO_DEFAULT)
    set(CMAKE_INSTALL_PREFIX "${Wireshark_INSTALL_PREFIX}" CACHE PATH "Install prefix" FORCE)
endif()

if(TCPDIAG_PERSONAL_INSTALL)
    # Wireshark's personal configuration folder: ~/.wireshark if it
    # exists (the old place), else $XDG_CONFIG_HOME/wireshark.
    if(EXISTS "$ENV{HOME}/.wireshark")
        set(_tcpdiag_conf "$ENV{HOME}/.wireshark")
    elseif(DEFINED ENV{XDG_CONFIG_HOME} AND NOT "$ENV{XDG_CONFIG_HOME}" STREQUAL "")
        set(_tcpdiag_conf "$ENV{XDG_CONFIG_HOME}/wireshark")
    else()
        set(_tcpdiag_conf "$ENV{HOME}/.config/wireshark")
    endif()
    set(TCPDIAG_PLUGIN_DEST "$ENV{HOME}/.local/lib/wireshark/plugins/${TCPDIAG_WS_ABI}/epan")
    set(TCPDIAG_PROFILE_DEST "${_tcpdiag_conf}/profiles")
else()
    # Relative: under CMAKE_INSTALL_PREFIX, and under /usr in the package.
    set(TCPDIAG_PLUGIN_DEST "${Wireshark_PLUGIN_LIBDIR}/epan")
    set(TCPDIAG_PROFILE_DEST "share/wireshark/profiles")
endif()
if(TCPDIAG_INSTALL_DIR)
    set(TCPDIAG_PLUGIN_DEST "${TCPDIAG_INSTALL_DIR}")
endif()
set(TCPDIAG_PACKAGE_OK TRUE)
if(TCPDIAG_PERSONAL_INSTALL OR TCPDIAG_INSTALL_DIR)
    set(TCPDIAG_PACKAGE_OK FALSE)
endif()

if(IS_ABSOLUTE "${TCPDIAG_PLUGIN_DEST}")
    message(STATUS "tcpdiag will be installed into ${TCPDIAG_PLUGIN_DEST}")
else()
    message(STATUS "tcpdiag will be installed into ${CMAKE_INSTALL_PREFIX}/${TCPDIAG_PLUGIN_DEST}")
endif()
