// The kiosk binary. main() builds everything — config, strings, fonts, devices, screens, the app —
// and passes it down (no singletons), then runs either the window loop or the headless script
// driver. Usage: see usage() below and README.md.
#include <SDL.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>
#include <ctime>
#include <thread>

#include "devices/registry.h"
#include "kiosk/app/app.h"
#include "kiosk/core/log.h"
#include "kiosk/core/process_stats.h"
#include "kiosk/core/sd_notify.h"
#include "kiosk/core/secure_memory.h"
#include "kiosk/crypto/crypto.h"
#include "kiosk/face/face_gate.h"
#include "kiosk/voice/voice.h"
#include "kiosk/ime/pinyin_engine.h"
#include "kiosk/crypto/key_file.h"
#include "kiosk/licence/issuer_keys.h"
#include "kiosk/ops/audit_log.h"
#include "kiosk/ops/control_server.h"
#include "kiosk/ops/metrics.h"
#include "kiosk/ops/service/kiosk_operations.h"
#include "kiosk/ops/technician_pin.h"
#include "kiosk/ocr/ocr_service.h"
#include "kiosk/platform/channel.h"
#include "kiosk/driver/script.h"
#include "kiosk/driver/sim_actions.h"
#include "kiosk/ui/glyph_atlas.h"
#include "screens/screens.h"

namespace {

using namespace kiosk;

// On stdout for --help (exit 0), on stderr after a usage mistake (exit 2).
void usage(std::FILE* out) {
  std::fprintf(out,
               "usage: kiosk [--config FILE] [--landscape] [--fullscreen] [--elderly] [--lang zh|en]\n"
               "       kiosk --headless --script FILE --out DIR [--config FILE] [--landscape] [--elderly]\n"
               "             [--golden DIR [--update-golden]]\n"
               "       kiosk --version | --help\n"
               "Assets: the config's assets_dir, else $KIOSK_ASSETS, else " KIOSK_INSTALLED_ASSETS "\n");
}

struct Options {
  std::filesystem::path config_file;
  bool landscape = false;
  bool fullscreen = false;
  bool elderly = false;
  std::string language;
  bool headless = false;
  std::filesystem::path script;
  std::filesystem::path out_dir;
  std::filesystem::path golden_dir;
  bool update_golden = false;
  bool exit_after_first_frame = false;  // benchmark: print timing and memory after the first present
  bool help = false;
  bool version = false;
};

bool parse_options(int argc, char** argv, Options& options) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&](std::filesystem::path& out) {
      if (i + 1 >= argc) return false;
      out = argv[++i];
      return true;
    };
    if (arg == "--config") { if (!value(options.config_file)) return false; }
    else if (arg == "--landscape") options.landscape = true;
    else if (arg == "--fullscreen") options.fullscreen = true;
    else if (arg == "--elderly") options.elderly = true;
    else if (arg == "--lang") {
      std::filesystem::path language;
      if (!value(language)) return false;
      options.language = language.string();
    }
    else if (arg == "--headless") options.headless = true;
    else if (arg == "--script") { if (!value(options.script)) return false; }
    else if (arg == "--out") { if (!value(options.out_dir)) return false; }
    else if (arg == "--golden") { if (!value(options.golden_dir)) return false; }
    else if (arg == "--update-golden") options.update_golden = true;
    else if (arg == "--exit-after-first-frame") options.exit_after_first_frame = true;
    else if (arg == "--help" || arg == "-h") { options.help = true; return true; }
    else if (arg == "--version") { options.version = true; return true; }
    else {
      std::fprintf(stderr, "kiosk: unknown option %s\n", arg.c_str());
      return false;
    }
  }
  if (options.headless && (options.script.empty() || options.out_dir.empty())) {
    std::fprintf(stderr, "kiosk: --headless needs --script FILE and --out DIR\n");
    return false;
  }
  return true;
}

std::filesystem::path find_assets(const Config& config) {
  if (!config.assets_dir.empty()) return config.assets_dir;
  // No build-tree fallback: a path compiled in from the build machine (/tmp/…) could be made by
  // any local user on a terminal. The build tree's runs set KIOSK_ASSETS.
  if (const char* env = std::getenv("KIOSK_ASSETS"); env && *env) return env;
  return KIOSK_INSTALLED_ASSETS;
}

