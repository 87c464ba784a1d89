// Tesseract end to end: fictional documents drawn with our own text stack
// (kiosk/ocr/sample_documents.h) go through the real engine and the field extractors. One
// process runs every case (tests/CMakeLists.txt registers the binary as one test) and one engine
// serves the suite: loading chi_sim is the slow part. Every reading is also held to
// the rule that matters most: a value that differs from what is printed is never accepted
// without the citizen's confirmation.
#include "kiosk/ocr/ocr_engine.h"

#include <gtest/gtest.h>

#include <future>
#include <map>
#include <thread>

#include "devices/sim/identities.h"
#include "kiosk/ocr/ocr_service.h"
#include "kiosk/ocr/sample_documents.h"

namespace kiosk::ocr {
namespace {

using std::chrono::milliseconds;
using Expected = std::map<std::string, std::string>;

constexpr milliseconds kGenerous{30'000};

class OcrEngineTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto engine = OcrEngine::create();
    ASSERT_TRUE(engine.ok()) << engine.error().message;
    engine_ = engine.release_value().release();
    auto documents = samples::SampleDocuments::create();
    ASSERT_TRUE(documents.ok()) << documents.error().message;
    documents_ = documents.release_value().release();
  }
  static void TearDownTestSuite() {
    delete engine_;
    delete documents_;
  }

  static hal::IdentityCard card(const std::string& name) {
    auto loaded = devices::sim::load_sample_identity(KIOSK_TEST_ASSETS, name);
    EXPECT_TRUE(loaded.ok()) << loaded.error().message;
    return loaded.ok() ? loaded.release_value() : hal::IdentityCard{};
  }

  static DocumentReading read(const hal::Image& image, std::optional<DocumentKind> kind = std::nullopt) {
    auto reading = read_document(*engine_, image, kind, CancelToken{}, kGenerous);
    EXPECT_TRUE(reading.ok()) << reading.error().message;
    return reading.ok() ? reading.release_value() : DocumentReading{};
  }

  // The rule: a field whose value is not what was printed needs confirmation; and the flag is
  // exactly "not found, below the threshold, or a failed check".
  static void expect_never_silently_wrong(const ExtractedDocument& document, const Expected& printed) {
    for (const auto& field : document.fields) {
      const bool low = field.found && field.confidence_min < kConfirmBelowConfidence;
      EXPECT_EQ(field.needs_confirmation, !field.found || low || field.check_failed) << field.key;
      const auto truth = printed.find(field.key);
      if (truth != printed.end() && field.value != truth->second) {
        EXPECT_TRUE(field.needs_confirmation) << field.key << " read wrong and not marked: " << field.value;
      }
    }
  }

  static std::string value(const DocumentReading& reading, const std::string& key) {
    if (!reading.document) return "<no document>";
    const OcrField* field = reading.document->field(key);
    return field != nullptr ? field->value : "<no field>";
  }

  // An A4 page takes 2–3 s to read: long enough to cancel in the middle. Drawn once.
  static const hal::Image& a4_page() {
    static const hal::Image page = documents_->a4_page({});
    return page;
  }

