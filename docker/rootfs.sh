#!/bin/sh
# Gathers the runtime image's files under $1 (docker/Dockerfile's rootfs stage, on a Debian
# base where busybox and PYTHON_PACKAGES are installed and $1/usr/local/bin/glue-local is
# in place): python3 with its standard library less what a batch job never uses, what
# PYTHON_PACKAGES put in dist-packages, busybox as sh and the usual commands, the users,
# and every shared library these load, as ldd resolves it here. Nothing else of the
# base (apt, dpkg, perl, coreutils, docs, locales) reaches the image.
set -eu
root=$1

copy() {
    for path in "$@"; do
        cp -a --parents "$path" "$root"
    done
}

python=$(readlink -f /usr/bin/python3)
stdlib=$(python3 -c 'import sysconfig; print(sysconfig.get_path("stdlib"))')
copy /usr/bin/python3 "$python" "$stdlib"
# Debian's sitecustomize.py (in the stdlib folder) links to /etc/python3.X.
if [ -d "/etc/${stdlib##*/}" ]; then copy "/etc/${stdlib##*/}"; fi
if [ -n "$(ls -A /usr/lib/python3/dist-packages 2>/dev/null)" ]; then copy /usr/lib/python3/dist-packages; fi
# Python's ssl module and certifi (python3-boto3) look for the CA bundle here.
if [ -e /etc/ssl/certs/ca-certificates.crt ]; then cp -L --parents /etc/ssl/certs/ca-certificates.crt "$root"; fi

# Tests, docs and terminal or database modules a job has no use for (and their libraries).
(
    cd "$root$stdlib"
    rm -rf test idlelib tkinter turtledemo ensurepip lib2to3 pydoc_data config-*
    cd lib-dynload
    rm -f _test* _ctypes_test.* _xxtestfuzz.* _xxsubinterpreters.* xxlimited* \
        readline.* _curses* nis.* _dbm.* ossaudiodev.*
)
find "$root" -name '*.opt-[12].pyc' -delete

mkdir -p "$root/bin"
cp "$(command -v busybox)" "$root/bin/busybox"
for applet in $(busybox --list); do
    [ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
done

# Every ELF file's libraries and the loader; one that ldd cannot find fails the build.
find "$root" -type f \( -perm -u+x -o -name '*.so' -o -name '*.so.*' \) -exec ldd {} \; >/tmp/ldd 2>/dev/null
if grep '=> not found' /tmp/ldd >&2; then exit 1; fi
awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' /tmp/ldd | sort -u >/tmp/libraries
while read -r library; do
    cp -L --parents "$library" "$root"
done </tmp/libraries

mkdir -p "$root/etc" "$root/tmp" "$root/var/lib/glue-local"
printf 'root:x:0:0:root:/root:/bin/false\nglue:x:10001:10001:glue-local:/var/lib/glue-local:/bin/false\n' \
    >"$root/etc/passwd"
printf 'root:x:0:\nglue:x:10001:\n' >"$root/etc/group"
chmod 1777 "$root/tmp"
chown 10001:10001 "$root/var/lib/glue-local"
