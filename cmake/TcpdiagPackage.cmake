# SPDX-License-Identifier: GPL-2.0-or-later
# The Debian package (cpack -G DEB in the build folder): one per Wireshark
# series, holding the plugin in Wireshark's global plugin folder and the
# profile in its global profiles.  dpkg-shlibdeps (packages dpkg-dev and
# file) makes it depend on the libwireshark it was built against
# (libwireshark16 for 4.0, libwireshark18 for 4.4, libwireshark19 for 4.6).
if(NOT TCPDIAG_PACKAGE_OK)
    message(STATUS "No package: TCPDIAG_PERSONAL_INSTALL or TCPDIAG_INSTALL_DIR is set")
    return()
endif()

set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "tcpdiag")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_CONTACT "tcpdiag developers <tcpdiag@example.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Wireshark plugin that explains why TCP connections fail")
set(CPACK_PACKAGE_DESCRIPTION "tcpdiag is a post-dissector for Wireshark and tshark that follows every TCP
conversation through its handshake and teardown, keeps both endpoints'
netstat states and explains in one line, with the numbers, why a
connection did not open, was reset or hangs. It comes with the Wireshark
configuration profile 'TCP diagnosis'. Built for Wireshark ${TCPDIAG_WS_ABI}.")
set(CPACK_PACKAGING_INSTALL_PREFIX "${Wireshark_INSTALL_PREFIX}")
set(CPACK_DEBIAN_PACKAGE_SECTION "net")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_RELEASE "1+ws${TCPDIAG_WS_ABI}")
set(CPACK_DEBIAN_FILE_NAME "DEB-DEFAULT")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "tshark | wireshark")
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://example.org/tcpdiag")
set(CPACK_STRIP_FILES ON)
include(CPack)
