// Device self-tests for technicians: one real action per device, steps in plain words, no
// personal data (a card read reports that it read and its checksums held, not what it holds; a
// document camera reports how much text OCR found, not the text).
#include <cairo-pdf.h>
#include <cairo.h>

#include <condition_variable>
#include <ctime>
#include <future>

#include "kiosk/core/clock.h"
#include "kiosk/core/time_zone.h"
#include "kiosk/face/face_gate.h"
#include "kiosk/licence/pdf_library.h"
#include "kiosk/ocr/ocr_service.h"
#include "kiosk/ops/service/kiosk_operations.h"
#include "kiosk/receipt/receipt_layout.h"
#include "kiosk/ui/glyph_atlas.h"

namespace kiosk::ops {
namespace {

using std::chrono::milliseconds;

std::string local_time_text(const TimeZone& zone) { return format_time(std::time(nullptr), "%Y-%m-%d %H:%M:%S", zone); }

// Runs the status query; adds its step. False when the device is not usable.
bool query_status(hal::Device& device, SelfTestReport& report) {
  auto refreshed = device.refresh(milliseconds(3000));
  const hal::DeviceStatus status = device.status();
  if (!refreshed.ok()) {
    report.steps.push_back("status query failed: " + std::string(hal::to_string(refreshed.error().code)) + " — " +
                           refreshed.error().message);
    return false;
  }
  report.steps.push_back("status: " + hal::describe(status));
  return status.state == hal::DeviceState::online || status.state == hal::DeviceState::busy;
}

void fail(SelfTestReport& report, std::string summary) {
  report.passed = false;
  report.summary = std::move(summary);
}

std::string device_failure(const hal::DeviceError& error) {
  return std::string(hal::to_string(error.code)) + (error.message.empty() ? "" : ": " + error.message);
}

// A one-page A4 test page: a frame, the terminal's id and time, a grey ramp and a line grid, so
// a technician sees alignment, banding and missing dots at a glance.
Result<std::vector<std::uint8_t>> make_test_page(const std::string& terminal_id, const std::string& time_text, const std::string& font_family) {
  std::vector<std::uint8_t> pdf;
  auto write = [](void* closure, const unsigned char* data, unsigned int length) {
    auto* out = static_cast<std::vector<std::uint8_t>*>(closure);
    out->insert(out->end(), data, data + length);
    return CAIRO_STATUS_SUCCESS;
  };
  const double width = 595.28, height = 841.89;  // A4 in points
  // The PDF libraries' process-wide setup (kiosk/licence/pdf_library.h): the toy font API keeps
  // fontconfig patterns and a finished PDF surface loses a block inside cairo for good; in
  // sanitizer builds that library tells LeakSanitizer so (every cairo object here is destroyed
  // in this function).
  licence::quiet_poppler();
  cairo_surface_t* surface = cairo_pdf_surface_create_for_stream(write, &pdf, width, height);
  cairo_t* cr = cairo_create(surface);
  cairo_set_source_rgb(cr, 0, 0, 0);
  cairo_set_line_width(cr, 1);
  cairo_rectangle(cr, 28, 28, width - 56, height - 56);
  cairo_stroke(cr);
  cairo_select_font_face(cr, font_family.c_str(), CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size(cr, 28);
  cairo_move_to(cr, 60, 100);
  cairo_show_text(cr, "打印测试页 Printer test page");
  cairo_select_font_face(cr, font_family.c_str(), CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, 14);
  cairo_move_to(cr, 60, 135);
  cairo_show_text(cr, ("终端 Terminal " + terminal_id + "    " + time_text).c_str());
  for (int step = 0; step < 11; ++step) {  // grey ramp 0 … 100 %
    const double grey = 1.0 - step / 10.0;
    cairo_set_source_rgb(cr, grey, grey, grey);
    cairo_rectangle(cr, 60 + step * 43, 170, 43, 60);
    cairo_fill(cr);
  }
  cairo_set_source_rgb(cr, 0, 0, 0);
  cairo_rectangle(cr, 60, 170, 473, 60);
  cairo_stroke(cr);
  for (int i = 0; i <= 20; ++i) {  // a 1 cm line grid
    const double at = i * 28.35;
    cairo_set_line_width(cr, i % 5 == 0 ? 1.0 : 0.3);
    cairo_move_to(cr, 60 + at, 260);
    cairo_line_to(cr, 60 + at, 260 + 20 * 28.35 * 0.9);
    cairo_move_to(cr, 60, 260 + at * 0.9);
    cairo_line_to(cr, 60 + 20 * 28.35, 260 + at * 0.9);
    cairo_stroke(cr);
  }
  cairo_show_page(cr);
  cairo_destroy(cr);
  cairo_surface_finish(surface);
  const cairo_status_t status = cairo_surface_status(surface);
  cairo_surface_destroy(surface);
  if (status != CAIRO_STATUS_SUCCESS) {
    return Error::make(ErrorKind::io, std::string("test page: ") + cairo_status_to_string(status));
  }
  return pdf;
}

}  // namespace

SelfTestReport KioskOperations::test_card_reader(hal::CardReader& reader, const CancelToken& cancel) {
  SelfTestReport report;
  if (!query_status(reader, report)) {
    fail(report, "the card reader is not ready");
    return report;
  }
  auto sam = reader.sam_id(milliseconds(3000));
  if (!sam.ok()) {
    report.steps.push_back("SAM module: " + device_failure(sam.error()));
    fail(report, "the card reader's security module (SAM) does not answer");
    return report;
  }
  report.steps.push_back("SAM module answers: " + *sam);
  if (!reader.status().card_present) {
    report.steps.push_back("no card on the reader: place a test card and run again to test reading");
    report.passed = true;
    report.summary = "reader and SAM answer; no card read";
    return report;
  }
  auto card = reader.read_card(cancel, milliseconds(5000));
  if (!card.ok()) {
    report.steps.push_back("card read: " + device_failure(card.error()));
    fail(report, "the card on the reader could not be read");
    return report;
  }
  const bool photo = !card->photo.empty();
  card->wipe();  // personal data: nothing of it leaves this function
  report.steps.push_back(std::string("a card was read and its checksums held") + (photo ? "; it carries a photo" : ""));
  report.passed = true;
  report.summary = "the card reader reads cards";
  return report;
}

SelfTestReport KioskOperations::test_receipt_printer(hal::ReceiptPrinter& printer, const CancelToken& cancel) {
  SelfTestReport report;
  if (!query_status(printer, report)) {
    fail(report, "the receipt printer is not ready");
    return report;
  }
  // Our own fonts: the UI's atlas belongs to the UI thread.
  auto atlas = ui::GlyphAtlas::create(d_.config.regular_font.empty() ? ui::default_regular_font() : d_.config.regular_font,
                                      d_.config.bold_font.empty() ? ui::default_bold_font() : d_.config.bold_font);
  if (!atlas.ok()) {
    fail(report, "fonts for the test receipt: " + atlas.error().message);
    return report;
  }
  receipt::Receipt test;
  test.title = "打印测试 Printer test";
  test.subtitle = d_.config.hall_name;
  test.fields = {{"终端", d_.config.terminal_id}, {"时间", local_time_text(d_.time_zone)}, {"驱动", printer.driver()}};
  test.qr_payload = "KIOSK-SELFTEST " + d_.config.terminal_id;
  test.qr_caption = "二维码应可扫出 KIOSK-SELFTEST";
  test.footer = {"本小票仅用于设备检测"};
  auto rendered = receipt::render_receipt(**atlas, test, printer.capabilities().width_dots);
  if (!rendered.ok()) {
    fail(report, "the test receipt could not be laid out: " + rendered.error().message);
    return report;
  }
  report.steps.push_back("test receipt laid out: " + std::to_string(rendered->page.width_dots) + " × " +
                         std::to_string(rendered->page.height) + " dots");
  auto printed = printer.print(hal::ReceiptJob{rendered->page, true}, cancel, milliseconds(20000));
  if (!printed.ok()) {
    report.steps.push_back("print: " + device_failure(printed.error()));
    fail(report, "the test receipt did not print");
    return report;
  }
  const hal::DeviceStatus after = printer.status();
  report.steps.push_back("printed and cut; paper " + std::string(hal::to_string(after.paper)));
  report.passed = true;
  report.summary = after.paper == hal::Supply::near_end ? "printed a test receipt; paper is running out"
                                                         : "printed a test receipt";
  return report;
}

SelfTestReport KioskOperations::test_document_printer(hal::DocumentPrinter& printer, const CancelToken& cancel) {
  SelfTestReport report;
  if (!query_status(printer, report)) {
    fail(report, "the document printer is not ready");
    return report;
  }
  auto page = make_test_page(d_.config.terminal_id, local_time_text(d_.time_zone), "Noto Sans CJK SC");
  if (!page.ok()) {
    fail(report, page.error().message);
    return report;
  }
  report.steps.push_back("test page made: " + std::to_string(page->size()) + " bytes of PDF");
  auto job = printer.print(hal::PrintDocument{"kiosk self-test page", std::move(*page), 1}, cancel, milliseconds(60000));
  if (!job.ok()) {
    report.steps.push_back("print: " + device_failure(job.error()));
    fail(report, "the test page did not print");
    return report;
  }
  report.steps.push_back("job " + *job + " completed");
  report.passed = true;
  report.summary = "printed a test page";
  return report;
}

SelfTestReport KioskOperations::test_face_camera(hal::FaceCamera& camera, const CancelToken& cancel) {
  SelfTestReport report;
  if (!query_status(camera, report)) {
    fail(report, "the face camera is not ready");
    return report;
  }
  hal::Image frame;
  const auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < 3; ++i) {
    auto captured = camera.capture(cancel, milliseconds(3000));
    if (!captured.ok()) {
      report.steps.push_back("frame " + std::to_string(i + 1) + ": " + device_failure(captured.error()));
      fail(report, "the face camera gives no pictures");
      return report;
    }
    frame.wipe();
    frame = std::move(*captured);
  }
  const auto per_frame = std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - started).count() / 3;
  report.steps.push_back("3 frames of " + std::to_string(frame.width) + " × " + std::to_string(frame.height) + ", " +
                         std::to_string(per_frame) + " ms each");
  // Its own face gate: the app's belongs to the app's worker thread.
  auto gate = face::FaceGate::create();
  if (!gate.ok()) {
    frame.wipe();
    report.steps.push_back("face detection unavailable: " + gate.error().message);
    report.passed = true;
    report.summary = "the camera gives pictures; face detection could not be loaded";
    return report;
  }
  auto verdict = gate->assess(frame);
  frame.wipe();  // a face is personal data
  if (!verdict.ok()) {
    report.steps.push_back("face detection: " + verdict.error().message);
  } else if (verdict->faces == 0) {
    report.steps.push_back("no face in view (stand in front of the camera to test detection)");
  } else {
    const face::FaceBox& box = verdict->face;
    report.steps.push_back("face found at " + std::to_string(box.x) + "," + std::to_string(box.y) + " size " +
                           std::to_string(box.width) + " × " + std::to_string(box.height) + "; verdict " +
                           face::to_string(verdict->reason));
  }
  report.passed = true;
  report.summary = "the face camera gives pictures";
  return report;
}