  static OcrEngine* engine_;
  static samples::SampleDocuments* documents_;
};

OcrEngine* OcrEngineTest::engine_ = nullptr;
samples::SampleDocuments* OcrEngineTest::documents_ = nullptr;

TEST_F(OcrEngineTest, ReadsAnIdCardFront) {
  const hal::IdentityCard person = card("zhangsan");
  const DocumentReading reading = read(documents_->id_card_front(person));
  ASSERT_EQ(reading.kind, DocumentKind::id_card_front) << "recognised by its 公民身份号码 label";
  EXPECT_EQ(value(reading, "name"), person.name);
  EXPECT_EQ(value(reading, "sex"), person.sex);
  EXPECT_EQ(value(reading, "nation"), person.nation);
  EXPECT_EQ(value(reading, "birth_date"), person.birth_date);
  EXPECT_EQ(value(reading, "address"), person.address) << "both printed lines";
  EXPECT_EQ(value(reading, "id_number"), person.id_number);
  EXPECT_FALSE(reading.document->field("id_number")->check_failed);
  EXPECT_FALSE(reading.document->field("name")->needs_confirmation) << "clean print of common characters";
  expect_never_silently_wrong(*reading.document, {{"name", person.name}, {"sex", person.sex}, {"nation", person.nation},
                                                  {"birth_date", person.birth_date}, {"address", person.address},
                                                  {"id_number", person.id_number}});
  for (const auto& line : reading.page.lines) {
    for (const auto& word : line.words) {
      EXPECT_GE(word.confidence, 0.0f);
      EXPECT_LE(word.confidence, 100.0f);
      EXPECT_GT(word.box.width, 0);
      EXPECT_LE(word.box.left + word.box.width, 1012);
    }
  }
}

TEST_F(OcrEngineTest, RareCharactersAreMarkedForConfirmation) {
  // 阿合木呷 (Yi nationality, 彝): characters the fast model barely knows.
  const hal::IdentityCard person = card("ahe-yi");
  const DocumentReading reading = read(documents_->id_card_front(person));
  ASSERT_TRUE(reading.document);
  EXPECT_EQ(value(reading, "id_number"), person.id_number);
  EXPECT_TRUE(reading.document->field("name")->needs_confirmation);
  EXPECT_TRUE(reading.document->field("nation")->needs_confirmation);
  expect_never_silently_wrong(*reading.document, {{"name", person.name}, {"nation", person.nation},
                                                  {"address", person.address}, {"id_number", person.id_number}});
}

TEST_F(OcrEngineTest, ReadsABusinessLicenceWithAValidCreditCode) {
  const samples::LicenceSample licence;
  const DocumentReading reading = read(documents_->business_licence(licence));
  ASSERT_EQ(reading.kind, DocumentKind::business_licence);
  EXPECT_EQ(value(reading, "uscc"), "91350100M000100Y43");
  EXPECT_FALSE(reading.document->field("uscc")->check_failed);
  EXPECT_EQ(value(reading, "name"), licence.name);
  EXPECT_EQ(value(reading, "legal_representative"), licence.legal_representative);
  EXPECT_EQ(value(reading, "address"), licence.address) << "stops at 经营范围";
  EXPECT_EQ(value(reading, "registration_date"), "20150620");
  expect_never_silently_wrong(*reading.document, {{"uscc", licence.uscc}, {"name", licence.name},
                                                  {"legal_representative", licence.legal_representative},
                                                  {"address", licence.address}, {"registration_date", "20150620"}});
}

TEST_F(OcrEngineTest, AnInvalidCreditCodeIsReadAndFlagged) {
  samples::LicenceSample licence;
  licence.uscc = "91350100M000100Y44";  // check character should be 3
  const DocumentReading reading = read(documents_->business_licence(licence), DocumentKind::business_licence);
  ASSERT_TRUE(reading.document);
  const OcrField* uscc = reading.document->field("uscc");
  EXPECT_EQ(uscc->value, licence.uscc) << "kept as read: a warning, not a block";
  EXPECT_TRUE(uscc->check_failed);
  EXPECT_TRUE(uscc->needs_confirmation);
  EXPECT_EQ(value(reading, "name"), licence.name);
}

TEST_F(OcrEngineTest, ReadsAHouseholdRegisterPage) {
  const hal::IdentityCard person = card("zhangsan");
  const DocumentReading reading = read(documents_->household_register(samples::household_of(person)));
  ASSERT_EQ(reading.kind, DocumentKind::household_register);
  EXPECT_EQ(value(reading, "name"), person.name);
  EXPECT_EQ(value(reading, "relationship"), "户主");
  EXPECT_EQ(value(reading, "id_number"), person.id_number);
  EXPECT_EQ(value(reading, "birth_date"), person.birth_date);
  expect_never_silently_wrong(*reading.document, {{"name", person.name}, {"relationship", "户主"},
                                                  {"id_number", person.id_number}, {"birth_date", person.birth_date}});
}

TEST_F(OcrEngineTest, ABlankPageHasNoText) {
  auto page = engine_->recognize(samples::SampleDocuments::blank_page(1240, 900), CancelToken{}, kGenerous);
  ASSERT_TRUE(page.ok()) << page.error().message;
  EXPECT_FALSE(page->has_text());
  hal::Image speckled = samples::SampleDocuments::blank_page(1240, 900);
  samples::SampleDocuments::degrade(speckled, {0, 255, 0.01, 3});
  for (const auto& image : {samples::SampleDocuments::blank_page(1240, 900), speckled}) {
    auto reading = read_document(*engine_, image, DocumentKind::id_card_front, CancelToken{}, kGenerous);
    ASSERT_FALSE(reading.ok());
    EXPECT_EQ(reading.error().kind, ErrorKind::not_found);
    EXPECT_EQ(reading.error().message, "no text found");
  }
}

TEST_F(OcrEngineTest, ANoisyLowContrastCardNeedsConfirmation) {
  const hal::IdentityCard person = card("zhangsan");
  hal::Image image = documents_->id_card_front(person);
  samples::SampleDocuments::degrade(image, {110, 190, 0.01, 7});
  const DocumentReading reading = read(image, DocumentKind::id_card_front);
  ASSERT_TRUE(reading.document);
  EXPECT_TRUE(reading.document->needs_confirmation());
  int low = 0;
  for (const auto& field : reading.document->fields) low += field.low_confidence ? 1 : 0;
  EXPECT_GE(low, 2) << "grey on grey with speckles reads with low confidence";
  expect_never_silently_wrong(*reading.document, {{"name", person.name}, {"sex", person.sex}, {"nation", person.nation},
                                                  {"birth_date", person.birth_date}, {"address", person.address},
                                                  {"id_number", person.id_number}});
}

TEST_F(OcrEngineTest, RefusesTinyHugeAndMalformedImages) {
  auto tiny = engine_->recognize(samples::SampleDocuments::blank_page(40, 300), CancelToken{}, kGenerous);
  ASSERT_FALSE(tiny.ok());
  EXPECT_EQ(tiny.error().kind, ErrorKind::invalid_argument);
  EXPECT_EQ(tiny.error().message, "image too small: 40 × 300 px (each side needs ≥ 64)");
  auto huge = engine_->recognize(samples::SampleDocuments::blank_page(8000, 6000), CancelToken{}, kGenerous);
  ASSERT_FALSE(huge.ok());
  EXPECT_EQ(huge.error().kind, ErrorKind::invalid_argument);
  EXPECT_NE(huge.error().message.find("image too large: 8000 × 6000 px (at most 40 MP"), std::string::npos)
      << huge.error().message;
  hal::Image short_buffer = samples::SampleDocuments::blank_page(200, 100);
  short_buffer.pixels.resize(100);
  auto malformed = engine_->recognize(short_buffer, CancelToken{}, kGenerous);
  ASSERT_FALSE(malformed.ok());
  EXPECT_EQ(malformed.error().kind, ErrorKind::invalid_argument);
}

TEST_F(OcrEngineTest, ReadsRgbImagesToo) {
  const hal::Image gray = documents_->business_licence({});
  hal::Image rgb{gray.width, gray.height, hal::PixelFormat::rgb24, {}};
  for (std::uint8_t value : gray.pixels) rgb.pixels.insert(rgb.pixels.end(), {value, value, value});
  EXPECT_EQ(value(read(rgb), "uscc"), "91350100M000100Y43");
}

TEST_F(OcrEngineTest, CancelledBeforeItStarts) {
  CancelToken cancel;
  cancel.cancel();
  auto page = engine_->recognize(documents_->business_licence({}), cancel, kGenerous);
  ASSERT_FALSE(page.ok());
  EXPECT_EQ(page.error().kind, ErrorKind::cancelled);
}

TEST_F(OcrEngineTest, CancelDuringRecognitionStopsIt) {
  const hal::Image& page = a4_page();
  CancelToken cancel;
  std::promise<void> started;
  std::thread canceller([&] {
    started.get_future().wait();
    std::this_thread::sleep_for(milliseconds(100));
    cancel.cancel();
  });
  const auto start = std::chrono::steady_clock::now();
  started.set_value();
  auto result = engine_->recognize(page, cancel, kGenerous);
  const auto took = std::chrono::steady_clock::now() - start;
  canceller.join();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::cancelled) << result.error().message;
  // The page takes 2–3 s (several times that under AddressSanitizer on a busy machine): stopping
  // well before that means the cancel reached Tesseract mid-page.
#ifdef __SANITIZE_ADDRESS__
  constexpr milliseconds kBound{8000};
#else
  constexpr milliseconds kBound{2000};
#endif
  EXPECT_LT(took, kBound) << "stops soon after the cancel, not at the end of the page";
  EXPECT_EQ(value(read(documents_->business_licence({})), "uscc"), "91350100M000100Y43") << "the engine still works";
}

