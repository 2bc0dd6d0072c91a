#!/bin/sh
# cutover-helper: every host-side action of a cutover, one POSIX sh file.
# Built by remote-helper/build.sh from the parts remote-helper/src/NN-name.sh: edit those.
#
# Protocol (docs/helper-protocol.md): one JSON object on stdout
#   {"ok":bool,"changed":bool,"data":{...}[,"error":"..."]}
# human logs on stderr; exit 0 ok, 1 failed, 2 usage, 3 precondition not met,
# 4 verification failed, 75 busy (lock held).
#
# Runs under dash, busybox ash and bash; shellcheck -s sh clean.
# shellcheck disable=SC3043,SC2015,SC2016
# SC3043: `local` exists in dash, ash and bash alike. SC2015: `a && b || die`
# is meant. SC2016: gdb's $registers are written literally on purpose.

VERSION=0.3.0
PROG=cutover-helper
SELF=$0

