#!/usr/bin/env bash
# The BEAM bridge against real nodes: beam_bridge_test.sh SCENARIO BUILD_DIR SOURCE_DIR
#   todo_tree     Elixir Todo system: tree, strategies and names through canopyctl; ASCII export;
#                 the node is left as found (agent module, process and trace flags gone)
#   todo_restart  a child killed over the distribution shows as a restart in `canopyctl record`
#   bank          Erlang application: strategies, simple_one_for_one, a supervisor that does not
#                 answer which_children (suspended) is shown as such and the rest still drawn;
#                 rest_for_one restarts, a supervisor giving up and a dynamic child's restart recorded
#   bad_input     wrong cookie, a node that does not exist, a malformed target: one-line errors, exit codes
#   node_dies     the node stops under the bridge: it says so and exits 3, the recording ends cleanly
#   bridge_killed the bridge is killed (SIGKILL): the agent removes itself, the node is left as found
#   commands      kill / terminate_child / restart_child from a viewer: refused without
#                 --allow-commands, done on the node with it
# Exit 77 (skipped) when erl, erl_call or elixir are not installed. Every wait has a deadline.
set -u
scenario=$1
build=$(cd "$2" && pwd)
src=$(cd "$3" && pwd)
for tool in erl erlc erl_call epmd elixir; do
    command -v "$tool" >/dev/null || { echo "SKIP: $tool not installed"; exit 77; }
done
canopyctl=$build/app/canopyctl/canopyctl
bridge=$build/app/canopy-beam/canopy-beam
[ -x "$bridge" ] || { echo "FAIL: $bridge not built (erlang-dev missing?)"; exit 1; }
export CANOPY_BEAM=$bridge

work=$(mktemp -d /tmp/canopy-beam-test.XXXXXX)
export HOME=$work/home # no ~/.erlang.cookie or ~/.canopy_token of the user's is used or changed
mkdir -p "$HOME"
cookie=c$RANDOM$RANDOM$RANDOM
host=localhost # names NAME@localhost: no dependence on the machine's host name resolving
node_pids=()
cleanup() {
    for p in "${node_pids[@]}"; do kill "$p" 2>/dev/null; done
    for p in "${node_pids[@]}"; do wait "$p" 2>/dev/null; done
    rm -rf "$work"
}
trap cleanup EXIT
fail_log=""
fail() {
    echo "FAIL: $*"
    [ -n "$fail_log" ] && [ -f "$fail_log" ] && { echo "--- $fail_log:"; tail -20 "$fail_log"; }
    exit 1
}
# wait_for DEADLINE_S DESCRIPTION COMMAND...: polls COMMAND until it succeeds or the deadline passes.
wait_for() {
    local deadline=$(( $(date +%s) + $1 )) what=$2
    shift 2
    until "$@" >/dev/null 2>&1; do
        [ "$(date +%s)" -lt "$deadline" ] || fail "timed out waiting for: $what"
        sleep 0.05
    done
}
epmd -daemon

