# Helpers for .ci/run: timed steps, background jobs whose failure fails the run, a summary.
# Sourced, not run. Needs bash >= 5 (EPOCHREALTIME) and `set -m` in the caller, so that each
# background job is a process group of its own that can be stopped whole.

_TIMINGS=()
_JOBS=() # background jobs not awaited yet: stopped if the run ends early
_KEEP=() # ... except these, which are waited for (stopping apt-get midway breaks dpkg)

_now() { echo "${EPOCHREALTIME/,/.}"; }
_since() { awk -v a="$1" -v b="$(_now)" 'BEGIN { printf "%.1f", b - a }'; }
_record() { _TIMINGS+=("$(printf '%7ss  %s' "$2" "$1")"); }
_forget() {
    local name=$1 kept=() job
    for job in "${_JOBS[@]}"; do [ "$job" = "$name" ] || kept+=("$job"); done
    _JOBS=("${kept[@]}")
}

# step TITLE COMMAND...: run COMMAND in the foreground, print and record how long it took.
step() {
    local title=$1 start took
    shift
    start=$(_now)
    echo
    echo "== $title"
    if ! "$@"; then
        echo "!! FAILED: $title (after $(_since "$start")s)"
        exit 1
    fi
    took=$(_since "$start")
    echo "-- $title: ${took}s"
    _record "$title" "$took"
}

# background [--keep] NAME COMMAND...: start COMMAND now; its output waits in
# $CI_TMP/NAME.log until `await NAME` prints it. Only for jobs that share nothing with the
# foreground but the machine. --keep: never stopped early, waited for instead.
background() {
    if [ "$1" = --keep ]; then
        shift
        _KEEP+=("$1")
    fi
    local name=$1
    shift
    echo "== $name: started in the background"
    (
        start=$(_now)
        rc=0
        "$@" >"$CI_TMP/$name.log" 2>&1 </dev/null || rc=$?
        echo "$rc $(_since "$start")" >"$CI_TMP/$name.status"
    ) &
    echo $! >"$CI_TMP/$name.pid"
    _JOBS+=("$name")
}

# await NAME: wait for a background job, print its output, fail the run if it failed.
await() {
    local name=$1 start rc took
    start=$(_now)
    wait "$(cat "$CI_TMP/$name.pid")" || true
    _forget "$name"
    read -r rc took <"$CI_TMP/$name.status"
    echo
    echo "== $name (ran in the background; waited $(_since "$start")s for it)"
    cat "$CI_TMP/$name.log"
    if [ "$rc" != 0 ]; then
        echo "!! FAILED: $name (exit $rc after ${took}s)"
        exit 1
    fi
    echo "-- $name: ${took}s"
    _record "$name (background)" "$took"
}

# On an early end: stop what this run started in the background (each job's own process
# group, by its pid), but let the --keep jobs finish.
stop_background() {
    local name pid
    for name in "${_JOBS[@]}"; do
        pid=$(cat "$CI_TMP/$name.pid")
        if [[ " ${_KEEP[*]} " == *" $name "* ]]; then
            echo "(waiting for $name to finish before leaving)"
            wait "$pid" 2>/dev/null || true
        else
            kill -- "-$pid" 2>/dev/null || true
            wait "$pid" 2>/dev/null || true
        fi
    done
}

_TIMINGS_SHOWN=
print_timings() { # also called on an early end (by the EXIT trap), once
    [ -z "$_TIMINGS_SHOWN" ] || return 0
    _TIMINGS_SHOWN=1
    echo
    echo "== step times (wall clock; background jobs overlap the steps beside them)"
    printf '%s\n' "${_TIMINGS[@]}"
    printf '%7ss  whole run\n' "$(_since "$CI_START")"
}
