%% The observed node's side of the BEAM bridge benchmark (bench/beam/run-beam-bench.sh).
%% churn(Ms): a supervised workload for Ms ms — a simple_one_for_one supervisor whose short-lived
%% children each take one message and exit (spawns and exits in a supervised tree: the events the
%% bridge forwards) plus two processes playing ping-pong; returns {ChildrenStarted, PingPongs}.
%% huge(N): a simple_one_for_one supervisor with N idle children.
%% quiet(): one permanent worker (beam_load_quiet) under a one_for_one supervisor.
%% poll(IntervalMs): what :observer's process list costs — every process's info, every interval.
-module(beam_load).
-behaviour(supervisor).
-export([churn/1, huge/1, quiet/0, poll/1, stop_poll/0, init/1, child/0, start_child/0, start_quiet/0]).

init(quiet) ->
    {ok, {#{strategy => one_for_one, intensity => 1000, period => 1},
          [#{id => quiet, start => {?MODULE, start_quiet, []}}]}};
init(Kind) ->
    Restart = case Kind of churn -> temporary; huge -> temporary end,
    {ok, {#{strategy => simple_one_for_one, intensity => 1000, period => 1},
          [#{id => w, start => {?MODULE, start_child, []}, restart => Restart}]}}.

start_child() -> {ok, proc_lib:spawn_link(?MODULE, child, [])}.

start_quiet() ->
    P = proc_lib:spawn_link(?MODULE, child, []),
    register(beam_load_quiet, P),
    {ok, P}.

%% quiet(): a supervisor with one permanent worker registered as beam_load_quiet.
quiet() -> sup(beam_load_quiet_sup, quiet), ok.

child() -> receive {go, From} -> From ! done; stop -> ok end.

sup(Name, Kind) ->
    case whereis(Name) of
        undefined ->
            Parent = self(),
            %% The supervisor lives on after this call (unlinked from the rpc process that made it).
            spawn(fun() -> {ok, P} = supervisor:start_link({local, Name}, ?MODULE, Kind), Parent ! {started, P},
                           receive never -> ok end end),
            receive {started, P} -> P end;
        P -> P
    end.

churn(Ms) ->
    Sup = sup(beam_load_churn, churn),
    Deadline = erlang:monotonic_time(millisecond) + Ms,
    Pong = spawn(fun Loop() -> receive {ping, F} -> F ! pong, Loop(); stop -> ok end end),
    PingPong = spawn(fun() -> pingpong(Pong, Deadline, 0) end),
    Started = churn_loop(Sup, Deadline, 0),
    PingPong ! {self(), count},
    N = receive {pings, X} -> X end,
    Pong ! stop,
    {Started, N}.

churn_loop(Sup, Deadline, N) ->
    case erlang:monotonic_time(millisecond) < Deadline of
        false -> N;
        true ->
            {ok, C} = supervisor:start_child(Sup, []),
            C ! {go, self()},
            receive done -> ok end,
            churn_loop(Sup, Deadline, N + 1)
    end.

pingpong(Pong, Deadline, N) ->
    case N rem 1000 =:= 0 andalso erlang:monotonic_time(millisecond) >= Deadline of
        true -> receive {From, count} -> From ! {pings, N} end;
        false -> Pong ! {ping, self()}, receive pong -> ok end, pingpong(Pong, Deadline, N + 1)
    end.

huge(N) ->
    Sup = sup(beam_load_huge, huge),
    [supervisor:start_child(Sup, []) || _ <- lists:seq(1, N)],
    length(supervisor:which_children(Sup)).

poll(IntervalMs) ->
    P = spawn(fun Loop() ->
                  _ = [erlang:process_info(Q, [registered_name, initial_call, memory, reductions, message_queue_len,
                                               current_function, status, links, monitors])
                       || Q <- erlang:processes()],
                  receive stop -> ok after IntervalMs -> Loop() end
              end),
    register(beam_load_poller, P),
    ok.

stop_poll() -> beam_load_poller ! stop, ok.