SelfTestReport KioskOperations::test_document_camera(hal::DocumentCamera& camera, const CancelToken& cancel) {
  SelfTestReport report;
  if (!query_status(camera, report)) {
    fail(report, "the document camera is not ready");
    return report;
  }
  auto captured = camera.capture(cancel, milliseconds(5000));
  if (!captured.ok()) {
    report.steps.push_back("capture: " + device_failure(captured.error()));
    fail(report, "the document camera gives no picture");
    return report;
  }
  report.steps.push_back("page captured: " + std::to_string(captured->width) + " × " + std::to_string(captured->height));
  if (d_.ocr == nullptr) {
    captured->wipe();
    report.steps.push_back("no OCR on this terminal");
    report.passed = true;
    report.summary = "the document camera captures pages";
    return report;
  }
  struct Answer {
    std::mutex mutex;
    std::condition_variable changed;
    std::optional<Result<ocr::DocumentReading>> reading;
  };
  auto answer = std::make_shared<Answer>();
  d_.ocr->submit(std::move(*captured), std::nullopt, cancel, milliseconds(30000), [answer](Result<ocr::DocumentReading> reading) {
    std::lock_guard lock(answer->mutex);
    answer->reading.emplace(std::move(reading));
    answer->changed.notify_all();
  });
  std::unique_lock lock(answer->mutex);
  // OCR loads its model on first use: allow for that on top of the reading's own timeout.
  if (!answer->changed.wait_for(lock, std::chrono::seconds(60), [&] { return answer->reading.has_value(); })) {
    fail(report, "OCR gave no answer within 60 s");
    return report;
  }
  const auto& reading = *answer->reading;
  if (!reading.ok()) {
    if (reading.error().kind == ErrorKind::not_found) {
      report.steps.push_back("OCR: no text on the page (lay a printed page under the camera to test reading)");
      report.passed = true;
      report.summary = "the document camera captures pages; no text under it";
      return report;
    }
    report.steps.push_back("OCR: " + reading.error().message);
    fail(report, "OCR failed on the captured page");
    return report;
  }
  report.steps.push_back("OCR read " + std::to_string(reading->page.lines.size()) + " lines, " +
                         std::to_string(reading->page.word_count()) + " words");
  report.passed = true;
  report.summary = "the document camera captures pages and OCR reads them";
  return report;
}

}  // namespace kiosk::ops
