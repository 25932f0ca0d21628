{application, bank,
 [{description, "A small bank: a ledger, one process per account, an audit trail"},
  {vsn, "0.1.0"},
  {modules, [bank_app, bank_sup, bank_ledger, bank_accounts_sup, bank_account, bank_audit_sup, bank_worker]},
  {registered, [bank_sup, bank_ledger, bank_accounts_sup, bank_audit_sup, bank_audit_log, bank_audit_mailer]},
  {applications, [kernel, stdlib]},
  {mod, {bank_app, []}}]}.
