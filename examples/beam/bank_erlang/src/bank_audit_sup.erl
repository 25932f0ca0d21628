-module(bank_audit_sup).
-behaviour(supervisor).
-export([start_link/0, init/1]).

start_link() -> supervisor:start_link({local, ?MODULE}, ?MODULE, []).

init([]) ->
    {ok, {#{strategy => rest_for_one, intensity => 3, period => 5},
          [#{id => log, start => {bank_worker, start_link, [bank_audit_log]}, shutdown => brutal_kill},
           #{id => mailer, start => {bank_worker, start_link, [bank_audit_mailer]}}]}}.
