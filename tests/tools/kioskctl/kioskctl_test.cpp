// kioskctl device …, run as a process the way a technician runs it: the real binary against the
// ID card emulator on a pty, ESC/POS captures, OCR of a rendered licence, and every kind of
// mistake (exit 2 with the usage, or exit 1 with one clear line).
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "devices/idcard/emulator.h"
#include "devices/sim/identities.h"
#include "kiosk/ocr/sample_documents.h"
#include "kiosk/ui/png.h"

namespace kiosk {
namespace {

struct ToolRun {
  int exit_code = -1;
  std::string out;
  std::string err;
  nlohmann::json json() const {
    auto parsed = nlohmann::json::parse(out, nullptr, false);
    EXPECT_FALSE(parsed.is_discarded()) << "not JSON: " << out;
    return parsed;
  }
};

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class KioskctlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/kioskctl-test-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    directory_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }

  ToolRun kioskctl(const std::vector<std::string>& arguments) const {
    std::string command = KIOSKCTL_BINARY;
    for (const auto& argument : arguments) command += " '" + argument + "'";
    command += " 2>'" + (directory_ / "stderr").string() + "'";
    ToolRun run;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) return run;
    char buffer[4096];
    std::size_t got = 0;
    while ((got = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) run.out.append(buffer, got);
    const int status = ::pclose(pipe);
    run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    run.err = read_file(directory_ / "stderr");
    return run;
  }

  static void expect_usage(const ToolRun& run, const std::string& says) {
    EXPECT_EQ(run.exit_code, 2) << run.err;
    EXPECT_NE(run.err.find(says), std::string::npos) << run.err;
    EXPECT_NE(run.err.find("usage: kioskctl"), std::string::npos) << run.err;
    EXPECT_TRUE(run.out.empty()) << run.out;
  }
  static void expect_failure(const ToolRun& run, const std::string& says) {
    EXPECT_EQ(run.exit_code, 1) << run.err;
    EXPECT_NE(run.err.find(says), std::string::npos) << run.err;
    EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << "one line: " << run.err;
    EXPECT_TRUE(run.out.empty()) << run.out;
  }

  std::unique_ptr<devices::idcard::PtyEmulator> reader_with(const std::string& sample) const {
    auto pty = devices::idcard::PtyEmulator::create(directory_ / "reader");
    EXPECT_TRUE(pty.ok()) << pty.error().message;
    if (!pty.ok()) return nullptr;
    if (!sample.empty()) {
      auto card = devices::sim::load_sample_identity(KIOSK_TEST_ASSETS, sample);
      EXPECT_TRUE(card.ok());
      EXPECT_TRUE((*pty)->emulator().place(*card).ok());
    }
    return pty.release_value();
  }

  std::filesystem::path directory_;
};

