// platform-sim: the provincial platform as the terminal sees it (docs/platform-api.md), for tests
// and `make demo`. A mutual-TLS HTTPS server on a loopback port with SQLite storage, plus a
// loopback admin port. Prints {"port": N, "admin_port": M} on one stdout line once both listen;
// SIGTERM or SIGINT stops it cleanly.
//
//   platform-sim --pki DIR --db FILE [--port N] [--admin-port M] [--catalog FILE] [--assets DIR]
//                [--host ADDRESS] [--region CODE] [--hall NAME]

#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <thread>

#include "kiosk/core/log.h"
#include "tools/platform-sim/admin_api.h"
#include "tools/platform-sim/database.h"
#include "tools/platform-sim/faults.h"
#include "tools/platform-sim/licence_document.h"
#include "tools/platform-sim/platform_api.h"
#include "tools/platform-sim/server.h"
#include "tools/platform-sim/storage.h"

namespace {

namespace fs = std::filesystem;
using namespace platform_sim;

struct Options {
  fs::path pki, db, assets, catalog;
  std::string host = "127.0.0.1", region = "510502", hall = "泸州市政务服务中心";
  int port = 0, admin_port = 0;
};

int usage(const std::string& problem) {
  std::fprintf(stderr,
               "platform-sim: %s\n"
               "usage: platform-sim --pki DIR --db FILE [--port N] [--admin-port M] [--catalog FILE] [--assets DIR]\n"
               "                    [--host ADDRESS] [--region CODE] [--hall NAME]\n",
               problem.c_str());
  return 2;
}

fs::path default_assets() {
  if (const char* env = std::getenv("KIOSK_ASSETS")) return env;
#ifdef PLATFORM_SIM_SOURCE_ASSETS
  return PLATFORM_SIM_SOURCE_ASSETS;
#else
  return "assets";
#endif
}

bool parse_port(const std::string& text, int& port) {
  if (text.empty() || text.size() > 5 || text.find_first_not_of("0123456789") != std::string::npos) return false;
  port = std::stoi(text);
  return port <= 65535;
}

// nullopt + message on a bad command line.
std::optional<Options> parse_options(int argc, char** argv, std::string& problem) {
  Options options;
  std::map<std::string, std::string> values;
  for (int i = 1; i < argc; ++i) {
    const std::string name = argv[i];
    if (name.rfind("--", 0) != 0 || i + 1 >= argc) {
      problem = "expected --option value, got '" + name + "'";
      return std::nullopt;
    }
    values[name] = argv[++i];
  }
  for (const auto& [name, value] : values) {
    if (name == "--pki") options.pki = value;
    else if (name == "--db") options.db = value;
    else if (name == "--assets") options.assets = value;
    else if (name == "--catalog") options.catalog = value;
    else if (name == "--host") options.host = value;
    else if (name == "--region") options.region = value;
    else if (name == "--hall") options.hall = value;
    else if (name == "--port" && parse_port(value, options.port)) continue;
    else if (name == "--admin-port" && parse_port(value, options.admin_port)) continue;
    else {
      problem = "bad option " + name + " " + value;
      return std::nullopt;
    }
  }
  if (options.pki.empty() || options.db.empty()) {
    problem = "--pki and --db are required";
    return std::nullopt;
  }
  if (options.assets.empty()) options.assets = default_assets();
  if (options.catalog.empty()) options.catalog = options.assets / "catalog" / "items.json";
  return options;
}

int fail(const std::string& message) {
  kiosk::log::error("platform-sim", message);
  return 1;
}

int run(const Options& options, const sigset_t& signals) {
  auto db = Database::open(options.db);
  if (!db) return fail(db.error().message);
  Database& database = *db.value();
  if (auto ready = prepare_schema(database); !ready) return fail(ready.error().message);
  if (auto seeded = seed_if_new(database, {options.catalog, options.assets / "identities"}); !seeded) {
    return fail(seeded.error().message);
  }
  if (auto imported = import_terminals(database, options.pki, options.region, options.hall); !imported) {
    return fail(imported.error().message);
  }
  auto issuer = IssuerKey::load(options.pki / "issuer.key", "四川省电子证照签发中心（模拟）");
  if (!issuer) return fail(issuer.error().message);

  FaultTable faults;
  ServerStats stats;
  PlatformApi api(database, *issuer.value());
  AdminApi admin(database, faults, [&stats] { return stats.to_json(); });
  ServerConfig config;
  config.host = options.host;
  config.port = options.port;
  config.admin_port = options.admin_port;
  config.ca_file = options.pki / "ca.crt";
  config.cert_file = options.pki / "server.crt";
  config.key_file = options.pki / "server.key";
  auto server = Server::create(config, api, admin, faults, stats);
  if (!server) return fail(server.error().message);

  std::cout << nlohmann::json{{"port", server.value()->port()}, {"admin_port", server.value()->admin_port()}}.dump()
            << std::endl;
  kiosk::log::info("platform-sim", "listening on " + options.host + ":" + std::to_string(server.value()->port()) +
                                       " (mutual TLS), admin on 127.0.0.1:" + std::to_string(server.value()->admin_port()));
  std::thread serving([&] { server.value()->run(); });
  int signal_number = 0;
  sigwait(&signals, &signal_number);
  kiosk::log::info("platform-sim", std::string("stopping on ") + strsignal(signal_number));
  server.value()->stop();
  serving.join();
  return 0;
}

}  // namespace

// Debian's cairo 1.16 leaks ~768 bytes per embedded font when it subsets a CFF font into a PDF
// (every licence is rendered once, then served from the database). LeakSanitizer builds read
// this hook; it names only that library, so every other leak still fails the sanitizer run.
extern "C" const char* __lsan_default_suppressions() { return "leak:libcairo.so.2\n"; }

int main(int argc, char** argv) {
  std::string problem;
  const auto options = parse_options(argc, argv, problem);
  if (!options) return usage(problem);
  // Every thread inherits this mask, so SIGTERM and SIGINT reach only the sigwait() in run().
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);
  int status = 1;
  try {
    status = run(*options, signals);
  } catch (const std::exception& error) {
    status = fail(std::string("unexpected: ") + error.what());
  }
  release_font_caches();
  return status;
}
