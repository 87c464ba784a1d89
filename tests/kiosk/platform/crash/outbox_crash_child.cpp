// The process the crash test kills: it submits cases through the real outbox and sender to the
// platform simulator, printing "SUBMITTED <key>" only after each case is durably committed — the
// moment the kiosk's screen would say "submitted". The test SIGKILLs it at random moments.
//   outbox_crash_child submit|drain DATA_DIR BASE_URL CA CERT KEY
// "drain" delivers what is pending, prints "DRAINED" and exits.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "kiosk/crypto/crypto.h"
#include "kiosk/crypto/key_file.h"
#include "kiosk/outbox/outbox.h"
#include "kiosk/outbox/sender.h"

using namespace kiosk;

int main(int argc, char** argv) {
  if (argc != 7) {
    std::fprintf(stderr, "usage: outbox_crash_child submit|drain DATA_DIR BASE_URL CA CERT KEY\n");
    return 2;
  }
  const std::string mode = argv[1];
  const std::filesystem::path data = argv[2];
  auto crypto = crypto::make_crypto();
  auto key = crypto::load_or_create_seal_key(*crypto, data / "seal.key");
  if (!key) {
    std::fprintf(stderr, "seal key: %s\n", key.error().message.c_str());
    return 1;
  }
  outbox::OutboxOptions options;
  options.path = data / "outbox.db";
  options.key = key.value();
  options.receipt_prefix = "L0001";
  auto opened = outbox::Outbox::open(options, *crypto);
  if (!opened) {
    std::fprintf(stderr, "outbox: %s\n", opened.error().message.c_str());
    return 1;
  }
  auto& box = *opened.value();
  platform::TlsSettings tls;
  tls.base_url = argv[3];
  tls.ca_file = argv[4];
  tls.cert_file = argv[5];
  tls.key_file = argv[6];
  tls.total_timeout = 5000;
  auto client = platform::HttpClient::create(tls, std::make_shared<platform::TlsShare>());
  if (!client) {
    std::fprintf(stderr, "client: %s\n", client.error().describe().c_str());
    return 1;
  }
  outbox::Sender::Options sender_options;
  sender_options.backoff = {20, 200, 2.0};
  outbox::Sender sender(box, client.release_value(), sender_options);
  sender.start();

  if (mode == "drain") {
    (void)box.retry_now(0);
    sender.kick();
    for (int i = 0; i < 6000; ++i) {
      auto stats = box.stats();
      if (stats && stats.value().pending == 0) {
        std::printf("DRAINED\n");
        std::fflush(stdout);
        sender.stop();
        return 0;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    std::fprintf(stderr, "outbox did not drain\n");
    return 1;
  }

  // The parent's kill window starts here, not at exec: a slow start (a sanitizer build on a busy
  // machine) must not eat the time meant for submitting.
  std::printf("READY\n");
  std::fflush(stdout);
  std::mt19937 random(static_cast<unsigned>(::getpid()));
  for (int i = 0;; ++i) {
    auto idempotency_key = outbox::new_idempotency_key(*crypto);
    nlohmann::json body = {{"item_code", "510502000000-QR-0001"},
                           {"applicant", {{"name", "张三"}, {"id_number", "510502195803150137"}, {"phone", "13800000000"}}},
                           {"form",
                            {{"applicant_name", "张三"}, {"id_number", "510502195803150137"},
                             {"phone", "1380000" + std::to_string(1000 + i % 9000)}, {"reason", "expired"},
                             {"delivery", "window"}}},
                           {"materials", {{{"name", "本人居民身份证"}, {"source", "capture"},
                                           {"content_type", "image/jpeg"}, {"data", "/9j/4AAQSkZJRgABAQ=="}}}},
                           {"delivery", {{"method", "pickup"}}},
                           {"submitted_at", "2026-11-25T14:03:00+08:00"}};
    auto entry = box.enqueue(outbox::Kind::case_submission, idempotency_key.value(), body.dump(),
                             std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count());
    if (!entry) {
      std::fprintf(stderr, "enqueue: %s\n", entry.error().message.c_str());
      return 1;
    }
    std::printf("SUBMITTED %s\n", idempotency_key.value().c_str());
    std::fflush(stdout);
    sender.kick();
    std::this_thread::sleep_for(std::chrono::milliseconds(random() % 15));
  }
}
