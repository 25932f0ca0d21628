-module(bank_account).
-behaviour(gen_server).
-export([start_link/1, init/1, handle_call/3, handle_cast/2]).

start_link(Name) -> gen_server:start_link(?MODULE, Name, []).

init(Name) -> {ok, #{name => Name, balance => 0}}.
handle_call(balance, _From, S = #{balance := B}) -> {reply, B, S}.
handle_cast({deposit, N}, S = #{name := Name, balance := B}) ->
    bank_ledger:post(Name, N),
    {noreply, S#{balance := B + N}}.
