#!/usr/bin/env bash
# Mutation check: applies one-line mutations of the code (scripts/mutations.txt) one at a time in a
# scratch copy of the tree, builds only the test targets each one names, runs those tests, and prints
# a table: mutation, tests run, killed/survived. A mutation no test catches ("survived") is a hole in
# the tests.
#
# Usage: scripts/mutation-check.sh [-l LIST] [-m NAME_REGEX] [-j JOBS] [-o TABLE.md]
#   -l LIST        mutation list (default scripts/mutations.txt; format described at its top)
#   -m NAME_REGEX  only the mutations whose name matches (grep -E)
#   -j JOBS        ninja jobs (default 2)
#   -o TABLE.md    also write the table to this file
# Environment: MUTATION_WORK (default ${TMPDIR:-/tmp}/canopy-mutation-$USER): the scratch copy
# (src/) and its build directory (build/) live there and are reused, so a second run rebuilds only
# what changed (ccache makes restoring an original file a cache hit).
#
# Before any mutation every listed test runs once on the unmutated copy: a test that fails there
# makes its mutations "baseline fails" (no verdict). Exit status: 0 when every mutation was killed,
# 1 when one survived or could not be judged (pattern missing or not unique, build failed, baseline
# fails), 2 on usage errors.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
list="$root/scripts/mutations.txt"
only=""
jobs=2
table_out=""
while getopts "l:m:j:o:h" opt; do
    case "$opt" in
    l) list="$OPTARG" ;;
    m) only="$OPTARG" ;;
    j) jobs="$OPTARG" ;;
    o) table_out="$OPTARG" ;;
    h) sed -n "2,18p" "$0"; exit 0 ;;
    *) sed -n "2,18p" "$0" >&2; exit 2 ;;
    esac
done
[[ -f "$list" ]] || { echo "mutation-check: no mutation list $list" >&2; exit 2; }
list="$(cd "$(dirname "$list")" && pwd)/$(basename "$list")"
work="${MUTATION_WORK:-${TMPDIR:-/tmp}/canopy-mutation-${USER:-$(id -un)}}"
src="$work/src"
build="$work/build"
logs="$work/logs"
mkdir -p "$src" "$build" "$logs"