TEST_F(OcrEngineTest, TimesOutAtItsDeadline) {
  auto page = engine_->recognize(documents_->business_licence({}), CancelToken{}, milliseconds(1));
  ASSERT_FALSE(page.ok());
  EXPECT_EQ(page.error().kind, ErrorKind::timeout) << page.error().message;
}

TEST(OcrEngineCreate, MissingLanguageDataSaysWhatToInstall) {
  OcrEngineOptions options;
  options.tessdata_dir = "/nonexistent/tessdata";
  auto engine = OcrEngine::create(options);
  ASSERT_FALSE(engine.ok());
  EXPECT_EQ(engine.error().kind, ErrorKind::not_found);
  EXPECT_NE(engine.error().message.find("tesseract-ocr-chi-sim"), std::string::npos) << engine.error().message;
}

TEST(OcrService, ReadsOnItsWorkerThreadAndWipesTheImage) {
  auto documents = samples::SampleDocuments::create();
  ASSERT_TRUE(documents.ok()) << documents.error().message;
  OcrService service;
  std::promise<std::pair<Result<DocumentReading>, std::thread::id>> done;
  service.submit((*documents)->business_licence({}), std::nullopt, CancelToken{}, kGenerous,
                 [&](Result<DocumentReading> reading) { done.set_value({std::move(reading), std::this_thread::get_id()}); });
  auto [reading, thread] = done.get_future().get();
  ASSERT_TRUE(reading.ok()) << reading.error().message;
  EXPECT_NE(thread, std::this_thread::get_id());
  EXPECT_EQ(reading->document->field("uscc")->value, "91350100M000100Y43");
}

TEST(OcrService, AnEngineThatCannotLoadFailsEveryRequest) {
  OcrEngineOptions options;
  options.tessdata_dir = "/nonexistent/tessdata";
  OcrService service(options);
  std::promise<Result<DocumentReading>> done;
  service.submit(samples::SampleDocuments::blank_page(100, 100), std::nullopt, CancelToken{}, kGenerous,
                 [&](Result<DocumentReading> reading) { done.set_value(std::move(reading)); });
  auto reading = done.get_future().get();
  ASSERT_FALSE(reading.ok());
  EXPECT_EQ(reading.error().kind, ErrorKind::not_found);
}

}  // namespace
}  // namespace kiosk::ocr