// A path from the config: relative ones are relative to the config file's folder; "" stays "".
std::filesystem::path relative_to(const std::filesystem::path& config_dir, const std::filesystem::path& path) {
  return path.empty() || path.is_absolute() ? path : config_dir / path;
}

// The fleet gauges from live state (the MetricsWriter's thread). Labels are device classes,
// driver names and fixed words only: never anything a citizen typed or carried.
// The audit chain's verdict for the metrics, verified again only when the file changed (its size
// or time): the trail grows for years and the gauge is read every interval. `kioskctl audit
// verify` and bundles always verify the whole file.
struct AuditGauge {
  std::filesystem::path file;
  std::uintmax_t size = 0;
  std::filesystem::file_time_type written{};
  bool verified = false;
  std::optional<double> value;  // nullopt: no trail configured
};

void collect_metrics(ops::Operations& operations, AuditGauge& audit, ops::Metrics& m) {
  using namespace ops::metric;
  const ops::StatusReport status = operations.status();
  for (const ops::DeviceReport& device : status.devices) {
    m.set(kDeviceUp, {{"device", device.device}, {"driver", device.driver.empty() ? "none" : device.driver}},
          device.up ? 1 : 0);
  }
  m.set(kOutboxDepth, static_cast<double>(status.outbox.pending));
  m.set(kOutboxDead, static_cast<double>(status.outbox.dead));
  m.set(kOutboxOldestAge, static_cast<double>(status.outbox.oldest_pending_age_s));
  m.set(kStaffNeeded, status.staff_needed ? 1 : 0);
  m.set(kCatalogAge, static_cast<double>(status.catalog.age_s));
  m.set(kPlatformReachable, status.platform_reachable ? 1 : 0);
  if (status.certificate_expires_at) m.set(kCertificateExpiry, static_cast<double>(*status.certificate_expires_at));
  if (status.clock_skew_s) m.set(kClockSkew, static_cast<double>(*status.clock_skew_s));
  std::error_code unreadable;
  const std::uintmax_t size = audit.file.empty() ? 0 : std::filesystem::file_size(audit.file, unreadable);
  const auto written = audit.file.empty() ? std::filesystem::file_time_type{}
                                          : std::filesystem::last_write_time(audit.file, unreadable);
  if (!audit.verified || unreadable || size != audit.size || written != audit.written) {
    audit.size = size;
    audit.written = written;
    audit.verified = !unreadable;  // an unreadable file is tried again next interval
    audit.value.reset();
    if (auto verdict = operations.verify_audit(); verdict.ok()) audit.value = verdict->value("intact", false) ? 1 : 0;
    else if (verdict.error().kind != ErrorKind::unsupported) audit.value = 0;
  }
  if (audit.value) m.set(kAuditChainIntact, *audit.value);
  m.set_counter(kLogLinesDropped, {}, static_cast<double>(log::dropped_lines()));
}

// The platform channel from the config (paths relative to the config file's folder). A channel
// that cannot open — a world-readable key, a missing certificate, an unwritable data folder — is
// refused loudly and the kiosk runs on its factory catalog, so the hall still has guides.
std::unique_ptr<platform::Channel> open_channel(const Config& config, const std::filesystem::path& config_dir,
                                                crypto::Crypto& crypto, ops::Metrics& metrics) {
  if (!config.platform.enabled) return nullptr;
  const PlatformConfig& p = config.platform;
  auto resolve = [&](const std::filesystem::path& path) { return path.is_relative() ? config_dir / path : path; };
  platform::ChannelSettings settings;
  settings.tls.base_url = p.url;
  settings.tls.ca_file = resolve(p.ca_file);
  settings.tls.cert_file = resolve(p.cert_file);
  settings.tls.key_file = resolve(p.key_file);
  settings.tls.pinned_public_key = p.pinned_public_key;
  settings.tls.connect_timeout = p.connect_timeout_ms;
  settings.tls.total_timeout = p.request_timeout_ms;
  settings.tls.on_request = [&metrics](const std::string& endpoint, double seconds) {
    metrics.observe(ops::metric::kPlatformRequestDuration, {{"endpoint", endpoint}}, seconds);
  };
  settings.region = p.region;
  settings.data_dir = resolve(p.data_dir);
  settings.seal_key_file = p.seal_key_file.empty() ? settings.data_dir / "seal.key" : resolve(p.seal_key_file);
  settings.factory_catalog = config.catalog_file;
  settings.receipt_prefix = "L" + (config.terminal_id.size() > 4 ? config.terminal_id.substr(config.terminal_id.size() - 4)
                                                                  : config.terminal_id);
  settings.catalog_poll_s = p.catalog_poll_s;
  settings.heartbeat_s = p.heartbeat_s;
  auto channel = platform::Channel::open(settings, crypto);
  if (!channel) {
    log::error("main", "platform channel not started: " + channel.error().message);
    return nullptr;
  }
  return channel.release_value();
}

