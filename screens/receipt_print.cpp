#include "screens/receipt_print.h"

#include <chrono>
#include <utility>
#include <vector>

#include "kiosk/core/log.h"
#include "kiosk/receipt/qr_code.h"
#include "kiosk/ui/image_view.h"

namespace screens {

using namespace kiosk;

namespace {
constexpr auto kPrintTimeout = std::chrono::milliseconds(20000);
}

void print_receipt(AppContext& app, receipt::Receipt slip, CancelToken cancel,
                   std::function<void(const std::string& failure)> done) {
  hal::ReceiptPrinter* printer = app.devices().receipt_printer.get();
  Lazy<ui::GlyphAtlas>* atlas = app.services().receipt_atlas;
  if (!printer || !atlas) {
    done(app.tr("submitted.no_printer"));
    return;
  }
  auto outcome = std::make_shared<std::string>();
  app.run_in_background(
      [printer, atlas, slip = std::move(slip), outcome, cancel] {
        ui::GlyphAtlas* fonts = atlas->get();
        if (!fonts) {
          *outcome = "layout";
          return;
        }
        auto rendered = receipt::render_receipt(*fonts, slip, printer->capabilities().width_dots);
        if (!rendered.ok()) {
          *outcome = "layout";
          return;
        }
        auto printed = printer->print(hal::ReceiptJob{std::move(rendered.value().page)}, cancel, kPrintTimeout);
        if (!printed.ok()) *outcome = hal::to_string(printed.error().code);
      },
      [&app, outcome, done = std::move(done)] {
        if (outcome->empty()) {
          done("");
          return;
        }
        log::warning("receipt", "not printed: " + *outcome);
        std::string message = app.tr("submitted.print_error." + *outcome);
        if (message.rfind("submitted.", 0) == 0) message = app.tr("submitted.print_error.other");
        done(message);
      });
}

void add_qr_view(AppContext& app, ui::Column& page, const std::string& payload, const std::string& caption) {
  auto code = receipt::encode_qr(payload);
  if (!code.ok()) return;
  std::vector<bool> modules(code.value().modules.begin(), code.value().modules.end());
  auto view = ui::QrView::create(code.value().size, std::move(modules), app.theme().display().width / 3);
  if (!view.ok()) return;
  page.add(view.release_value())->set_id("receipt-qr");
  if (!caption.empty()) {
    page.add(std::make_unique<ui::Label>(caption, ui::TextRole::caption, app.theme().palette().text_secondary,
                                         ui::Align::center));
  }
}

}  // namespace screens
