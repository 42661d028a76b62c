# SPDX-License-Identifier: GPL-2.0-or-later
# Find the Wireshark development files and insist on the 4.0 series: a
# plugin is built for one major.minor release and Wireshark refuses others.
find_package(Wireshark CONFIG QUIET)
if(NOT Wireshark_FOUND)
    message(FATAL_ERROR
        "Wireshark development files not found.\n"
        "On Debian/Ubuntu: sudo apt-get install wireshark-dev libwireshark-dev\n"
        "Elsewhere, point CMake at WiresharkConfig.cmake with "
        "-DWireshark_DIR=/path/to/lib/wireshark/cmake")
endif()
if(NOT Wireshark_PLUGINS_ENABLED)
    message(FATAL_ERROR "This Wireshark was built without plugin support.")
endif()
if(NOT "${Wireshark_MAJOR_VERSION}.${Wireshark_MINOR_VERSION}" STREQUAL "4.0")
    message(FATAL_ERROR
        "tcpdiag supports Wireshark 4.0.x; found ${Wireshark_VERSION} "
        "(${Wireshark_DIR}).")
endif()
set(TCPDIAG_WS_ABI "${Wireshark_MAJOR_VERSION}.${Wireshark_MINOR_VERSION}")
message(STATUS "Building against Wireshark ${Wireshark_VERSION}")
