// `document`: what the certificate (document) printer printed, for licence scripts.
//   document count <n>       that many documents so far
//   document text "<text>"   the last one's text (pdftotext) contains <text>; white space is ignored
//                            on both sides, since PDF text comes back in lines and runs
//   document save <name>     the last one as OUT/<name>.pdf, and its first page as OUT/<name>.png
// The printed documents are the sim twin's jobs, or — when the printer is the real CUPS driver
// against a test cupsd (tests/platform/run-with-sim with CUPSD=1) — the files its test backend
// wrote, one per job, into the folder KIOSK_SCRIPT_PRINTS_DIR names (in name order). Output from
// CUPS can lag the driver's "completed" by a moment: count and text are retried for up to 5 s.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "devices/sim/sim_printers.h"
#include "kiosk/driver/script.h"

namespace kiosk::driver {
namespace {

namespace fs = std::filesystem;

struct Printed {
  std::size_t count = 0;
  fs::path last;  // a file holding the last document (empty when none)
};

// The documents printed so far. Sim documents are written to `out_dir` to be read by pdftotext.
Result<Printed> printed_documents(hal::Devices& devices, const fs::path& out_dir) {
  Printed printed;
  if (const char* folder = std::getenv("KIOSK_SCRIPT_PRINTS_DIR"); folder && *folder) {
    std::vector<fs::path> files;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(folder, error)) {
      if (entry.is_regular_file()) files.push_back(entry.path());
    }
    if (error) return Error::make(ErrorKind::io, std::string("document: cannot list ") + folder + ": " + error.message());
    std::sort(files.begin(), files.end());
    printed.count = files.size();
    if (!files.empty()) printed.last = files.back();
    return printed;
  }
  auto* printer = dynamic_cast<devices::sim::SimDocumentPrinter*>(devices.document_printer.get());
  if (!printer) {
    return Error::make(ErrorKind::invalid_argument,
                       "document: the document printer is neither the simulator nor a test cupsd (KIOSK_SCRIPT_PRINTS_DIR)");
  }
  const auto documents = printer->printed();
  printed.count = documents.size();
  if (documents.empty()) return printed;
  std::error_code ignored;
  fs::create_directories(out_dir, ignored);
  printed.last = out_dir / "document-last.pdf";
  std::ofstream out(printed.last, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(documents.back().pdf.data()), static_cast<std::streamsize>(documents.back().pdf.size()));
  if (!out) return Error::make(ErrorKind::io, "document: cannot write " + printed.last.string());
  return printed;
}

std::string without_space(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t' && c != '\f') out += c;
  }
  return out;
}

Result<std::string> pdf_text(const fs::path& pdf) {
  const std::string command = "pdftotext -enc UTF-8 '" + pdf.string() + "' - 2>/dev/null";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return Error::make(ErrorKind::io, "document: cannot run pdftotext (poppler-utils)");
  std::string text;
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) text.append(buffer, n);
  const int status = ::pclose(pipe);
  if (status != 0) return Error::make(ErrorKind::io, "document: pdftotext failed on " + pdf.string() + " (is it a PDF?)");
  return text;
}

}  // namespace

Status ScriptRunner::document(const Command& command) {
  const std::string& action = command.arguments[0];
  const std::string want = command.arguments.size() > 1 ? command.arguments[1] : "";
  if (action != "count" && action != "text" && action != "save") {
    return Error::make(ErrorKind::invalid_argument, "document: unknown action \"" + action + "\" (count, text, save)");
  }
  if (want.empty()) return Error::make(ErrorKind::invalid_argument, "document " + action + ": needs a value");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  for (;;) {
    TRY_STATUS(settle());
    const Printed printed = TRY(printed_documents(devices_, options_.out_dir));
    Status checked;
    if (action == "count") {
      if (std::to_string(printed.count) != want) {
        checked = Error::make(ErrorKind::invalid_argument,
                              "document: " + std::to_string(printed.count) + " printed, expected " + want);
      }
    } else if (printed.last.empty()) {
      checked = Error::make(ErrorKind::invalid_argument, "document: nothing was printed");
    } else if (action == "text") {
      const std::string text = TRY(pdf_text(printed.last));
      if (without_space(text).find(without_space(want)) == std::string::npos) {
        checked = Error::make(ErrorKind::invalid_argument, "document: the last document's text has no \"" + want + "\"");
      }
    } else {
      std::error_code error;
      fs::create_directories(options_.out_dir, error);
      const fs::path copy = options_.out_dir / (want + ".pdf");
      fs::copy_file(printed.last, copy, fs::copy_options::overwrite_existing, error);
      if (error) return Error::make(ErrorKind::io, "document save: " + error.message());
      // A picture of page 1 to look at (pdftoppm, poppler-utils); the PDF is the record.
      const std::string command_line = "pdftoppm -png -r 60 -singlefile '" + copy.string() + "' '" +
                                       (options_.out_dir / want).string() + "' 2>/dev/null";
      if (std::system(command_line.c_str()) != 0) {
        return Error::make(ErrorKind::io, "document save: pdftoppm could not draw " + copy.string());
      }
      return {};
    }
    if (checked.ok() || std::chrono::steady_clock::now() > deadline) return checked;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace kiosk::driver