# start_elixir NAME: the Todo system as node NAME@localhost.
start_elixir() {
    (cd "$work" && exec elixir --sname "$1@$host" --cookie "$cookie" "$src/examples/beam/todo_elixir/todo.exs") \
        >"$work/$1.log" 2>&1 &
    node_pids+=($!)
    fail_log=$work/$1.log # e.g. a host name that does not resolve: the node's own words
    wait_for 90 "node $1 to start" grep -q "todo: started" "$work/$1.log"
    fail_log=""
}
# start_erlang NAME: the bank application as node NAME@localhost.
start_erlang() {
    mkdir -p "$work/ebin"
    erlc -o "$work/ebin" "$src"/examples/beam/bank_erlang/src/*.erl || fail "erlc failed"
    cp "$src/examples/beam/bank_erlang/src/bank.app" "$work/ebin/"
    (cd "$work" && exec erl -noshell -sname "$1@$host" -setcookie "$cookie" -pa "$work/ebin" \
        -eval '{ok, _} = application:ensure_all_started(bank), io:format("bank: started~n").') \
        >"$work/$1.log" 2>&1 &
    node_pids+=($!)
    fail_log=$work/$1.log
    wait_for 60 "node $1 to start" grep -q "bank: started" "$work/$1.log"
    fail_log=""
}
# on_node NAME EXPR: evaluates EXPR on the node, prints the result.
on_node() { echo "$2" | erl_call -c "$cookie" -sname "$1@$host" -e; }
# check_clean NAME: the node is as the bridge found it — no agent module (nor old code), no agent
# process, no trace flags, no logger handler of ours.
check_clean() {
    on_node "$1" "{code:is_loaded(canopy_beam_agent), erlang:check_old_code(canopy_beam_agent), \
        whereis(canopy_beam_agent), [P || P <- processes(), {tracer, T} <- [erlang:trace_info(P, tracer)], T =/= []], \
        [H || H <- logger:get_handler_ids(), H =:= canopy_beam_agent]}." | grep -qF '{ok, {false, false, undefined, [], []}}'
}
# recording_started FILE: the recording holds its first keyframe (the viewer is connected and streaming;
# a file that merely exists may precede the connection).
recording_started() { "$canopyctl" info "$1" 2>/dev/null | grep -Eq '\(([1-9][0-9]*) keyframes'; }
expect_in() { # expect_in FILE TEXT...
    local f=$1; shift
    for t in "$@"; do grep -qF -- "$t" "$f" || { cat "$f"; fail "'$t' not in $f"; }; done
}

case $scenario in
todo_tree)
    n=todo_tree_$RANDOM$$
    start_elixir "$n"
    "$canopyctl" tree "beam:$n@$host" --cookie "$cookie" >"$work/tree.txt" 2>"$work/err.txt" \
        || { cat "$work/err.txt"; fail "canopyctl tree beam: failed"; }
    expect_in "$work/tree.txt" "todo (application)  [supervisor]" \
        "Todo.System  [supervisor, one_for_one]  restarts 0/3 in 5s" \
        "Todo.ProcessRegistry  [supervisor, one_for_all]" \
        "Todo.Database  [supervisor, one_for_one]" \
        "Todo.Cache  [dynamic_supervisor, one_for_one]" \
        '{Todo.Server, "Alice"}  temporary' '{Todo.Server, "Bob"}  temporary' "Todo.Metrics  temporary" \
        "{Todo.DatabaseWorker, 1} (id 1)" "{Todo.DatabaseWorker, 3} (id 3)" \
        "kernel_sup  [supervisor, one_for_all]" "code_server"
    ! grep -q "Elixir\." "$work/tree.txt" || fail "Elixir module names printed with their Elixir. prefix"
    # One application: the diagram a writer of docs wants.
    "$canopyctl" export --format ascii "beam:$n@$host/todo" --cookie-file <(printf '%s\n' "$cookie") -o "$work/todo.txt" \
        || fail "canopyctl export beam:NODE/APP failed"
    expect_in "$work/todo.txt" "Todo.System" "(one_for_one)" "Todo.Cache" "(DynamicSupervisor)" "Todo.Database" \
        "{Todo.DatabaseWorker, 2}" "Todo.Server.init/1 ×2"
    ! grep -q "kernel" "$work/todo.txt" || fail "export of one application drew other applications"
    wait_for 10 "the node to be left as found" check_clean "$n"
    ! grep -q "canopy_beam_agent" "$work/$n.log" || { cat "$work/$n.log"; fail "the agent logged on the node"; }
    ;;
todo_restart)
    n=todo_restart_$RANDOM$$
    start_elixir "$n"
    "$canopyctl" record "beam:$n@$host" --cookie "$cookie" -o "$work/rec.canopy" --duration 120 \
        >"$work/rec.out" 2>"$work/rec.err" &
    rec=$!
    wait_for 30 "the recording to start" recording_started "$work/rec.canopy"
    old=$(on_node "$n" "{_, P, _, _} = lists:keyfind(2, 1, supervisor:which_children('Elixir.Todo.Database')), exit(P, kill), P.")
    echo "killed Todo.Database child 2: $old"
    restarted() { "$build/app/canopyctl/canopyctl" info "$work/rec.canopy" 2>/dev/null | grep -q "restarts:   1;"; }
    wait_for 20 "the restart to reach the recording" restarted
    kill -INT $rec
    wait $rec || { cat "$work/rec.err"; fail "canopyctl record failed"; }
    "$canopyctl" info "$work/rec.canopy" >"$work/info.txt" || fail "canopyctl info failed"
    expect_in "$work/info.txt" "BEAM node $n@$host" "child_restarted=1" "child_terminated=1" "restarts:   1;" "exit: killed"
    ;;
bank)
    n=bank_$RANDOM$$
    start_erlang "$n"
    "$canopyctl" tree "beam:$n@$host/bank" --cookie "$cookie" >"$work/tree.txt" 2>"$work/err.txt" \
        || { cat "$work/err.txt"; fail "canopyctl tree failed"; }
    expect_in "$work/tree.txt" "bank (application)" "bank_sup  [supervisor, one_for_one]  restarts 0/5 in 10s" \
        "bank_ledger" "bank_accounts_sup (id accounts)  [dynamic_supervisor, simple_one_for_one]  restarts 0/10 in 60s" \
        "bank_audit_sup (id audit)  [supervisor, rest_for_one]  restarts 0/3 in 5s" "bank_audit_log" "bank_audit_mailer" \
        "bank_account:init/1  transient"
    [ "$(grep -c 'bank_account:init/1' "$work/tree.txt")" = 3 ] || fail "expected three accounts"
    # A supervisor that does not answer which_children in time: shown as such, the rest still drawn.
    on_node "$n" "sys:suspend(bank_audit_sup)." >/dev/null
    "$canopyctl" tree "beam:$n@$host/bank" --cookie "$cookie" >"$work/tree2.txt" 2>"$work/err.txt" \
        || { cat "$work/err.txt"; fail "canopyctl tree with a suspended supervisor failed"; }
    on_node "$n" "sys:resume(bank_audit_sup)." >/dev/null
    expect_in "$work/tree2.txt" "bank_ledger" "bank_accounts_sup" "bank_account:init/1"
    grep -q "bank_audit_sup (id audit)  \[supervisor\].*(not answering which_children)" "$work/tree2.txt" \
        || { cat "$work/tree2.txt"; fail "the suspended supervisor is not shown as not answering"; }
    ! grep -q "bank_audit_log" "$work/tree2.txt" || fail "children of the silent supervisor drawn"
    # Restarts under rest_for_one, a supervisor that gives up, a transient child of a
    # simple_one_for_one supervisor killed and restarted: all in a recording.
    "$canopyctl" record "beam:$n@$host/bank" --cookie "$cookie" -o "$work/rec.canopy" --duration 120 \
        >"$work/rec.out" 2>"$work/rec.err" &
    rec=$!
    wait_for 30 "the recording to start" recording_started "$work/rec.canopy"
    # Four kills of bank_audit_log (each waits, at most 5 s, for the restarted one to be registered):
    # the fourth exceeds bank_audit_sup's 3 restarts in 5 s.
    on_node "$n" "Kill = fun K(0, _) -> ok; K(_, 0) -> timeout; \
                             K(N, T) -> case whereis(bank_audit_log) of \
                                            undefined -> timer:sleep(5), K(N, T - 1); \
                                            P -> exit(P, kill), timer:sleep(20), K(N - 1, 1000) end end, \
        ok = Kill(4, 1000), \
        {_, A, _, _} = hd(supervisor:which_children(bank_accounts_sup)), exit(A, kill), ok." >"$work/kills.txt"
    grep -qF "{ok, ok}" "$work/kills.txt" || { cat "$work/kills.txt"; fail "the kills did not run on the node"; }
    settled() { "$canopyctl" info "$work/rec.canopy" >"$work/info-now.txt" 2>&1; grep -q "bank_account:init/1  exit: killed" "$work/info-now.txt"; }
    fail_log=$work/info-now.txt
    wait_for 20 "the events to reach the recording" settled
    fail_log=""
    kill -INT $rec
    wait $rec || { cat "$work/rec.err"; fail "canopyctl record failed"; }
    "$canopyctl" info "$work/rec.canopy" >"$work/info.txt" || fail "canopyctl info failed"
    expect_in "$work/info.txt" "supervisor_gave_up=1" "bank_audit_sup  supervisor gave up (reached max restart intensity)" \
        "bank_audit_log  exit: killed" "bank_account:init/1  exit: killed"
    # After the give-up bank_sup restarted the audit tree; the account came back.
    "$canopyctl" tree "beam:$n@$host/bank" --cookie "$cookie" >"$work/tree3.txt" || fail "canopyctl tree failed"
    expect_in "$work/tree3.txt" "bank_sup  [supervisor, one_for_one]  restarts 1/5 in 10s" \
        "bank_accounts_sup (id accounts)  [dynamic_supervisor, simple_one_for_one]  restarts 1/10 in 60s" \
        "bank_audit_sup (id audit)  [supervisor, rest_for_one]  restarts 0/3 in 5s" "bank_audit_mailer (id mailer)"
    [ "$(grep -c 'bank_account:init/1' "$work/tree3.txt")" = 3 ] || fail "expected three accounts after the restart"
    ;;
bad_input)
    n=bad_$RANDOM$$
    start_erlang "$n"
    "$canopyctl" tree "beam:$n@$host" --cookie wrong$cookie >"$work/out" 2>"$work/err"; rc=$?
    [ $rc = 1 ] || fail "wrong cookie: exit $rc"
    expect_in "$work/err" "wrong cookie"
    [ "$(wc -l <"$work/err")" = 1 ] || fail "wrong cookie: more than one line"
    "$bridge" "$n@$host" --cookie wrong 2>"$work/err"; rc=$?
    [ $rc = 2 ] || fail "canopy-beam wrong cookie: exit $rc"
    "$canopyctl" tree "beam:nosuchnode$$@$host" --cookie "$cookie" 2>"$work/err"; rc=$?
    [ $rc = 1 ] || fail "missing node: exit $rc"
    expect_in "$work/err" "is not running"
    "$canopyctl" tree "beam:nohost" 2>"$work/err"; rc=$?
    [ $rc = 1 ] || fail "malformed target: exit $rc"
    expect_in "$work/err" "expected beam:NAME@HOST"
    "$canopyctl" tree "beam:$n@$host" --token x 2>"$work/err"; rc=$?
    [ $rc = 2 ] || fail "--token with beam: exit $rc"
    "$canopyctl" tree "beam:$n@$host/nosuchapp" --cookie "$cookie" 2>"$work/err"; rc=$?
    [ $rc = 1 ] || fail "unknown application: exit $rc"
    expect_in "$work/err" "runs no application named nosuchapp"
    ;;
node_dies)
    n=dies_$RANDOM$$
    start_erlang "$n"
    "$bridge" "$n@$host" --cookie "$cookie" --port-file "$work/port" --token-file "$work/token" 2>"$work/bridge.err" &
    b=$!
    wait_for 30 "the bridge to listen" test -s "$work/port"
    "$canopyctl" record "127.0.0.1:$(cat "$work/port")" --token-file "$work/token" -o "$work/rec.canopy" \
        >"$work/rec.out" 2>"$work/rec.err" &
    rec=$!
    wait_for 30 "the recording to start" recording_started "$work/rec.canopy"
    on_node "$n" "init:stop()." >/dev/null
    wait $b; rc=$?
    [ $rc = 3 ] || { cat "$work/bridge.err"; fail "bridge exit $rc after the node stopped (expected 3)"; }
    expect_in "$work/bridge.err" "canopy-beam: node $n@$host went away"
    wait $rec || { cat "$work/rec.err"; fail "the recording did not end cleanly"; }
    "$canopyctl" info "$work/rec.canopy" >/dev/null || fail "the recording is not readable"
    ;;
commands)
    n=cmd_$RANDOM$$
    start_erlang "$n"
    client=$build/tests/beam/beam_command_client
    start_bridge() { # start_bridge [--allow-commands]
        rm -f "$work/port"
        "$bridge" "$n@$host" --cookie "$cookie" --port-file "$work/port" --token-file "$work/token" "$@" \
            2>"$work/bridge.err" &
        b=$!
        wait_for 30 "the bridge to listen" test -s "$work/port"
    }
    start_bridge
    "$client" "127.0.0.1:$(cat "$work/port")" "$work/token" kill bank_ledger >"$work/out" && fail "kill without --allow-commands"
    expect_in "$work/out" "commands"
    kill -TERM $b; wait $b
    start_bridge --allow-commands
    old=$(on_node "$n" "whereis(bank_ledger).")
    "$client" "127.0.0.1:$(cat "$work/port")" "$work/token" kill bank_ledger >"$work/out" || { cat "$work/out"; fail "kill"; }
    restarted() { local now; now=$(on_node "$n" "whereis(bank_ledger).") && [ "$now" != "$old" ] && [ "$now" != "{ok, undefined}" ]; }
    wait_for 10 "bank_ledger to be killed and restarted" restarted
    "$client" "127.0.0.1:$(cat "$work/port")" "$work/token" terminate_child bank_audit_sup mailer >"$work/out" \
        || { cat "$work/out"; fail "terminate_child"; }
    [ "$(on_node "$n" "whereis(bank_audit_mailer).")" = "{ok, undefined}" ] || fail "mailer still running"
    "$client" "127.0.0.1:$(cat "$work/port")" "$work/token" restart_child bank_audit_sup mailer >"$work/out" \
        || { cat "$work/out"; fail "restart_child"; }
    [ "$(on_node "$n" "is_pid(whereis(bank_audit_mailer)).")" = "{ok, true}" ] || fail "mailer not restarted"
    "$client" "127.0.0.1:$(cat "$work/port")" "$work/token" restart_child bank_audit_sup nosuchchild >"$work/out" \
        && fail "restart_child of an unknown child succeeded"
    expect_in "$work/out" "no such child"
    kill -TERM $b; wait $b || fail "bridge exit after SIGTERM"
    ;;
bridge_killed)
    # The bridge dies without detaching (SIGKILL): the agent sees its node go and removes itself.
    n=killed_$RANDOM$$
    start_erlang "$n"
    "$bridge" "$n@$host" --cookie "$cookie" --port-file "$work/port" --token-file "$work/token" 2>"$work/bridge.err" &
    b=$!
    wait_for 30 "the bridge to listen" test -s "$work/port"
    [ "$(on_node "$n" "is_pid(whereis(canopy_beam_agent)).")" = "{ok, true}" ] || fail "no agent on the node"
    kill -KILL $b
    wait $b 2>/dev/null
    wait_for 10 "the node to be left as found after the bridge was killed" check_clean "$n"
    ! grep -q "canopy_beam_agent" "$work/$n.log" || { cat "$work/$n.log"; fail "the agent logged on the node"; }
    ;;
*) fail "unknown scenario $scenario" ;;
esac
echo "PASS: $scenario"
