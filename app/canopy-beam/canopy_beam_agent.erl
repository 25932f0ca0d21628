%% canopy_beam_agent: the code canopy-beam loads on the observed node (over the distribution, with
%% code:load_binary) for as long as it is attached. It walks the supervision trees in one call,
%% forwards spawns, exits and supervisor reports of those trees to the bridge as messages, and
%% removes everything it added (trace flags, its logger handler, itself) when the bridge goes away,
%% even when the bridge is killed: it watches the bridge's node.
-module(canopy_beam_agent).
-export([snapshot/1, snapshot/2, resnapshot/2, subtree/2, counters/0, start/1, stop/0, loop/2, log/2, command/4]).

-define(AGENT, canopy_beam_agent).
-define(TRACE_FLAGS, [procs]).

%% ---- The walk --------------------------------------------------------------------------------
%% A record per process: {Pid, Parent, Name, ChildId, Kind, Strategy, Restart, Shutdown, Status,
%% InitialCall, MsgQ, Reductions, Memory, RestartsInWindow, MaxR, MaxT, Links, Monitors, Order}
%% (text as binaries, Parent = undefined for roots). Supervisors that do not answer within
%% Timeout ms get Status = <<"unresponsive">> and no children.

snapshot(Timeout) -> snapshot(Timeout, all).

