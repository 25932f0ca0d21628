-module(bank_ledger).
-behaviour(gen_server).
-export([start_link/0, post/2, init/1, handle_call/3, handle_cast/2]).

start_link() -> gen_server:start_link({local, ?MODULE}, ?MODULE, [], []).

post(Account, Amount) -> gen_server:cast(?MODULE, {post, Account, Amount}).

init([]) -> {ok, []}.
handle_call(entries, _From, Entries) -> {reply, lists:reverse(Entries), Entries}.
handle_cast({post, Account, Amount}, Entries) -> {noreply, [{Account, Amount} | lists:sublist(Entries, 999)]}.