Result<std::string> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::make(ErrorKind::io, "cannot open " + path.string() + ": " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// For tools/bench: the wall-clock time of the first presented frame and this process' memory.
void report_first_frame() {
  timespec now{};
  clock_gettime(CLOCK_REALTIME, &now);
  const MemoryStats memory = read_memory_stats();
  std::printf("first_frame_unix_ns %lld\npss_kib %ld\npeak_rss_kib %ld\n",
              static_cast<long long>(now.tv_sec) * 1'000'000'000LL + now.tv_nsec, memory.pss_kib, memory.peak_rss_kib);
  std::fflush(stdout);
}

// The window loop: sleeps in SDL_WaitEventTimeout until input, a posted event or the app's next
// timer, so an idle kiosk uses no CPU; draws only frames the app says changed.
int run_window(App& app, const Options& options, const Config& config, const std::function<void()>& after_first_frame) {
  SDL_DisplayMode mode{};
  int width = app.canvas().width(), height = app.canvas().height();
  Uint32 flags = SDL_WINDOW_ALLOW_HIGHDPI;
  if (options.fullscreen || config.fullscreen) {
    flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
  } else if (SDL_GetDesktopDisplayMode(0, &mode) == 0 && mode.h > 0) {
    // A 1920-pixel-tall portrait panel does not fit a desktop monitor: scale the window down.
    const double scale = std::min({1.0, (mode.w * 0.9) / width, (mode.h * 0.9) / height});
    width = static_cast<int>(width * scale);
    height = static_cast<int>(height * scale);
    flags |= SDL_WINDOW_RESIZABLE;
  }
  if (config.renderer == "software") {
    // Present through the native framebuffer (XShm, wl_shm, KMS dumb buffers): SDL would otherwise
    // put a GL renderer behind the window surface.
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
  }
  SDL_Window* window = SDL_CreateWindow("政务服务自助终端", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, width, height, flags);
  if (!window) {
    log::error("main", std::string("cannot open a window: ") + SDL_GetError());
    return 1;
  }
  // We rasterise every frame ourselves; the renderer only copies it to the panel. The software
  // renderer does that without loading a GL driver (Mesa alone is ~80 MiB of PSS).
  SDL_Renderer* renderer = nullptr;
  if (config.renderer == "accelerated") {
    renderer = SDL_CreateRenderer(window, -1, SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC);
  }
  if (!renderer) renderer = SDL_CreateRenderer(window, -1, SDL_RENDERER_SOFTWARE);
  if (!renderer) {
    log::error("main", std::string("cannot create a renderer: ") + SDL_GetError());
    SDL_DestroyWindow(window);
    return 1;
  }
  // SDL scales our fixed-size canvas to the window and maps mouse coordinates back to it.
  SDL_RenderSetLogicalSize(renderer, app.canvas().width(), app.canvas().height());
  SDL_Texture* texture = SDL_CreateTexture(renderer, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_STREAMING,
                                           app.canvas().width(), app.canvas().height());
  if (options.fullscreen || config.fullscreen) SDL_ShowCursor(SDL_DISABLE);

  const Uint32 wake_event = SDL_RegisterEvents(1);
  app.set_wake([wake_event] {
    SDL_Event event{};
    event.type = wake_event;
    SDL_PushEvent(&event);
  });
  SDL_StartTextInput();

  const int canvas_w = app.canvas().width(), canvas_h = app.canvas().height();
  auto finger = [&](const SDL_TouchFingerEvent& touch) {
    return ui::Point{static_cast<int>(touch.x * canvas_w), static_cast<int>(touch.y * canvas_h)};
  };
  bool running = true;
  // Fault injection for the watchdog test (tests/ops): the loop stops turning this long after
  // the first frame, as a hung UI thread would, while every other thread goes on.
  const char* hang_env = std::getenv("KIOSK_FAULT_HANG_UI_MS");
  const long hang_ms = hang_env ? std::strtol(hang_env, nullptr, 10) : 0;
  Milliseconds hang_at = -1;  // -1: no hang due
  // Under systemd: READY after the first frame, WATCHDOG only while this loop turns.
  SdNotifier systemd = SdNotifier::from_environment();
  bool announced = false;
  bool present = true;
  while (running) {
    const auto next = app.tick();
    if (app.render() || present) {
      SDL_UpdateTexture(texture, nullptr, app.canvas().pixels(), app.canvas().pitch_bytes());
      SDL_RenderClear(renderer);
      SDL_RenderCopy(renderer, texture, nullptr, nullptr);
      SDL_RenderPresent(renderer);
      present = false;
      if (options.exit_after_first_frame) {
        report_first_frame();
        break;
      }
      if (!announced) {
        announced = true;
        after_first_frame();
        if (auto sent = systemd.ready(); !sent) log::warning("main", sent.error().message);
        if (hang_ms > 0) hang_at = app.now() + 1000;
      }
    }
    if (hang_at >= 0 && app.now() >= hang_at) {
      log::error("main", "fault injection: the UI loop hangs for " + std::to_string(hang_ms) + " ms");
      std::this_thread::sleep_for(std::chrono::milliseconds(hang_ms));
      hang_at = -1;
    }
    std::optional<Milliseconds> wake_at = next;
    if (hang_at >= 0) wake_at = wake_at ? std::min(*wake_at, hang_at) : hang_at;
    if (const auto ping_by = systemd.tick(app.now())) wake_at = wake_at ? std::min(*wake_at, *ping_by) : *ping_by;
    SDL_Event event;
    int timeout = -1;
    if (wake_at) timeout = static_cast<int>(std::clamp<Milliseconds>(*wake_at - app.now(), 0, 60'000));
    const int got = timeout < 0 ? SDL_WaitEvent(&event) : SDL_WaitEventTimeout(&event, timeout);
    if (!got) continue;
    do {
      switch (event.type) {
        case SDL_QUIT: running = false; break;
        case SDL_MOUSEBUTTONDOWN:
          if (event.button.which != SDL_TOUCH_MOUSEID && event.button.button == SDL_BUTTON_LEFT) app.pointer_down({event.button.x, event.button.y});
          break;
        case SDL_MOUSEMOTION:
          if (event.motion.which != SDL_TOUCH_MOUSEID && (event.motion.state & SDL_BUTTON_LMASK)) app.pointer_move({event.motion.x, event.motion.y});
          break;
        case SDL_MOUSEBUTTONUP:
          if (event.button.which != SDL_TOUCH_MOUSEID && event.button.button == SDL_BUTTON_LEFT) app.pointer_up({event.button.x, event.button.y});
          break;
        case SDL_FINGERDOWN: app.pointer_down(finger(event.tfinger)); break;
        case SDL_FINGERMOTION: app.pointer_move(finger(event.tfinger)); break;
        case SDL_FINGERUP: app.pointer_up(finger(event.tfinger)); break;
        case SDL_TEXTINPUT: app.text_input(event.text.text); break;
        case SDL_KEYDOWN: {
          const std::string name = SDL_GetKeyName(event.key.keysym.sym);
          if (name == "F10" && !(options.fullscreen || config.fullscreen)) running = false;
          else (void)app.key(name);
          break;
        }
        case SDL_WINDOWEVENT: present = true; break;
        default: break;
      }
    } while (running && SDL_PollEvent(&event));
  }
  (void)systemd.stopping();
  SDL_DestroyTexture(texture);
  SDL_DestroyRenderer(renderer);
  SDL_DestroyWindow(window);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (!scrub_freed_memory()) std::fprintf(stderr, "kiosk: the allocator cannot scrub freed memory\n");
  Options options;
  if (!parse_options(argc, argv, options)) {
    usage(stderr);
    return 2;
  }
  if (options.help || options.version) {
    if (options.help) usage(stdout);
    else std::printf("kiosk %s\n", KIOSK_VERSION);
    return 0;
  }
  if (options.headless) {
    // Offscreen: no display, identical pixels everywhere (we rasterise into our own canvas).
    setenv("SDL_VIDEODRIVER", "dummy", 1);
    setenv("SDL_AUDIODRIVER", "dummy", 1);
  }

  Config config;
  if (!options.config_file.empty()) {
    auto loaded = load_config(options.config_file);
    if (!loaded.ok()) {
      std::fprintf(stderr, "kiosk: %s\n", loaded.error().message.c_str());
      return 2;
    }
    config = loaded.release_value();
  }
  // The terminal's zone for every time shown, spoken or printed (kiosk/core/time_zone.h): loaded
  // once here, whatever TZ or /etc/localtime say, and passed down.
  auto time_zone = TimeZone::load(config.time_zone);
  if (!time_zone.ok()) {
    std::fprintf(stderr, "kiosk: time_zone: %s\n", time_zone.error().message.c_str());
    return 2;
  }
  if (options.elderly) config.elderly_mode = true;
  if (!options.language.empty()) config.language = options.language;
  const std::filesystem::path assets = find_assets(config);
  config.assets_dir = assets;
  if (config.catalog_file.is_relative()) config.catalog_file = assets / config.catalog_file;

  // The pinyin decoder is a forked process: it is started here, before SDL, the devices, the
  // platform channel or the app start any thread. Forked later from the worker (as a lazy service
  // was), the child could inherit a lock another thread held at that instant and hang — seen as
  // "decoder start: no answer" under load.
  Lazy<ime::PinyinEngine> pinyin([] {
    auto engine = ime::PinyinEngine::open(ime::PinyinEngine::default_system_dictionary());
    if (!engine.ok()) log::warning("main", "pinyin input: " + engine.error().message);
    return engine.ok() ? engine.release_value() : nullptr;
  });
  (void)pinyin.get();

  if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
    std::fprintf(stderr, "kiosk: SDL_Init: %s\n", SDL_GetError());
    return 1;
  }
  auto strings = Strings::load(assets / "strings");
  if (!strings.ok()) {
    std::fprintf(stderr, "kiosk: %s\n", strings.error().message.c_str());
    return 1;
  }
  auto atlas = ui::GlyphAtlas::create(config.regular_font.empty() ? ui::default_regular_font() : config.regular_font,
                                      config.bold_font.empty() ? ui::default_bold_font() : config.bold_font);
  if (!atlas.ok()) {
    std::fprintf(stderr, "kiosk: fonts: %s\n", atlas.error().message.c_str());
    return 1;
  }
  if (config.devices.empty()) {
    log::warning("main", "no devices in the config: using simulated devices");
    for (hal::DeviceClass device : hal::kAllDeviceClasses) config.devices[hal::to_string(device)] = {{"driver", "sim"}};
  }
  auto devices = devices::make_devices(config.devices, devices::DriverContext{assets});
  if (!devices.ok()) {
    std::fprintf(stderr, "kiosk: %s\n", devices.error().message.c_str());
    return 2;
  }

  // Fleet metrics (issue 7): one registry, filled from here on, written by a MetricsWriter below
  // when ops.metrics_dir is set. It outlives the channel (whose requests it times).
  ops::Metrics metrics;
  if (auto described = ops::describe_kiosk_metrics(metrics); !described.ok()) log::error("main", described.error().message);
  std::unique_ptr<crypto::Crypto> crypto = crypto::make_crypto();
  std::unique_ptr<platform::Channel> channel =
      open_channel(config, options.config_file.empty() ? std::filesystem::current_path() : options.config_file.parent_path(),
                   *crypto, metrics);

  // The journeys' services, each built on first use (Lazy): the face gate (OpenCV's cascade),
  // OCR (Tesseract, on its own worker, on the first reading), pinyin (a decoder process) and a
  // second set of fonts for receipts rendered off the UI thread. A part that cannot be built
  // disables what needs it (the screens say so); it does not stop the kiosk.
  Lazy<face::FaceGate> face_gate([] {
    auto gate = face::FaceGate::create();
    if (!gate.ok()) log::warning("main", "face gate: " + gate.error().message);
    return gate.ok() ? std::make_unique<face::FaceGate>(gate.release_value()) : nullptr;
  });
  const auto regular_font = config.regular_font.empty() ? ui::default_regular_font() : config.regular_font;
  const auto bold_font = config.bold_font.empty() ? ui::default_bold_font() : config.bold_font;
  Lazy<ui::GlyphAtlas> receipt_atlas([regular_font, bold_font] {
    auto fonts = ui::GlyphAtlas::create(regular_font, bold_font);
    if (!fonts.ok()) log::warning("main", "receipt fonts: " + fonts.error().message);
    return fonts.ok() ? fonts.release_value() : nullptr;
  });
  auto ocr_service = std::make_unique<ocr::OcrService>(ocr::OcrEngineOptions{}, /*load_at_start=*/false);
  Services services;
  services.face_gate = &face_gate;
  services.ocr = ocr_service.get();
  services.pinyin = &pinyin;
  services.receipt_atlas = &receipt_atlas;
  // Spoken guidance: espeak-ng and SDL audio on the voice's own thread, after SDL_Init (above) and
  // destroyed before SDL_Quit (below).
  Lazy<voice::Voice> voice([&config] {
    voice::VoiceOptions voice_options;
    voice_options.words_per_minute = config.voice.words_per_minute;
    voice_options.volume_step = config.voice.volume_step;
    auto made = voice::Voice::create(std::move(voice_options));
    if (!made.ok()) log::warning("main", "voice guidance off: " + made.error().message);
    return made.ok() ? made.release_value() : nullptr;
  });
  if (config.voice.enabled) services.voice = &voice;
  licence::IssuerKeys issuer_keys(*crypto);  // the licence issuers' keys, fetched on first use
  services.issuer_keys = &issuer_keys;
  services.crypto = crypto.get();

  // Operations (issue 7): starts and crash loops, the audit trail, the technician PIN guard and
  // what technicians and kioskctl can ask of the kiosk.
  const std::filesystem::path state_dir = config.ops.state_dir;
  const std::filesystem::path config_dir =
      options.config_file.empty() ? std::filesystem::current_path() : options.config_file.parent_path();
  if (!state_dir.empty()) {
    std::error_code made;
    std::filesystem::create_directories(state_dir, made);
    if (made) log::warning("main", "state dir " + state_dir.string() + ": " + made.message());
  }
  const ops::StartRecord start = ops::record_start(state_dir, std::time(nullptr));
  if (start.crash_loop) log::error("main", "crash loop: the kiosk ended uncleanly 3 times in 10 minutes; optional services stay off");
  std::unique_ptr<ops::AuditLog> audit_log;
  if (!config.ops.audit_log.empty()) {
    auto key = crypto::load_or_create_seal_key(*crypto, config.ops.audit_key_file);
    auto opened = key.ok() ? ops::AuditLog::open(config.ops.audit_log, *key, *crypto) : Result<std::unique_ptr<ops::AuditLog>>(key.error());
    if (opened.ok()) audit_log = opened.release_value();
    else log::error("main", "audit trail not written: " + opened.error().message);
  }
  ops::PinGuard pin_guard(state_dir.empty() ? std::filesystem::path() : state_dir / "technician-pin.json",
                          config.technician.max_tries, config.technician.lockout_minutes);
  services.pin_guard = &pin_guard;
  std::atomic<App*> running_app = nullptr;  // set once the app exists; read by the operations on any thread
  ops::OperationsDependencies ops_dependencies;
  ops_dependencies.config = config;
  ops_dependencies.time_zone = *time_zone;
  // The network check opens the platform's files itself: relative to the config file, as the channel does.
  for (std::filesystem::path* path : {&ops_dependencies.config.platform.ca_file, &ops_dependencies.config.platform.cert_file,
                                      &ops_dependencies.config.platform.key_file}) {
    *path = relative_to(config_dir, *path);
  }
  ops_dependencies.config_file = options.config_file;
  ops_dependencies.devices = &devices.value();
  ops_dependencies.channel = channel.get();
  ops_dependencies.audit = audit_log.get();
  ops_dependencies.crypto = crypto.get();
  ops_dependencies.ocr = ocr_service.get();
  ops_dependencies.app_view = [&running_app] {
    ops::AppView view;
    App* app = running_app.load();
    if (app == nullptr) return view;
    const App::Snapshot snapshot = app->status_snapshot();
    view.screen = snapshot.screen;
    view.session_active = snapshot.session_active;
    view.staff_needed = snapshot.staff_needed;
    view.catalog_items = snapshot.catalog_items;
    return view;
  };
  ops_dependencies.metrics_text = [&metrics] { return metrics.render(); };
  ops_dependencies.on_audit = [&metrics](const std::string& event, const nlohmann::json& detail) {
    if (event != "technician_entry" || !detail.is_object()) return;
    const std::string result = detail.value("result", "");
    if (result == "ok") metrics.add(ops::metric::kTechnicianEntries);
    else if (result == "wrong_pin") metrics.add(ops::metric::kTechnicianPinFailures);
  };
  ops_dependencies.restarts = start.starts - 1;
  ops_dependencies.crash_loop = start.crash_loop;
  ops_dependencies.version = KIOSK_VERSION;
  ops::KioskOperations operations(std::move(ops_dependencies));
  services.operations = &operations;
  if (start.crash_loop) services.voice = nullptr;  // optional parts stay off until the loop is broken
  (void)operations.audit("kiosk_start", {{"restarts", start.starts - 1}, {"crash_loop", start.crash_loop}});
  // Config and certificate changes since the last start go into the audit trail.
  for (const ops::FileChange& change :
       ops::detect_file_changes(state_dir,
                                {{"config", options.config_file},
                                 {"certificate", relative_to(config_dir, config.platform.cert_file)},
                                 {"platform_ca", relative_to(config_dir, config.platform.ca_file)}},
                                *crypto)) {
    (void)operations.audit(change.file == "config" ? "config_changed" : "certificate_changed",
                           {{"file", change.file}, {"before", change.before}, {"after", change.after}});
  }
  metrics.set(ops::metric::kUp, 1);
  metrics.set(ops::metric::kStartTime, static_cast<double>(std::time(nullptr)));
  metrics.set_counter(ops::metric::kRestarts, {}, static_cast<double>(start.starts - 1));

  SteadyClock steady_clock;
  VirtualClock virtual_clock;
  screens::StandardScreens screen_factory;
  App::Dependencies app_dependencies{config, strings.release_value(), atlas.release_value(),
                                     options.headless ? static_cast<Clock*>(&virtual_clock) : &steady_clock,
                                     &devices.value(), &screen_factory, channel.get(), services};
  app_dependencies.time_zone = *time_zone;
  app_dependencies.on_session_end = [&metrics](std::string_view outcome) {
    metrics.add(ops::metric::kSessions, {{"outcome", std::string(outcome)}});
  };
  app_dependencies.on_frame = [&metrics](double seconds) { metrics.observe(ops::metric::kFrameTime, seconds); };
  // The audit chain's head goes to the platform with every heartbeat: records cut off the end of
  // the trail on the terminal (which its own verify cannot see) show against the platform's copy.
  app_dependencies.heartbeat_extra = [&audit_log]() -> nlohmann::json {
    if (!audit_log) return nlohmann::json::object();
    const ops::AuditHead head = audit_log->head();
    return {{"audit", {{"sequence", head.sequence}, {"mac", head.mac}}}};
  };
  // Demo mode (config demo.panel): the simulator panel — the strip, the keys F1…F8 and `kioskctl
  // sim` — drives the sim twins through one SimActions. Never without a simulated device.
  std::shared_ptr<driver::SimActions> sim_actions;
  if (config.demo.panel) {
    sim_actions = std::make_shared<driver::SimActions>(devices.value(), assets);
    if (sim_actions->any_simulated()) {
      log::info("main", "demo mode: the simulator panel is on");
      app_dependencies.demo_actions = driver::demo_panel_actions(sim_actions);
    } else {
      log::warning("main", "demo.panel is set but no device is simulated: the simulator panel stays off");
      sim_actions.reset();
    }
  }
  App app(std::move(app_dependencies));
  running_app = &app;
  if (options.landscape) app.set_orientation(true);
  app.start();
  // The slow services are built on the worker once the citizen can see the screen (the face gate
  // must live on that thread anyway), so the first frame does not wait for them.
  auto warm_up = [&] {
    app.run_in_background(
        [&] {
          (void)face_gate.get();
          (void)receipt_atlas.get();
          if (config.voice.enabled && !start.crash_loop) (void)voice.get();
        },
        [] {});
  };
  if (channel) channel->start();

  // Fleet metrics into node_exporter's textfile folder, gathered from live state each interval.
  std::unique_ptr<ops::MetricsWriter> metrics_writer;
  if (!config.ops.metrics_dir.empty()) {
    metrics_writer = std::make_unique<ops::MetricsWriter>(
        metrics, config.ops.metrics_dir, std::chrono::seconds(std::max(1, config.ops.metrics_interval_s)),
        [&operations, audit = AuditGauge{config.ops.audit_log, 0, {}, false, std::nullopt}](ops::Metrics& m) mutable {
          collect_metrics(operations, audit, m);
        });
    metrics_writer->start();
  }
  // The control socket for kioskctl (root or the admin group only).
  std::unique_ptr<ops::ControlServer> control_server;
  if (!config.ops.control_socket.empty()) {
    ops::ControlServerOptions control_options;
    control_options.bundle_dir = config.ops.bundle_dir;
    if (sim_actions) {
      control_options.sim = [&sim_actions](const std::string& action, const std::vector<std::string>& arguments) -> Result<nlohmann::json> {
        if (action == "list") return sim_actions->describe();
        TRY_STATUS(sim_actions->run(action, arguments));
        return nlohmann::json{{"done", action}};
      };
    }
    // A relative socket path (the demo's) is relative to the config file's folder, as kioskctl reads it.
    auto started = ops::ControlServer::start(relative_to(config_dir, config.ops.control_socket), config.ops.admin_group,
                                             operations, control_options);
    if (started.ok()) control_server = started.release_value();
    else log::error("main", "control socket not opened (kioskctl will not reach this kiosk): " + started.error().message);
  }

  int exit_code = 0;
  if (options.headless) {
    warm_up();
    auto text = read_file(options.script);
    if (!text.ok()) {
      std::fprintf(stderr, "kiosk: %s\n", text.error().message.c_str());
      exit_code = 2;
    } else if (auto commands = driver::parse_script(*text); !commands.ok()) {
      std::fprintf(stderr, "%s: %s\n", options.script.c_str(), commands.error().message.c_str());
      exit_code = 1;
    } else {
      driver::ScriptRunner runner(app, virtual_clock, devices.value(),
                                  driver::RunOptions{options.out_dir, options.golden_dir, options.update_golden, assets,
                                                     options.script.parent_path()});
      auto status = runner.run(*commands);
      if (!status.ok()) {
        std::fprintf(stderr, "%s: %s\n", options.script.c_str(), status.error().message.c_str());
        exit_code = 1;
      }
      if (std::getenv("KIOSK_REPORT_TIMING")) {
        // The journey benchmark (tools/bench/run): UI thread and worker time, touch-to-frame.
        std::vector<double> samples = runner.timing().touch_to_frame_ms;
        std::sort(samples.begin(), samples.end());
        auto at = [&](double p) {
          return samples.empty() ? 0.0 : samples[std::min(samples.size() - 1, static_cast<std::size_t>(p * (samples.size() - 1) + 0.5))];
        };
        std::printf("touches %zu\ntouch_to_frame_p50_ms %.2f\ntouch_to_frame_p99_ms %.2f\ntouch_to_frame_max_ms %.2f\n"
                    "ui_busy_ms %.1f\nworker_busy_ms %.1f\n",
                    samples.size(), at(0.5), at(0.99), samples.empty() ? 0.0 : samples.back(), runner.timing().ui_busy_ms,
                    static_cast<double>(app.worker_busy_ns()) / 1e6);
      }
      if (std::getenv("KIOSK_REPORT_MEMORY")) {
        const MemoryStats memory = read_memory_stats();
        std::printf("pss_kib %ld\npeak_rss_kib %ld\n", memory.pss_kib, memory.peak_rss_kib);
      }
    }
  } else {
    exit_code = run_window(app, options, config, warm_up);
  }
  // kioskctl and the metrics read the app and the devices: stop them before either goes.
  if (control_server) control_server->stop();
  if (metrics_writer) {
    metrics.set(ops::metric::kUp, 0);
    metrics_writer->stop();
    (void)metrics_writer->write_now();
  }
  // OCR answers go to the app: stop the service (waiting for a reading in progress) first.
  running_app = nullptr;
  ocr_service.reset();
  (void)operations.audit("kiosk_stop", {{"exit_code", exit_code}});
  ops::record_clean_stop(state_dir);
  voice.reset();
  SDL_Quit();
  return exit_code;
}
