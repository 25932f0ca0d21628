%% The bank application: started by application:ensure_all_started(bank).
-module(bank_app).
-behaviour(application).
-export([start/2, stop/1]).

start(_Type, _Args) ->
    {ok, Sup} = bank_sup:start_link(),
    [bank_accounts_sup:open(Name) || Name <- [alice, bob, carol]],
    {ok, Sup}.

stop(_State) -> ok.
