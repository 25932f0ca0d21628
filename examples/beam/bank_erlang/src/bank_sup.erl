%% bank_sup (one_for_one, 5 restarts in 10 s)
%% ├── bank_ledger        gen_server
%% ├── bank_accounts_sup  simple_one_for_one of bank_account (transient)
%% └── bank_audit_sup     rest_for_one: bank_audit_log, bank_audit_mailer
-module(bank_sup).
-behaviour(supervisor).
-export([start_link/0, init/1]).

start_link() -> supervisor:start_link({local, ?MODULE}, ?MODULE, []).

init([]) ->
    Children = [#{id => ledger, start => {bank_ledger, start_link, []}},
                #{id => accounts, start => {bank_accounts_sup, start_link, []}, type => supervisor, shutdown => infinity},
                #{id => audit, start => {bank_audit_sup, start_link, []}, type => supervisor, shutdown => infinity}],
    {ok, {#{strategy => one_for_one, intensity => 5, period => 10}, Children}}.
