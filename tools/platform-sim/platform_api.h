#pragma once
// The platform's side of docs/platform-api.md: routes /api/v1/ requests of a terminal that the
// TLS layer has already authenticated (its certificate's CN), checks the terminal table, applies
// a fault rule's latency/status, enforces idempotency and answers from the SQLite store.
// handle() is called from many connection threads at once and never throws.

#include <atomic>
#include <ctime>
#include <functional>
#include <optional>
#include <string>

#include "tools/platform-sim/database.h"
#include "tools/platform-sim/faults.h"
#include "tools/platform-sim/http.h"
#include "tools/platform-sim/licence_document.h"

namespace platform_sim {

struct RequestContext {
  std::string terminal_id;           // CN of the verified client certificate
  std::optional<FaultRule> fault;    // the admin fault rule this request matched, if any
  const FaultTable* faults = nullptr;  // for waiting out the rule's latency
  const std::atomic<bool>* stop = nullptr;
};

class PlatformApi {
 public:
  PlatformApi(Database& db, const IssuerKey& issuer);

  Response handle(const Request& request, const RequestContext& context);

 private:
  struct Call;
  using Handler = std::function<Response(Call&)>;

  Response route(Call& call);
  // Claims the Idempotency-Key, waits out injected latency, runs `work` in one transaction with
  // the stored answer, or replays / refuses per the contract.
  Response idempotent(Call& call, const Handler& work);
  void injected_latency(const Call& call) const;

  Response catalog(Call& call);
  Response verify_identity(Call& call);
  Response create_case(Call& call);
  Response get_case(Call& call, const std::string& number);  // a case number or a local receipt
  Response query_cases(Call& call);
  Response query_licences(Call& call);
  Response licence_document(Call& call, const std::string& licence_id);
  Response issuers(Call& call);
  Response rate(Call& call);
  Response report_print(Call& call);
  Response heartbeat(Call& call);
  Response issue_ticket(Call& call);

  Database& db_;
  const IssuerKey& issuer_;
};

// A case as the contract shows it (also used by the admin port). Null when there is none.
nlohmann::json case_json(Database& db, const std::string& case_number);

}  // namespace platform_sim
