# Sourced by Scripts/demo, Scripts/test and .ci/run: installs what depot needs, idempotently.
# - Debian packages: the C libraries depot links and the peers its tests and benchmarks use.
# - .venv: Python peers for the tests (olah, a real Hub mirror; huggingface_hub, the real client;
#   safetensors and coremltools, which write the reference files the format readers are checked against).

DEPOT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DEPOT_VENV="${DEPOT_VENV:-$DEPOT_ROOT/.venv}"
DEPOT_APT_PACKAGES=(libcurl4-openssl-dev libsqlite3-dev libopenblas-dev libarchive-dev libarchive-tools pkg-config git curl openssl)
DEPOT_PIP_PACKAGES=(olah huggingface_hub filelock safetensors numpy coremltools)

depot_log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

depot_install_apt() {
    local missing=()
    for pkg in "${DEPOT_APT_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    depot_log "installing Debian packages: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

depot_install_venv() {
    if [ ! -x "$DEPOT_VENV/bin/python" ]; then
        depot_log "creating the Python venv for test peers at $DEPOT_VENV"
        python3 -m venv "$DEPOT_VENV"
    fi
    if ! "$DEPOT_VENV/bin/python" -c "import olah, huggingface_hub, filelock, safetensors, numpy, coremltools" 2>/dev/null; then
        depot_log "installing Python peers: ${DEPOT_PIP_PACKAGES[*]}"
        "$DEPOT_VENV/bin/pip" install -q --disable-pip-version-check "${DEPOT_PIP_PACKAGES[@]}"
    fi
}

depot_setup() {
    depot_install_apt
    depot_install_venv
    export DEPOT_TEST_PYTHON="$DEPOT_VENV/bin/python"
}