TEST_F(KioskctlTest, IdcardReadPrintsTheCardButNotThePhoto) {
  auto pty = reader_with("zhangsan");
  ASSERT_TRUE(pty);
  const ToolRun run = kioskctl({"device", "idcard", "read", "--serial", pty->device_path(), "--timeout-ms", "8000"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto answer = run.json();
  EXPECT_EQ(answer["driver"], "sam-serial");
  EXPECT_EQ(answer["card"]["name"], "张三");
  EXPECT_EQ(answer["card"]["id_number"], "510502195803150137");
  EXPECT_EQ(answer["card"]["id_number_valid"], true);
  EXPECT_EQ(answer["card"]["valid_until"], "长期");
  EXPECT_EQ(answer["card"]["photo_bytes"], 1024);
  EXPECT_FALSE(answer["card"].contains("photo"));
  EXPECT_NE(run.out.find("\n  "), std::string::npos) << "indented by default";
}

TEST_F(KioskctlTest, IdcardSamIdWithCompactJson) {
  auto pty = reader_with("");
  ASSERT_TRUE(pty);
  const ToolRun run = kioskctl({"--json", "device", "idcard", "sam-id", "--serial", pty->device_path(), "--baud", "115200"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(std::count(run.out.begin(), run.out.end(), '\n'), 1) << "--json: one line";
  EXPECT_EQ(run.json()["sam_id"], pty->emulator().sam_id());
}

TEST_F(KioskctlTest, IdcardReadWithoutACardFails) {
  auto pty = reader_with("");
  ASSERT_TRUE(pty);
  expect_failure(kioskctl({"device", "idcard", "read", "--serial", pty->device_path(), "--timeout-ms", "8000"}),
                 "kioskctl: device idcard read: read failed: no_card");
}

TEST_F(KioskctlTest, MissingReaderSaysItIsNotReady) {
  const std::string path = (directory_ / "no-such-tty").string();
  const ToolRun run = kioskctl({"device", "idcard", "read", "--serial", path, "--timeout-ms", "400"});
  expect_failure(run, "card reader not ready after 400 ms: offline");
  EXPECT_NE(run.err.find(path), std::string::npos) << "names the port: " << run.err;
}

TEST_F(KioskctlTest, ReceiptPrintToACaptureThenEscpos2png) {
  const auto capture = directory_ / "capture.bin", png = directory_ / "paper.png";
  const ToolRun print = kioskctl({"device", "receipt", "print", "--demo", "--out", capture.string(), "--width", "384"});
  ASSERT_EQ(print.exit_code, 0) << print.err;
  const auto printed = print.json();
  EXPECT_EQ(printed["printed"], true);
  EXPECT_EQ(printed["width_dots"], 384);
  EXPECT_GT(printed["height_dots"].get<int>(), 200);
  EXPECT_EQ(printed["bytes"].get<std::uintmax_t>(), std::filesystem::file_size(capture));

  const ToolRun convert = kioskctl({"device", "escpos2png", capture.string(), png.string()});
  ASSERT_EQ(convert.exit_code, 0) << convert.err;
  const auto paper = convert.json();
  ASSERT_EQ(paper["pages"].size(), 1u);
  EXPECT_EQ(paper["pages"][0]["width_dots"], 384);
  EXPECT_EQ(paper["pages"][0]["height_dots"], printed["height_dots"]);
  EXPECT_EQ(paper["ends_with_cut"], true);
  EXPECT_EQ(paper["unknown_commands"], 0);
  auto image = ui::load_png(png);
  ASSERT_TRUE(image.ok()) << image.error().message;
  EXPECT_EQ(image->width(), 384);
  EXPECT_EQ(image->height(), printed["height_dots"].get<int>() + 12) << "the page and its cut band";
}

TEST_F(KioskctlTest, ReceiptPrintDefaultsToEightyMillimetres) {
  const ToolRun print = kioskctl({"device", "receipt", "print", "--demo", "--out", (directory_ / "c.bin").string()});
  ASSERT_EQ(print.exit_code, 0) << print.err;
  EXPECT_EQ(print.json()["width_dots"], 576);
}

TEST_F(KioskctlTest, OcrReadsALicenceImage) {
  auto documents = ocr::samples::SampleDocuments::create();
  ASSERT_TRUE(documents.ok()) << documents.error().message;
  const hal::Image gray = (*documents)->business_licence({});
  ui::Canvas canvas(gray.width, gray.height);
  for (std::size_t i = 0; i < gray.pixels.size(); ++i) {
    const std::uint32_t v = gray.pixels[i];
    canvas.pixels()[i] = 0xFF000000u | v << 16 | v << 8 | v;
  }
  const auto png = directory_ / "licence.png";
  ASSERT_TRUE(ui::save_png(canvas, png).ok());

  const ToolRun run = kioskctl({"device", "ocr", png.string()});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto answer = run.json();
  EXPECT_EQ(answer["kind"], "licence");
  EXPECT_EQ(answer["image"]["width"], 1240);
  nlohmann::json uscc;
  for (const auto& field : answer["fields"]) {
    if (field["key"] == "uscc") uscc = field;
  }
  EXPECT_EQ(uscc["value"], "91350100M000100Y43");
  EXPECT_EQ(uscc["check_failed"], false);
  EXPECT_GT(answer["lines"].size(), 5u);

  expect_failure(kioskctl({"device", "ocr", png.string(), "--kind", "household"}), "no household register fields found");
}

TEST_F(KioskctlTest, OcrOfWhatIsNotAnImageOrIsBlank) {
  std::ofstream(directory_ / "notes.png") << "not a picture\n";
  expect_failure(kioskctl({"device", "ocr", (directory_ / "notes.png").string()}), "not an image");
  ui::Canvas blank(400, 300);
  blank.clear(ui::Color::rgb(0xFFFFFF));
  ASSERT_TRUE(ui::save_png(blank, directory_ / "blank.png").ok());
  expect_failure(kioskctl({"device", "ocr", (directory_ / "blank.png").string()}), "no text found");
}

TEST_F(KioskctlTest, BadArgumentsGiveTheUsage) {
  expect_usage(kioskctl({}), "no command");
  expect_usage(kioskctl({"devise"}), "unknown command devise");
  expect_usage(kioskctl({"device", "scanner"}), "unknown device command scanner");
  expect_usage(kioskctl({"device", "idcard", "read"}), "give exactly one of --serial PATH or --usb VID:PID");
  expect_usage(kioskctl({"device", "idcard", "read", "--usb", "12345:1"}), "--usb expects VID:PID");
  expect_usage(kioskctl({"device", "idcard", "read", "--serial", "/dev/null", "--timeout-ms", "soon"}),
               "--timeout-ms expects a whole number");
  expect_usage(kioskctl({"device", "idcard", "read", "--serial", "/dev/null", "--baud", "1234"}),
               "devices.card_reader.baud: unsupported speed 1234");
  const std::string capture = (directory_ / "never.bin").string();
  expect_usage(kioskctl({"device", "receipt", "print", "--out", capture}), "needs --demo");
  expect_usage(kioskctl({"device", "receipt", "print", "--demo", "--out", capture, "--width", "500"}), "--width expects 576");
  EXPECT_FALSE(std::filesystem::exists(capture)) << "no file is made for a command that cannot run";
  expect_usage(kioskctl({"device", "ocr"}), "expected 1 argument, got 0");
  expect_usage(kioskctl({"device", "ocr", "a.png", "--kind", "passport"}), "--kind expects idcard, licence or household");
  expect_usage(kioskctl({"device", "print-pdf", "--printer"}), "--printer needs a value");
  expect_usage(kioskctl({"device", "face", "a.jpg", "--colour"}), "unknown option --colour");
  const ToolRun help = kioskctl({"device", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("PRINTS PERSONAL DATA"), std::string::npos) << "the help warns before the card is shown";
}

TEST_F(KioskctlTest, ToolFailuresAreOneClearLine) {
  expect_failure(kioskctl({"device", "escpos2png", (directory_ / "absent.bin").string(), (directory_ / "o.png").string()}),
                 "cannot read");
  std::ofstream(directory_ / "status.bin", std::ios::binary) << std::string("\x10\x04\x01", 3);
  expect_failure(kioskctl({"device", "escpos2png", (directory_ / "status.bin").string(), (directory_ / "o.png").string()}),
                 "no page printed (1 status queries");
  expect_failure(kioskctl({"device", "print-pdf", "--printer", "licence", (directory_ / "absent.pdf").string()}),
                 "cannot read");
  std::ofstream(directory_ / "doc.pdf") << "%PDF-1.4\n%%EOF\n";
  const ToolRun unreachable = kioskctl({"device", "print-pdf", "--printer", "licence", "--server", "127.0.0.1:1",
                                    "--timeout-ms", "500", (directory_ / "doc.pdf").string()});
  expect_failure(unreachable, "kioskctl: device print-pdf: print failed: ");
}

TEST_F(KioskctlTest, FaceJudgesAPhoto) {
  const ToolRun run = kioskctl({"device", "face", std::string(KIOSK_TEST_ASSETS) + "/images/face-ok.ppm"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto verdict = run.json();
  EXPECT_TRUE(verdict["ok"].is_boolean());
  EXPECT_TRUE(verdict["reason"].is_string());
  EXPECT_GE(verdict["faces"].get<int>(), 0);
  std::ofstream(directory_ / "text.jpg") << "words, not a face\n";
  const ToolRun not_image = kioskctl({"device", "face", (directory_ / "text.jpg").string()});
  EXPECT_EQ(not_image.exit_code, 1) << not_image.err;
  EXPECT_TRUE(not_image.out.empty());
}

}  // namespace
}  // namespace kiosk
