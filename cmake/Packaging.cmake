# Installation and the Debian package (CPack DEB): `make deb`, or
# `cmake --build build --target package`.
#
#   bin/paperboy                          (its data is built in)
#   share/man/man1/paperboy.1.gz          man/paperboy.1, gzip -9n (Debian policy 12.1)
#   share/bash-completion/completions/paperboy   data/completion/paperboy.bash
#   share/doc/paperboy/examples/          data/paperboy.ini, cron, systemd, GitHub Actions
#   share/doc/paperboy/changelog.gz       (the package only: Debian policy 12.7; a
#                                         native package, so not changelog.Debian.gz)
#   share/lintian/overrides/paperboy      (the package only)
include(GNUInstallDirs)

find_program(GZIP_EXECUTABLE gzip REQUIRED)

# The man page, compressed at build time: -n keeps name and time out of the header,
# so the .gz is the same bytes on every build.
set(PAPERBOY_MAN_GZ ${CMAKE_BINARY_DIR}/paperboy.1.gz)
add_custom_command(OUTPUT ${PAPERBOY_MAN_GZ}
  COMMAND ${GZIP_EXECUTABLE} -9n -c ${CMAKE_SOURCE_DIR}/man/paperboy.1 > ${PAPERBOY_MAN_GZ}
  DEPENDS ${CMAKE_SOURCE_DIR}/man/paperboy.1
  COMMENT "gzip -9n man/paperboy.1"
  VERBATIM)
add_custom_target(paperboy_man ALL DEPENDS ${PAPERBOY_MAN_GZ})
install(FILES ${PAPERBOY_MAN_GZ} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

# bash-completion loads completions/NAME on the first <TAB> after NAME: no .bash suffix.
install(FILES ${CMAKE_SOURCE_DIR}/data/completion/paperboy.bash
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME paperboy)

install(FILES ${CMAKE_SOURCE_DIR}/data/paperboy.ini DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/examples/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)

# ---- the .deb ----
set(PAPERBOY_MAINTAINER "paperboy maintainers <maintainers@users.noreply.r-seed-ea58e151.example>"
    CACHE STRING "The .deb's Maintainer field")
set(PAPERBOY_HOMEPAGE "" CACHE STRING "The .deb's Homepage field (empty: none)")

# Debian wants a changelog in every binary package. A minimal one, of this version,
# dated by the last commit (not the build time) so rebuilds give the same bytes.
execute_process(COMMAND git log -1 --format=%aD
  WORKING_DIRECTORY ${CMAKE_SOURCE_DIR} OUTPUT_VARIABLE PAPERBOY_CHANGELOG_DATE
  OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT PAPERBOY_CHANGELOG_DATE)
  string(TIMESTAMP PAPERBOY_CHANGELOG_DATE "%a, %d %b %Y %H:%M:%S +0000" UTC)
endif()
configure_file(${CMAKE_SOURCE_DIR}/cmake/changelog.in ${CMAKE_BINARY_DIR}/changelog @ONLY)
set(PAPERBOY_CHANGELOG_GZ ${CMAKE_BINARY_DIR}/changelog.gz)
add_custom_command(OUTPUT ${PAPERBOY_CHANGELOG_GZ}
  COMMAND ${GZIP_EXECUTABLE} -9n -c ${CMAKE_BINARY_DIR}/changelog > ${PAPERBOY_CHANGELOG_GZ}
  DEPENDS ${CMAKE_BINARY_DIR}/changelog
  VERBATIM)
add_custom_target(paperboy_changelog ALL DEPENDS ${PAPERBOY_CHANGELOG_GZ})
# Only in the package (component deb): `make install` into /usr/local has no use for it.
install(FILES ${PAPERBOY_CHANGELOG_GZ} DESTINATION ${CMAKE_INSTALL_DOCDIR}
        COMPONENT deb EXCLUDE_FROM_ALL)
# Debian policy 12.5: every package carries its copyright file (a .deb without one is
# lintian's no-copyright-file error).
install(FILES ${CMAKE_SOURCE_DIR}/cmake/copyright DESTINATION ${CMAKE_INSTALL_DOCDIR}
        COMPONENT deb EXCLUDE_FROM_ALL)
install(FILES ${CMAKE_SOURCE_DIR}/cmake/lintian-overrides DESTINATION ${CMAKE_INSTALL_DATADIR}/lintian/overrides
        RENAME paperboy COMPONENT deb EXCLUDE_FROM_ALL)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME paperboy)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT ${PAPERBOY_MAINTAINER})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Hugging Face Daily Papers as a Chinese newsletter")
# The summary is the first line; this is the long description after it.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "paperboy fetches the day's Hugging Face Daily Papers into a SQLite archive,
has any OpenAI-compatible LLM translate each title and abstract into Chinese,
and writes the edition as Markdown and HTML with a word cloud, a trend chart,
a poster and a spoken MP3 broadcast with a podcast feed. It builds a static
site of every edition, delivers editions by e-mail and to chat channels
(Feishu, DingTalk, WeCom, Slack, Discord, Telegram), and checks that the
newsletter is still going out. Runs offline with 'paperboy demo'.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION mail)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER ${PAPERBOY_MAINTAINER})
if(PAPERBOY_HOMEPAGE)
  set(CPACK_DEBIAN_PACKAGE_HOMEPAGE ${PAPERBOY_HOMEPAGE})
endif()
# dpkg-shlibdeps works out the libraries; these are the data paperboy reads at run
# time that no library pulls in: the CJK font of the pictures, espeak-ng's voices,
# OpenCC's zh-TW tables, the CAs for HTTPS.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "fonts-noto-cjk, espeak-ng-data, libopencc-data, ca-certificates")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
# One package of everything, the deb-only changelog included.
set(CPACK_COMPONENTS_ALL Unspecified deb)
set(CPACK_COMPONENTS_GROUPING ALL_COMPONENTS_IN_ONE)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_PACKAGE_DIRECTORY ${CMAKE_BINARY_DIR})
include(CPack)