# ---------------------------------------------------------------- the mutation list
names=() files=() afters=() finds=() replaces=() targets=() tests=()
parse_list() {
    local name="" file="" after="" find="" replace="" tgt="" tst="" have_replace=0 lineno=0 line key value
    flush() {
        if [[ -n "$name" ]]; then
            if [[ -z "$file" || -z "$find" || $have_replace -eq 0 || -z "$tgt" ]]; then
                echo "mutation-check: $list: mutation '$name' needs file, find, replace and targets" >&2
                exit 2
            fi
            if [[ -z "$only" ]] || grep -Eq -- "$only" <<<"$name"; then
                names+=("$name") files+=("$file") afters+=("$after") finds+=("$find") replaces+=("$replace")
                targets+=("$tgt")
                if [[ -z "$tst" ]]; then tst="^($(tr ' ' '|' <<<"$tgt"))\$"; fi
                tests+=("$tst")
            fi
        fi
        name="" file="" after="" find="" replace="" tgt="" tst="" have_replace=0
    }
    while IFS= read -r line || [[ -n "$line" ]]; do
        lineno=$((lineno + 1))
        [[ "$line" =~ ^[[:space:]]*# ]] && continue
        if [[ -z "${line//[[:space:]]/}" ]]; then flush; continue; fi
        if [[ ! "$line" =~ ^([a-z]+):[[:space:]]?(.*)$ ]]; then
            echo "mutation-check: $list:$lineno: expected 'key: value', got: $line" >&2
            exit 2
        fi
        key="${BASH_REMATCH[1]}" value="${BASH_REMATCH[2]}"
        case "$key" in
        name) flush; name="$value" ;;
        file) file="$value" ;;
        after) after="$value" ;;
        find) find="$value" ;;
        replace) replace="$value"; have_replace=1 ;;
        targets) tgt="$(xargs <<<"$value")" ;;
        tests) tst="$value" ;;
        why) ;;
        *) echo "mutation-check: $list:$lineno: unknown key '$key'" >&2; exit 2 ;;
        esac
    done <"$list"
    flush
}
parse_list
[[ ${#names[@]} -gt 0 ]] || { echo "mutation-check: no mutations selected" >&2; exit 2; }

# ---------------------------------------------------------------- the scratch copy
# Copies the working tree (tracked and untracked, not ignored files) into $src, touching only files
# whose bytes differ, and removes files that are gone: unchanged files keep their mtime, so ninja
# rebuilds only what changed since the last run.
sync_tree() {
    (cd "$root" && git ls-files -z --cached --others --exclude-standard) | python3 -c '
import os, shutil, sys
root, dst = sys.argv[1], sys.argv[2]
wanted = [p for p in sys.stdin.buffer.read().decode().split("\0") if p]
keep = set()
for rel in wanted:
    s, d = os.path.join(root, rel), os.path.join(dst, rel)
    if not os.path.isfile(s):
        continue  # deleted in the working tree but still in the index
    keep.add(rel)
    try:
        same = os.path.getsize(s) == os.path.getsize(d) and open(s, "rb").read() == open(d, "rb").read()
    except OSError:
        same = False
    if not same:
        os.makedirs(os.path.dirname(d), exist_ok=True)
        shutil.copyfile(s, d)
        shutil.copymode(s, d)
for dirpath, dirnames, filenames in os.walk(dst):
    for f in filenames:
        rel = os.path.relpath(os.path.join(dirpath, f), dst)
        if rel not in keep:
            os.remove(os.path.join(dirpath, f))
' "$root" "$src"
}

# Applies mutation $1 (index) in $src: the `find` fragment must occur exactly once in the file, or
# (with `after`) the `after` fragment exactly once and `find` somewhere after it (the first such
# occurrence is mutated). Prints the mutated line; exit 3 when a fragment is missing or not unique.
apply_mutation() {
    python3 -c '
import sys
path, after, find, replace = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
text = open(path, encoding="utf-8").read()
start = 0
if after:
    n = text.count(after)
    if n != 1:
        print(f"after-pattern found {n} times", file=sys.stderr)
        sys.exit(3)
    start = text.rfind("\n", 0, text.index(after)) + 1
    if text.find(find, start) < 0:
        print("pattern not found after the after-pattern", file=sys.stderr)
        sys.exit(3)
else:
    n = text.count(find)
    if n != 1:
        print(f"pattern found {n} times", file=sys.stderr)
        sys.exit(3)
at = text.index(find, start)
text = text[:at] + replace + text[at + len(find):]
open(path, "w", encoding="utf-8").write(text)
start = text.rfind("\n", 0, at) + 1
end = text.find("\n", at + len(replace))
print(text[start:end if end >= 0 else len(text)].strip())
' "$src/${files[$1]}" "${afters[$1]}" "${finds[$1]}" "${replaces[$1]}"
}

# Puts back the original of mutated file $1 (a fresh mtime, so ninja rebuilds it; ccache hits).
restore_file() { cp "$root/$1" "$src/$1"; }

echo "== syncing $root -> $src"
sync_tree
if [[ ! -f "$build/build.ninja" ]]; then
    echo "== configuring $build"
    cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCANOPY_BUILD_BENCH=OFF \
        -DCANOPY_TEST_SUBDIRS="runtime;supervision;conformance;introspection;views;gui;app;probe" >"$logs/configure.log" 2>&1 ||
        { echo "mutation-check: configure failed, see $logs/configure.log" >&2; exit 1; }
fi

run_tests() { # $1 = ctest regex, $2 = log file; returns ctest's status
    (cd "$build" && QT_QPA_PLATFORM=offscreen ctest -R "$1" --timeout 300 --output-on-failure) >"$2" 2>&1
}
tests_ran() { # the test names ctest ran, from its log $1
    grep -Eo 'Test +#[0-9]+: [^ ]+' "$1" | awk '{print $3}' | sort -u | paste -sd' ' -
}

# ---------------------------------------------------------------- baseline
all_targets=$(printf '%s\n' "${targets[@]}" | tr ' ' '\n' | sort -u | paste -sd' ' -)
echo "== building the baseline: $all_targets"
# shellcheck disable=SC2086
if ! nice ninja -C "$build" -j"$jobs" $all_targets >"$logs/baseline-build.log" 2>&1; then
    echo "mutation-check: the unmutated tree does not build, see $logs/baseline-build.log" >&2
    exit 1
fi
declare -A baseline_failed=()
all_tests=$(printf '%s\n' "${tests[@]}" | sort -u)
while IFS= read -r t; do
    log="$logs/baseline-$(tr -c 'A-Za-z0-9_' '_' <<<"$t").log"
    if run_tests "$t" "$log"; then
        echo "   baseline ok: $t ($(tests_ran "$log"))"
    else
        baseline_failed["$t"]=1
        echo "   BASELINE FAILS: $t (see $log)"
    fi
done <<<"$all_tests"

# ---------------------------------------------------------------- mutations
rows=()
survivors=0 unjudged=0 killed=0
for i in "${!names[@]}"; do
    name="${names[$i]}" file="${files[$i]}"
    log="$logs/$(tr -c 'A-Za-z0-9_.-' '_' <<<"$name").log"
    : >"$log"
    verdict="" ran=""
    if [[ -n "${baseline_failed[${tests[$i]}]:-}" ]]; then
        verdict="baseline fails"
    elif ! line=$(apply_mutation "$i" 2>>"$log"); then
        verdict="pattern missing or not unique"
    else
        echo "== $name: $file: $line"
        # shellcheck disable=SC2086
        if ! nice ninja -C "$build" -j"$jobs" ${targets[$i]} >>"$log" 2>&1; then
            verdict="build failed"
        elif run_tests "${tests[$i]}" "$log.ctest"; then
            verdict="SURVIVED"
        else
            verdict="killed"
        fi
        [[ -f "$log.ctest" ]] && { ran=$(tests_ran "$log.ctest"); cat "$log.ctest" >>"$log"; rm -f "$log.ctest"; }
        if [[ "$verdict" == killed ]]; then
            failed=$(grep -Eo '[0-9]+ - [^ ]+ \((Failed|Timeout|SEGFAULT|Subprocess aborted|Child aborted|Exception)' "$log" |
                awk '{print $3}' | sort -u | paste -sd' ' -)
            verdict="killed by $failed"
        fi
        restore_file "$file"
    fi
    case "$verdict" in
    killed*) killed=$((killed + 1)) ;;
    SURVIVED) survivors=$((survivors + 1)) ;;
    *) unjudged=$((unjudged + 1)) ;;
    esac
    echo "   -> $verdict"
    rows+=("| $name | \`$file\` | ${ran:-–} | $verdict |")
done
# Leave the scratch tree unmutated (and its build matching it) for the next run.
sync_tree

table="| mutation | file | tests run | result |
|---|---|---|---|
$(printf '%s\n' "${rows[@]}")

${#names[@]} mutations: $killed killed, $survivors survived, $unjudged not judged."
echo
echo "$table"
[[ -n "$table_out" ]] && echo "$table" >"$table_out"
[[ $survivors -eq 0 && $unjudged -eq 0 ]]
