-module(bank_accounts_sup).
-behaviour(supervisor).
-export([start_link/0, init/1, open/1]).

start_link() -> supervisor:start_link({local, ?MODULE}, ?MODULE, []).

%% One bank_account process per account.
open(Name) -> supervisor:start_child(?MODULE, [Name]).

init([]) ->
    {ok, {#{strategy => simple_one_for_one, intensity => 10, period => 60},
          [#{id => account, start => {bank_account, start_link, []}, restart => transient, shutdown => 2000}]}}.