%% Only = all, or the names of the applications to walk (then nothing outside them is listed).
snapshot(Timeout, Only) ->
    Apps = [A || {A, _, _} <- application:which_applications(Timeout), Only =:= all orelse lists:member(text(A), Only)],
    {Recs, Seen} = lists:foldl(
        fun(App, {Acc, S}) ->
            case application_controller:get_master(App) of
                Master when is_pid(Master) -> walk_app(App, Master, Timeout, Acc, S);
                _ -> {Acc, S}
            end
        end, {[], #{}}, Apps),
    case Only of
        all -> with_loose(Recs, Seen, Timeout);
        _ -> lists:reverse(Recs)
    end.

with_loose(Recs, Seen, Timeout) ->
    %% Supervisors started outside any application (from a script or a shell) are walked as roots too.
    {Recs2, Seen2} = lists:foldl(
        fun(P, {Acc, S}) ->
            case not maps:is_key(P, S) andalso is_supervisor(P) of
                true -> walk(P, undefined, undefined, supervisor, #{}, 0, Timeout, Acc, S);
                false -> {Acc, S}
            end
        end, {Recs, Seen}, erlang:processes()),
    Loose = [R || P <- erlang:processes(), not maps:is_key(P, Seen2),
                  R <- [record(P, undefined, undefined, worker, #{}, 0)], R =/= none],
    lists:reverse(Recs2) ++ Loose.

is_supervisor(P) ->
    case erlang:process_info(P, dictionary) of
        {dictionary, D} -> case proplists:get_value('$initial_call', D) of
                               {supervisor, _, _} -> true;
                               _ -> false
                           end;
        _ -> false
    end.

walk_app(App, Master, Timeout, Acc, Seen) ->
    case record(Master, undefined, App, application, #{}, 0) of
        none -> {Acc, Seen};
        MRec ->
            Seen1 = Seen#{Master => true},
            %% The master's helper (application_master:start_it/4) is the linked parent of the top supervisor.
            Helpers = [P || P <- links(Master), is_pid(P), P =/= Master, node(P) =:= node(), is_helper(P)],
            Seen2 = lists:foldl(fun(P, S) -> S#{P => true} end, Seen1, Helpers),
            case catch application_master:get_child(Master) of
                {Top, _Mod} when is_pid(Top) ->
                    walk(Top, Master, undefined, supervisor, #{}, 0, Timeout, [MRec | Acc], Seen2);
                _ -> {[MRec | Acc], Seen2}
            end
    end.

is_helper(P) ->
    erlang:process_info(P, initial_call) =:= {initial_call, {application_master, start_it, 4}}.

walk(Pid, Parent, Id, Type, Spec, Order, Timeout, Acc, Seen) ->
    Seen1 = Seen#{Pid => true},
    case Type of
        supervisor ->
            {Facts, Children} = supervisor_facts(Pid, Timeout),
            case record(Pid, Parent, Id, supervisor, maps:merge(Spec, Facts), Order) of
                none -> {Acc, Seen1};
                Rec ->
                    Indexed = lists:zip(lists:seq(1, length(Children)), Children),
                    lists:foldl(
                        fun({N, {CId, CPid, CType, CSpec}}, {A, S}) when is_pid(CPid) ->
                                walk(CPid, Pid, CId, CType, CSpec, N, Timeout, A, S);
                           (_, AS) -> AS
                        end, {[Rec | Acc], Seen1}, Indexed)
            end;
        _ ->
            case record(Pid, Parent, Id, worker, Spec, Order) of
                none -> {Acc, Seen1};
                Rec -> {[Rec | Acc], Seen1}
            end
    end.

%% {Facts, [{Id, Pid, Type, Spec}]} in start order; Facts holds strategy, intensity, period,
%% restarts, flavour; status unresponsive when the supervisor did not answer.
supervisor_facts(Pid, Timeout) ->
    case catch gen_server:call(Pid, which_children, Timeout) of
        L when is_list(L) ->
            State = (catch sys:get_state(Pid, Timeout)),
            {Facts, Specs} = state_facts(State),
            %% simple_one_for_one: every child has the one template spec.
            Template = case {maps:get(strategy, Facts, undefined), maps:values(Specs)} of
                           {simple_one_for_one, [Spec]} -> Spec;
                           _ -> #{}
                       end,
            Children = [{Id, C, T, maps:get(child_key(Id, C), Specs, Template)}
                        || {Id, C, T, _M} <- lists:reverse(L)],
            {Facts, Children};
        _ ->
            {#{status => unresponsive}, []}
    end.

child_key(undefined, C) -> C;
child_key(Id, _) -> Id.

%% OTP's supervisor state record (OTP 23+): {state, Name, Strategy, {Ids, Db}, Dynamics, Intensity,
%% Period, Restarts, DynamicRestarts, AutoShutdown, Module, Args}.
state_facts(S) when is_tuple(S), element(1, S) =:= state, tuple_size(S) >= 11 ->
    Strategy = element(3, S),
    Specs = case element(4, S) of
                {_Ids, Db} when is_map(Db) ->
                    maps:from_list([{child_key_of(C), child_spec(C)} || C <- maps:values(Db), is_tuple(C)]);
                _ -> #{}
            end,
    Mod = element(11, S),
    {#{strategy => Strategy, intensity => element(6, S), period => element(7, S),
       restarts => length(element(8, S)), module => Mod,
       kind => case Strategy of simple_one_for_one -> dynamic_supervisor; _ -> supervisor end}, Specs};
%% Elixir's DynamicSupervisor (and Task.Supervisor, which is one).
state_facts(#{'__struct__' := 'Elixir.DynamicSupervisor'} = S) ->
    Specs = maps:from_list([{P, dyn_spec(V)} || {P, V} <- maps:to_list(maps:get(children, S, #{}))]),
    {#{strategy => maps:get(strategy, S, one_for_one), intensity => maps:get(max_restarts, S, 0),
       period => maps:get(max_seconds, S, 0), restarts => length(maps:get(restarts, S, [])),
       module => case maps:get(mod, S, undefined) of
                     'Elixir.Supervisor.Default' -> 'Elixir.DynamicSupervisor';
                     M -> M
                 end,
       kind => dynamic_supervisor}, Specs};
state_facts(_) -> {#{}, #{}}.

child_key_of(C) when element(3, C) =:= undefined -> element(2, C);
child_key_of(C) -> element(3, C).

%% {child, Pid, Id, MFA, Restart, Significant, Shutdown, Type, Modules}
child_spec(C) when tuple_size(C) >= 8 ->
    #{restart => element(5, C), significant => element(6, C), shutdown => element(7, C)};
child_spec(_) -> #{}.

dyn_spec({_MFA, Restart, Shutdown, _Type, _Mods}) -> #{restart => Restart, shutdown => Shutdown};
dyn_spec(_) -> #{}.

record(Pid, Parent, Id, Kind0, Facts, Order) ->
    Items = [registered_name, message_queue_len, reductions, memory, links, monitors, status,
             initial_call, dictionary],
    case erlang:process_info(Pid, Items) of
        undefined -> none;
        Info ->
            Get = fun(K) -> proplists:get_value(K, Info) end,
            Dict = Get(dictionary),
            Init = case proplists:get_value('$initial_call', Dict) of
                       undefined -> Get(initial_call);
                       IC -> IC
                   end,
            Kind = maps:get(kind, Facts, Kind0),
            Name = case Get(registered_name) of
                       [] -> via_name(Pid);
                       N -> text(N)
                   end,
            IdText = case {Kind0, Id} of
                         {application, _} -> iolist_to_binary([text(Id), <<" (application)">>]);
                         {_, undefined} -> <<>>;
                         _ -> text(Id)
                     end,
            Status = case maps:get(status, Facts, undefined) of
                         undefined -> atom_to_binary(Get(status), utf8);
                         St -> atom_to_binary(St, utf8)
                     end,
            Monitors = [P || {process, P} <- Get(monitors), is_pid(P)],
            {Pid, Parent, Name, IdText,
             case Kind of application -> <<"supervisor">>; _ -> atom_to_binary(Kind, utf8) end,
             opt_text(maps:get(strategy, Facts, undefined)),
             opt_text(maps:get(restart, Facts, undefined)),
             shutdown_text(maps:get(shutdown, Facts, undefined)),
             Status, initial_call_text(Init, maps:get(module, Facts, undefined)),
             Get(message_queue_len), Get(reductions), Get(memory),
             maps:get(restarts, Facts, 0), int(maps:get(intensity, Facts, 0)), int(maps:get(period, Facts, 0)),
             [P || P <- Get(links), is_pid(P)], Monitors, Order}
    end.

%% A process named through an Elixir Registry (`{:via, Registry, {Reg, Key}}`) is shown by its key,
%% as Elixir writes it: `{Todo.DatabaseWorker, 1}`.
via_name(Pid) ->
    Regs = case get('$canopy_registries') of
               undefined -> R = registries(), put('$canopy_registries', R), R;
               R -> R
           end,
    via_name(Pid, Regs).

via_name(_Pid, []) -> <<>>;
via_name(Pid, [Reg | Rest]) ->
    case catch 'Elixir.Registry':keys(Reg, Pid) of
        [Key | _] -> elixir_text(Key);
        _ -> via_name(Pid, Rest)
    end.

%% The registered names of the node's Elixir Registries.
registries() ->
    [N || N <- erlang:registered(), P <- [whereis(N)], is_pid(P),
          proc_lib:translate_initial_call(P) =:= {supervisor, 'Elixir.Registry.Supervisor', 1}].

elixir_text(A) when is_atom(A) ->
    case atom_to_list(A) of
        "Elixir." ++ Rest -> unicode:characters_to_binary(Rest);
        _ when A =:= nil; A =:= true; A =:= false -> atom_to_binary(A, utf8);
        _ -> <<":", (atom_to_binary(A, utf8))/binary>>
    end;
elixir_text(B) when is_binary(B) ->
    case io_lib:printable_unicode_list(unicode:characters_to_list(B)) of
        true -> <<"\"", B/binary, "\"">>;
        false -> text(B)
    end;
elixir_text(N) when is_integer(N) -> integer_to_binary(N);
elixir_text(T) when is_tuple(T) -> iolist_to_binary(["{", join([elixir_text(E) || E <- tuple_to_list(T)]), "}"]);
elixir_text(L) when is_list(L) -> iolist_to_binary(["[", join([elixir_text(E) || E <- L]), "]"]);
elixir_text(T) -> text(T).

join([]) -> [];
join([H | T]) -> [H | [[", ", E] || E <- T]].

int(N) when is_integer(N) -> N;
int(_) -> 0.

links(P) -> case erlang:process_info(P, links) of {links, L} -> L; _ -> [] end.

opt_text(undefined) -> <<>>;
opt_text(A) -> text(A).

shutdown_text(undefined) -> <<>>;
shutdown_text(N) when is_integer(N) -> integer_to_binary(N);
shutdown_text(A) -> text(A).

initial_call_text({supervisor, 'Elixir.Supervisor.Default', 1}, 'Elixir.DynamicSupervisor') -> <<"DynamicSupervisor.init/1">>;
initial_call_text({supervisor, Mod, 1}, _) -> iolist_to_binary([text(Mod), <<".init/1">>]);
initial_call_text({M, F, A}, _) when is_atom(M) ->
    Sep = case atom_to_list(M) of "Elixir." ++ _ -> <<".">>; _ -> <<":">> end,
    iolist_to_binary([text(M), Sep, atom_to_binary(F, utf8), <<"/">>, integer_to_binary(A)]);
initial_call_text(_, _) -> <<>>.

%% Terms as Elixir programmers read them: Elixir module names without their 'Elixir.' prefix.
text(A) when is_atom(A) ->
    case atom_to_list(A) of
        "Elixir." ++ Rest -> unicode:characters_to_binary(Rest);
        _ -> atom_to_binary(A, utf8)
    end;
text(B) when is_binary(B) -> B;
text(T) ->
    S = lists:flatten(io_lib:format("~0tp", [T])),
    unicode:characters_to_binary(re:replace(S, "'Elixir\\.([^']*)'", "\\1", [global, unicode, {return, list}])).

%% The children of one supervisor (and their subtrees), after a spawn or exit under it.
subtree(Sup, Timeout) ->
    Parent = case erlang:process_info(Sup, dictionary) of
                 {dictionary, D} -> case proplists:get_value('$ancestors', D) of
                                        [P | _] when is_pid(P) -> P;
                                        _ -> undefined
                                    end;
                 _ -> undefined
             end,
    {Recs, _} = walk(Sup, Parent, undefined, supervisor, #{}, 0, Timeout, [], #{}),
    watch_found(Recs),
    lists:reverse(Recs).

%% Sampler: {ProcessCount, [{Pid, MessageQueueLen}]} of every process with a non-empty mailbox.
counters() ->
    Ps = erlang:processes(),
    {length(Ps), [{P, Q} || P <- Ps, {message_queue_len, Q} <- [erlang:process_info(P, message_queue_len)], Q > 0]}.

%% ---- Events ----------------------------------------------------------------------------------
%% start({Bridge, Watch}): one agent process watches the processes of the trees — Watch is
%% [{Pid, IsSupervisor}] — with a monitor each (their exits and reasons arrive as 'DOWN') and traces
%% the supervisors' spawns (`procs`, not inherited: what workers spawn is not traced). A child a
%% supervisor spawns is monitored at once. Events go to the bridge as {canopy, ...} messages; when the
%% agent falls behind (mailbox > ?HIGH) it stops forwarding spawns until it has caught up (< ?LOW)
%% and tells the bridge {canopy, overflow, Dropped}, which then walks the node again.

-define(HIGH, 100000).
%% Events go out in batches: at most ?BATCH in one message, at most ?BATCH_MS after the first.
-define(BATCH, 512).
-define(BATCH_MS, 5).
-define(LOW, 1000).

start({Bridge, Watch}) ->
    case whereis(?AGENT) of
        undefined -> ok;
        Old -> exit(Old, kill), wait_gone(Old)
    end,
    Self = self(),
    Agent = spawn(fun() -> init(Bridge, Watch, Self) end),
    receive {Agent, ready} -> {ok, Agent} after 10000 -> {error, timeout} end.

wait_gone(P) ->
    Ref = erlang:monitor(process, P),
    receive {'DOWN', Ref, _, _, _} -> ok after 5000 -> ok end.

stop() ->
    case whereis(?AGENT) of
        undefined -> ok;
        A -> Ref = erlang:monitor(process, A), A ! stop,
             receive {'DOWN', Ref, _, _, _} -> ok after 5000 -> ok end
    end.

init(Bridge, Watch, Caller) ->
    register(?AGENT, self()),
    erlang:monitor_node(node(Bridge), true),
    St = watch(Watch, #{mon => #{}, dropped => 0, n => 0, buf => [], len => 0, timer => false}),
    _ = logger:add_handler(?AGENT, ?MODULE, #{level => all, config => #{agent => self()}}),
    Caller ! {self(), ready},
    try ?MODULE:loop(Bridge, St) of
        stopped -> ok;            % detached: the bridge removes the module
        nodedown -> remove_module() % the bridge is gone: remove it from here
    catch Class:Reason:Stack ->
        %% A bug here must not leave the node changed: clean up, then report.
        cleanup(St),
        logger:error("canopy_beam_agent crashed and removed itself: ~p", [{Class, Reason, Stack}]),
        remove_module()
    end.

watch(Watch, St = #{mon := Mon}) ->
    Self = self(),
    Mon1 = lists:foldl(
             fun({P, IsSup}, M) ->
                     IsSup andalso (catch erlang:trace(P, true, [{tracer, Self} | ?TRACE_FLAGS])),
                     case maps:is_key(P, M) of
                         true -> M;
                         false -> M#{P => erlang:monitor(process, P)}
                     end
             end, Mon, Watch),
    St#{mon := Mon1}.

loop(Bridge, St0 = #{n := N, len := Len}) ->
    StP = case N band 255 of
              0 -> pressure(Bridge, St0);
              _ -> St0
          end,
    St = case Len >= ?BATCH of
             true -> flush(Bridge, StP);
             false -> StP
         end,
    receive
        {trace, Pid, spawn, Child, MFA} ->
            case St of
                #{dropped := D} when D > 0 -> loop(Bridge, St#{dropped := D + 1, n := N + 1});
                #{mon := Mon} ->
                    St1 = emit({canopy, spawn, Pid, Child, mfa_text(MFA)}, St),
                    loop(Bridge, St1#{mon := Mon#{Child => erlang:monitor(process, Child)}, n := N + 1})
            end;
        {'DOWN', _Ref, process, Pid, Reason} ->
            #{mon := Mon} = St,
            St1 = emit({canopy, exit, Pid, text(Reason)}, St),
            loop(Bridge, St1#{mon := maps:remove(Pid, Mon), n := N + 1});
        {trace, Pid, register, Name} -> loop(Bridge, (emit({canopy, register, Pid, text(Name)}, St))#{n := N + 1});
        {trace, Pid, unregister, Name} -> loop(Bridge, (emit({canopy, unregister, Pid, text(Name)}, St))#{n := N + 1});
        flush -> loop(Bridge, flush(Bridge, St#{timer := false}));
        {trace, _, _, _} -> loop(Bridge, St#{n := N + 1});
        {trace, _, _, _, _} -> loop(Bridge, St#{n := N + 1});
        {report, What, Sup, Reason} -> loop(Bridge, (emit({canopy, What, Sup, Reason}, St))#{n := N + 1});
        {watch, Watch} -> loop(Bridge, watch(Watch, St));
        {nodedown, _} -> cleanup(St), nodedown;
        stop -> cleanup(St), stopped;
        _ -> loop(Bridge, St#{n := N + 1})
    end.

emit(Event, St = #{buf := Buf, len := Len, timer := T}) ->
    T1 = case T of
             false -> erlang:send_after(?BATCH_MS, self(), flush), true;
             true -> true
         end,
    %% The batch carries when its first event was taken (OS clock, µs): the bridge measures the delay.
    St1 = case Len of
              0 -> St#{since => os:system_time(microsecond)};
              _ -> St
          end,
    St1#{buf := [Event | Buf], len := Len + 1, timer := T1}.

flush(_Bridge, St = #{len := 0}) -> St;
flush(Bridge, St = #{buf := Buf, since := Since}) ->
    Bridge ! {canopy, batch, lists:reverse(Buf), Since},
    St#{buf := [], len := 0}.

%% Back pressure: beyond ?HIGH queued messages spawns are dropped (counted) until below ?LOW.
pressure(Bridge, St = #{dropped := D}) ->
    {message_queue_len, Q} = erlang:process_info(self(), message_queue_len),
    if
        D =:= 0, Q > ?HIGH -> St#{dropped := 1};
        D > 0, Q < ?LOW -> Bridge ! {canopy, overflow, self(), integer_to_binary(D)}, St#{dropped := 0};
        true -> St
    end.

%% The walk again after the agent dropped events (overflow): the agent watches what it finds.
resnapshot(Timeout, Only) ->
    Recs = snapshot(Timeout, Only),
    watch_found([R || R <- Recs, element(2, R) =/= undefined orelse element(4, R) =/= <<>>
                                 orelse element(5, R) =/= <<"worker">>]),
    Recs.

%% Called by the bridge's walk of one supervisor: watch what it found.
watch_found(Recs) ->
    case whereis(?AGENT) of
        undefined -> ok;
        A -> A ! {watch, [{element(1, R), element(5, R) =/= <<"worker">>} || R <- Recs]}
    end.

%% Leaves the node as it was found: no trace flags of ours, no handler. On a normal detach the
%% bridge then deletes and purges the module itself (no process runs it any more).
cleanup(#{mon := Mon}) ->
    _ = logger:remove_handler(?AGENT),
    [erlang:demonitor(Ref, [flush]) || Ref <- maps:values(Mon)],
    Self = self(),
    [catch erlang:trace(P, false, ?TRACE_FLAGS) || P <- erlang:processes(),
                                                  erlang:trace_info(P, tracer) =:= {tracer, Self}],
    ok.

%% The bridge is gone without detaching: remove the module from here. It becomes old code when
%% deleted; the timer purges it once this process (the last one running it) has exited.
remove_module() ->
    _ = code:soft_purge(?MODULE),
    _ = code:delete(?MODULE),
    _ = timer:apply_after(500, code, soft_purge, [?MODULE]),
    exit(normal).

%% What a supervisor's spawn runs, as the child's initial call will read: proc_lib's and gen's
%% wrappers looked through (gen_server:start_link(Mod, ...) spawns proc_lib:init_p(.., gen, init_it, ..)).
mfa_text({proc_lib, init_p, [_Parent, _Ancestors, gen, init_it, [_GenMod, _Starter, _P | Rest]]}) ->
    case Rest of
        [_Name, Mod, Args, _Opts] -> initial_call_text(gen_call(Mod, Args), undefined);
        [Mod, Args, _Opts] -> initial_call_text(gen_call(Mod, Args), undefined);
        _ -> <<"gen:init_it">>
    end;
mfa_text({proc_lib, init_p, [_Parent, _Ancestors, M, F, A]}) when is_atom(M), is_atom(F), is_list(A) ->
    initial_call_text({M, F, length(A)}, undefined);
mfa_text({M, F, A}) when is_list(A) -> initial_call_text({M, F, length(A)}, undefined);
mfa_text(MFA) -> initial_call_text(MFA, undefined).

gen_call(supervisor, {_Name, Mod, _Args}) -> {supervisor, Mod, 1};
gen_call(Mod, _) -> {Mod, init, 1}.

%% logger handler: supervisor reports (child_terminated, shutdown = gave up) to the agent.
log(#{msg := {report, #{label := {supervisor, What}, report := R}}, meta := _}, #{config := #{agent := A}})
  when What =:= shutdown; What =:= child_terminated; What =:= start_error ->
    Sup = proplists:get_value(supervisor, R),
    SupPid = case Sup of P when is_pid(P) -> P; {local, N} -> whereis(N); N when is_atom(N) -> whereis(N); _ -> undefined end,
    A ! {report, What, SupPid, text(proplists:get_value(reason, R))},
    ok;
log(_, _) -> ok.

%% ---- Commands (canopy-beam --allow-commands) --------------------------------------------------
%% command(Action, Sup, ChildIdText, Pid) -> ok | {error, Text}
command(kill, _Sup, _Id, Pid) ->
    exit(Pid, kill), ok;
command({kill, Reason}, _Sup, _Id, Pid) ->
    %% No atoms made from the viewer's text: the usual reasons as atoms, anything else as a binary.
    R = case Reason of
            <<"normal">> -> normal; <<"shutdown">> -> shutdown; <<"kill">> -> kill; <<>> -> kill; _ -> Reason
        end,
    exit(Pid, R), ok;
command(Action, Sup, IdText, Pid) when Action =:= terminate_child; Action =:= restart_child ->
    case catch gen_server:call(Sup, which_children, 5000) of
        L when is_list(L) ->
            Match = [Id || {Id, C, _, _} <- L, (IdText =/= <<>> andalso Id =/= undefined andalso text(Id) =:= IdText)
                                                orelse (IdText =:= <<>> andalso C =:= Pid)],
            case {Action, Match} of
                {_, []} -> {error, <<"no such child">>};
                {terminate_child, [undefined | _]} -> result(supervisor:terminate_child(Sup, Pid));
                {terminate_child, [Id | _]} -> result(supervisor:terminate_child(Sup, Id));
                {restart_child, [undefined | _]} -> {error, <<"a dynamic supervisor has no restart_child">>};
                {restart_child, [Id | _]} -> result(supervisor:restart_child(Sup, Id))
            end;
        _ -> {error, <<"the supervisor did not answer which_children">>}
    end.

result(ok) -> ok;
result({ok, _}) -> ok;
result({ok, _, _}) -> ok;
result({error, E}) -> {error, text(E)};
result(Other) -> {error, text(Other)}.
