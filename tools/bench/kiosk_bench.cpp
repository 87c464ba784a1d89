// In-process benchmarks for tools/bench/run (not tests): the frame time of the guide screen while
// it scrolls, and a full screen of Chinese text drawn from a warm glyph cache. Prints
// "name value" lines the run script turns into the README table. It can also write the same guide
// as an HTML page, so headless Chromium renders identical content for the comparison.
#include <SDL.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <thread>
#include <vector>

#include "kiosk/app/app.h"
#include "kiosk/catalog/catalog.h"
#include "kiosk/core/text.h"
#include "kiosk/ui/glyph_atlas.h"
#include "kiosk/ui/text_layout.h"
#include "screens/screens.h"

namespace {

using namespace kiosk;
using Clock = std::chrono::steady_clock;

double percentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  const auto index = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1) + 0.5);
  return values[std::min(index, values.size() - 1)];
}

double milliseconds_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

std::string escape_html(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '&') out += "&amp;";
    else if (c == '\n') out += "<br>";
    else out += c;
  }
  return out;
}

// The guide's text as the kiosk shows it, as one HTML page styled like our theme.
void write_html(const catalog::Item& item, const std::string& path) {
  std::ofstream out(path);
  out << "<!doctype html><html lang=zh-CN><meta charset=utf-8><style>"
         "body{margin:0;width:1080px;font-family:'Noto Sans CJK SC';background:#F2F5F9;color:#1B1F24;font-size:32px;"
         "line-height:1.5}header{background:#0B57A4;color:#fff;font-size:46px;font-weight:bold;padding:20px;"
         "text-align:center}main{padding:40px}section{background:#fff;border:1px solid #C5CFDB;border-radius:16px;"
         "padding:30px;margin-bottom:20px}h2{font-size:38px;margin:0}small{font-size:26px;color:#4A5563}</style>"
         "<header>办事指南</header><main><h1>" << escape_html(item.name) << "</h1>";
  auto section = [&out](const std::string& heading, const std::vector<std::string>& lines) {
    out << "<section><h2>" << escape_html(heading) << "</h2>";
    for (const auto& line : lines) out << "<p>" << escape_html(line) << "</p>";
    out << "</section>";
  };
  section("基本信息", {item.code, item.type, item.department, item.implementer});
  section("设定和实施依据", item.legal_basis);
  section("受理条件", item.conditions);
  std::vector<std::string> materials;
  for (const auto& material : item.materials) materials.push_back(material.name + " · " + material.note);
  section("申请材料", materials);
  section("办理流程", item.steps);
  section("地点和咨询", {item.place, item.hours, item.phone, item.complaint_phone});
  out << "</main></html>\n";
}

// A full 1080×1920 screen of distinct Chinese characters at body size, laid out once, then drawn
// again and again from the warm atlas.
void bench_text(ui::GlyphAtlas& atlas, const catalog::Catalog& catalog) {
  std::string page;
  for (const auto& item : catalog.items) {
    for (const auto& line : item.conditions) page += line;
    for (const auto& line : item.steps) page += line;
  }
  ui::TextStyle style;
  style.font = {32, false};
  style.max_lines = 1920 / 48;
  ui::Canvas canvas(1080, 1920);
  auto layout = ui::layout_text(atlas, page, style, 1000);
  ui::draw_text(canvas, atlas, layout, {40, 0}, ui::Color::rgb(0x1B1F24));  // warm the cache
  std::vector<double> draw, layout_and_draw;
  for (int i = 0; i < 300; ++i) {
    auto start = Clock::now();
    ui::draw_text(canvas, atlas, layout, {40, 0}, ui::Color::rgb(0x1B1F24));
    draw.push_back(milliseconds_since(start));
    start = Clock::now();
    auto again = ui::layout_text(atlas, page, style, 1000);
    ui::draw_text(canvas, atlas, again, {40, 0}, ui::Color::rgb(0x1B1F24));
    layout_and_draw.push_back(milliseconds_since(start));
  }
  std::printf("text_glyphs %zu\n", layout.glyphs.size());
  std::printf("text_draw_p50_ms %.3f\ntext_draw_p99_ms %.3f\n", percentile(draw, 0.5), percentile(draw, 0.99));
  std::printf("text_layout_draw_p50_ms %.3f\n", percentile(layout_and_draw, 0.5));
}

// The guide screen scrolled by a finger, one frame per 16 ms step: tick + layout + draw.
void bench_guide(App& app, VirtualClock& clock, const std::string& code) {
  app.push(screens::make_guide_screen(code));
  app.tick();
  app.render();
  std::vector<double> frames;
  for (int sweep = 0; sweep < 6; ++sweep) {
    const int direction = sweep % 2 ? 1 : -1;
    int y = direction < 0 ? 1500 : 400;
    app.pointer_down({540, y});
    for (int step = 0; step < 50; ++step) {
      clock.advance(16);
      y += direction * 22;
      const auto start = Clock::now();
      app.pointer_move({540, y});
      app.tick();
      app.render();
      frames.push_back(milliseconds_since(start));
    }
    app.pointer_up({540, y});
    for (int step = 0; step < 60; ++step) {  // the fling coasting
      clock.advance(16);
      const auto start = Clock::now();
      app.tick();
      app.render();
      frames.push_back(milliseconds_since(start));
    }
  }
  std::printf("guide_frames %zu\nguide_frame_p50_ms %.3f\nguide_frame_p99_ms %.3f\n", frames.size(),
              percentile(frames, 0.5), percentile(frames, 0.99));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: kiosk_bench ASSETS_DIR [--html OUT.html]\n");
    return 2;
  }
  const std::filesystem::path assets = argv[1];
  setenv("SDL_VIDEODRIVER", "dummy", 1);
  SDL_Init(SDL_INIT_EVENTS);
  auto catalog = catalog::load_catalog((assets / "catalog/items.json").string());
  auto strings = Strings::load(assets / "strings");
  auto atlas = ui::GlyphAtlas::create(ui::default_regular_font(), ui::default_bold_font());
  if (!catalog.ok() || !strings.ok() || !atlas.ok()) {
    std::fprintf(stderr, "kiosk_bench: cannot load assets or fonts\n");
    return 1;
  }
  // The guide with the most text: the worst case for a frame.
  const catalog::Item* longest = &catalog->items.front();
  auto size_of = [](const catalog::Item& item) {
    std::size_t size = item.name.size();
    for (const auto& line : item.conditions) size += line.size();
    for (const auto& line : item.steps) size += line.size();
    for (const auto& material : item.materials) size += material.name.size() + material.note.size();
    return size;
  };
  for (const auto& item : catalog->items) {
    if (size_of(item) > size_of(*longest)) longest = &item;
  }
  if (argc >= 4 && std::string(argv[2]) == "--html") {
    write_html(*longest, argv[3]);
    return 0;
  }

  bench_text(**atlas, *catalog);

  Config config;
  config.assets_dir = assets;
  VirtualClock clock;
  hal::Devices devices;
  screens::StandardScreens factory;
  auto second_atlas = ui::GlyphAtlas::create(ui::default_regular_font(), ui::default_bold_font());
  App app(App::Dependencies{config, strings.release_value(), second_atlas.release_value(), &clock, &devices, &factory});
  app.start();
  while (!app.settled() || !app.catalog()) {
    if (!app.catalog_error().empty()) {
      std::fprintf(stderr, "kiosk_bench: catalog: %s\n", app.catalog_error().c_str());
      return 1;
    }
    app.tick();
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  bench_guide(app, clock, longest->code);
  SDL_Quit();
  return 0;
}
