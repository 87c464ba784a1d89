#pragma once
// The simulator's admin port (docs/platform-api.md, "Simulator admin"): loopback-only plain HTTP
// for tests and demos. Lists what terminals sent, injects faults, registers and revokes
// terminals, moves cases on, switches a sample identity's face match, changes the catalog and
// tampers with a licence's document (so the terminal's signature check refuses it).
// handle() is called from connection threads and never throws.

#include <functional>

#include <nlohmann/json.hpp>

#include "tools/platform-sim/database.h"
#include "tools/platform-sim/faults.h"
#include "tools/platform-sim/http.h"

namespace platform_sim {

class AdminApi {
 public:
  // `stats` gives the server's counters (handshakes, resumptions, connections, requests).
  AdminApi(Database& db, FaultTable& faults, std::function<nlohmann::json()> stats);

  Response handle(const Request& request);

 private:
  Response route(const Request& request);
  Response received(const std::string& what);
  Response idempotency_records();
  Response faults(const Request& request);
  Response clock(const Request& request);
  Response terminals(const Request& request);
  Response advance_case(const std::string& case_number);
  Response identity(const Request& request);
  Response tamper_licence(const Request& request);
  Response put_catalog_items(const Request& request);
  Response delete_catalog_item(const std::string& code);

  Database& db_;
  FaultTable& faults_;
  std::function<nlohmann::json()> stats_;
};

}  // namespace platform_sim
