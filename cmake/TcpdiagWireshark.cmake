# SPDX-License-Identifier: GPL-2.0-or-later
# Find the Wireshark development files and check their series: a plugin is
# built for one major.minor release (4.0, 4.2, 4.4, 4.6) and Wireshark
# refuses a plugin built for another.  plugin/ws-compat.h holds the
# differences between the series.
set(TCPDIAG_SUPPORTED_SERIES 4.0 4.2 4.4 4.6)
string(REPLACE ";" ", " _tcpdiag_series_list "${TCPDIAG_SUPPORTED_SERIES}")

find_package(Wireshark CONFIG QUIET)
if(NOT Wireshark_FOUND)
    message(FATAL_ERROR
        "Wireshark development files not found.\n"
        "On Debian/Ubuntu: sudo apt-get install wireshark-dev libwireshark-dev\n"
        "Elsewhere, point CMake at WiresharkConfig.cmake with "
        "-DWireshark_DIR=/path/to/lib/wireshark/cmake\n"
        "tcpdiag builds against Wireshark ${_tcpdiag_series_list}.")
endif()
if(NOT Wireshark_PLUGINS_ENABLED)
    message(FATAL_ERROR "This Wireshark was built without plugin support.")
endif()
set(TCPDIAG_WS_ABI "${Wireshark_MAJOR_VERSION}.${Wireshark_MINOR_VERSION}")
if(NOT TCPDIAG_WS_ABI IN_LIST TCPDIAG_SUPPORTED_SERIES)
    message(FATAL_ERROR
        "tcpdiag builds against Wireshark ${_tcpdiag_series_list}; found "
        "${Wireshark_VERSION} (${Wireshark_DIR}).\n"
        "Install the development files of a supported series, or point CMake at "
        "one with -DWireshark_DIR=/path/to/lib/<arch>/cmake/wireshark.")
endif()
message(STATUS "Building against Wireshark ${Wireshark_VERSION} (series ${TCPDIAG_WS_ABI})")
