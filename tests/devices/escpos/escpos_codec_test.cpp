// ESC/POS encoder and capture decoder (devices/escpos): byte layouts from the ESC/POS command
// reference (ESC @, GS v 0, ESC J, ESC d, GS V, DLE EOT, GS ( k), a round trip of random rasters,
// and the decoder on malformed captures (truncated, corrupted, oversized, garbage).
#include <random>

#include <gtest/gtest.h>

#include "devices/escpos/escpos_decoder.h"
#include "devices/escpos/escpos_encoder.h"
#include "devices/escpos/escpos_status.h"

namespace kiosk::devices::escpos {
namespace {

hal::RasterPage random_page(int width_dots, int height, std::uint32_t seed) {
  std::mt19937 random(seed);
  hal::RasterPage page;
  page.width_dots = width_dots;
  page.height = height;
  page.bits.resize(static_cast<std::size_t>(width_dots / 8 * height));
  for (auto& byte : page.bits) byte = static_cast<std::uint8_t>(random());
  return page;
}

Bytes concatenate(const std::vector<Bytes>& chunks) {
  Bytes all;
  for (const auto& chunk : chunks) all.insert(all.end(), chunk.begin(), chunk.end());
  return all;
}

DecodedCapture decode_ok(const Bytes& bytes) {
  auto decoded = decode_capture(bytes);
  EXPECT_TRUE(decoded.ok()) << decoded.error().message;
  return decoded.ok() ? decoded.release_value() : DecodedCapture{};
}

TEST(EscposEncoder, CommandBytes) {
  EXPECT_EQ(encode_initialize(), (Bytes{0x1B, 0x40}));
  EXPECT_EQ(encode_cut(), (Bytes{0x1D, 0x56, 0x42, 0x00}));  // GS V 66 0: feed to the cutter, partial cut
  EXPECT_EQ(encode_feed(300), (Bytes{0x1B, 0x4A, 0xFF, 0x1B, 0x4A, 0x2D}));
  EXPECT_TRUE(encode_feed(0).empty());
}

TEST(EscposEncoder, RasterBandHeaderCountsBytesAcrossAndDotsDown) {
  const hal::RasterPage page = random_page(576, 300, 1);
  const Bytes band = encode_raster_band(page, 128, 129);
  ASSERT_EQ(band.size(), 8u + 72u * 129u);
  // GS v 0 m xL xH yL yH: 72 bytes across, 129 rows.
  EXPECT_EQ(Bytes(band.begin(), band.begin() + 8), (Bytes{0x1D, 0x76, 0x30, 0x00, 72, 0, 129, 0}));
  EXPECT_TRUE(std::equal(band.begin() + 8, band.end(), page.bits.begin() + 128 * 72));
}

TEST(EscposEncoder, JobIsInitialiseBandsOfAtMost128RowsThenCut) {
  hal::ReceiptJob job{random_page(576, 300, 2), true};
  const auto chunks = encode_job(job);
  ASSERT_EQ(chunks.size(), 1u + 3u + 1u);  // 128 + 128 + 44 rows
  EXPECT_EQ(chunks.front(), encode_initialize());
  EXPECT_EQ(chunks[3][6], 44);
  EXPECT_EQ(chunks.back(), encode_cut());
  job.cut = false;
  EXPECT_EQ(encode_job(job).size(), 4u);
}

struct Shape {
  int width;
  int height;
};

class EscposRoundTrip : public testing::TestWithParam<Shape> {};

TEST_P(EscposRoundTrip, RandomRasterDecodesToIdenticalBits) {
  const Shape shape = GetParam();
  for (std::uint32_t seed = 0; seed < 3; ++seed) {
    const hal::ReceiptJob job{random_page(shape.width, shape.height, seed * 7919u + static_cast<std::uint32_t>(shape.height)), true};
    const DecodedCapture decoded = decode_ok(concatenate(encode_job(job)));
    ASSERT_EQ(decoded.pages.size(), 1u);
    EXPECT_EQ(decoded.pages[0].width_dots, shape.width);
    EXPECT_EQ(decoded.pages[0].height, shape.height);
    EXPECT_TRUE(decoded.pages[0].bits == job.page.bits) << "seed " << seed;
    ASSERT_EQ(decoded.cuts.size(), 1u);
    EXPECT_EQ(decoded.cuts[0].page, 0);
    EXPECT_TRUE(decoded.cuts[0].partial);
    EXPECT_TRUE(decoded.ends_with_cut());
    EXPECT_EQ(decoded.initializations, 1);
    EXPECT_EQ(decoded.unknown_count, 0u);
  }
}

INSTANTIATE_TEST_SUITE_P(Shapes, EscposRoundTrip,
                         testing::Values(Shape{8, 1}, Shape{384, 127}, Shape{384, 128}, Shape{576, 129},
                                         Shape{576, 1000}, Shape{2048, 3}),
                         [](const testing::TestParamInfo<Shape>& case_info) {
                           return std::to_string(case_info.param.width) + "x" + std::to_string(case_info.param.height);
                         });

TEST(EscposEncoder, EscapesRealTimeCommandsInImageData) {
  hal::RasterPage page = random_page(64, 4, 3);
  page.bits.assign(page.bits.size(), 0xAA);
  page.bits[3] = 0x10, page.bits[4] = 0x04;   // DLE EOT
  page.bits[10] = 0x10, page.bits[11] = 0x05;  // DLE ENQ
  page.bits[16] = 0x10, page.bits[17] = 0x14;  // DLE DC4 (drawer pulse, buffer clear)
  page.bits[7] = 0x10, page.bits[8] = 0x10;    // DLE DLE: harmless, stays
  page.bits[22] = 0x10, page.bits[23] = 0x04;  // across a row end (8 bytes a row): still escaped
  const hal::RasterPage original = page;
  EXPECT_TRUE(contains_realtime_sequence(encode_raster_band(page, 0, 4)));
  EXPECT_EQ(escape_realtime_sequences(page), 4);
  EXPECT_FALSE(contains_realtime_sequence(encode_raster_band(page, 0, 4)));
  int changed_dots = 0;
  for (std::size_t i = 0; i < page.bits.size(); ++i) {
    changed_dots += __builtin_popcount(static_cast<unsigned>(page.bits[i] ^ original.bits[i]));
  }
  EXPECT_EQ(changed_dots, 4) << "one dot per escaped sequence";
  EXPECT_EQ(page.bits[8], 0x10);
}

TEST(EscposDecoder, FeedsAreBlankRowsAndLinesUseTheLineSpacing) {
  hal::RasterPage page = random_page(16, 2, 4);
  Bytes bytes = encode_initialize();
  const Bytes band = encode_raster_band(page, 0, 2);
  bytes.insert(bytes.end(), band.begin(), band.end());
  bytes.insert(bytes.end(), {0x1B, 'J', 10});   // ESC J 10: 10 dots
  bytes.insert(bytes.end(), {0x1B, '3', 20});   // ESC 3 20: lines of 20 dots
  bytes.insert(bytes.end(), {0x0A});            // LF
  bytes.insert(bytes.end(), {0x1B, 'd', 2});    // ESC d 2: two lines
  bytes.insert(bytes.end(), {0x1D, 'V', 65, 5});  // GS V 65 5: feed 5, full cut
  const DecodedCapture decoded = decode_ok(bytes);
  ASSERT_EQ(decoded.pages.size(), 1u);
  EXPECT_EQ(decoded.pages[0].height, 2 + 10 + 20 + 40 + 5);
  EXPECT_TRUE(std::equal(page.bits.begin(), page.bits.end(), decoded.pages[0].bits.begin()));
  EXPECT_TRUE(std::all_of(decoded.pages[0].bits.begin() + 4, decoded.pages[0].bits.end(), [](auto b) { return b == 0; }));
  ASSERT_EQ(decoded.cuts.size(), 1u);
  EXPECT_FALSE(decoded.cuts[0].partial);
}

TEST(EscposDecoder, CutsSplitPagesAndABlankCutBelongsToNoPage) {
  const hal::ReceiptJob first{random_page(576, 10, 5), true}, second{random_page(384, 20, 6), false};
  Bytes bytes = concatenate(encode_job(first));
  const Bytes blank_cut = encode_cut();
  bytes.insert(bytes.end(), blank_cut.begin(), blank_cut.end());
  const Bytes rest = concatenate(encode_job(second));
  bytes.insert(bytes.end(), rest.begin(), rest.end());
  const DecodedCapture decoded = decode_ok(bytes);
  ASSERT_EQ(decoded.pages.size(), 2u);
  EXPECT_EQ(decoded.pages[1].width_dots, 384);
  EXPECT_TRUE(decoded.pages[1].bits == second.page.bits);
  ASSERT_EQ(decoded.cuts.size(), 2u);
  EXPECT_EQ(decoded.cuts[0].page, 0);
  EXPECT_EQ(decoded.cuts[1].page, -1);
  EXPECT_FALSE(decoded.ends_with_cut()) << "the second page was not cut";
}

TEST(EscposDecoder, StatusQueriesAreCountedNotPrinted) {
  Bytes bytes;
  for (StatusQuery query : kAllStatusQueries) {
    const Bytes q = encode_status_query(query);
    bytes.insert(bytes.end(), q.begin(), q.end());
  }
  bytes.insert(bytes.end(), {0x10, 0x04, 0x09});
  const DecodedCapture decoded = decode_ok(bytes);
  EXPECT_EQ(decoded.status_queries, (std::vector<int>{1, 2, 3, 4}));
  EXPECT_TRUE(decoded.pages.empty());
  EXPECT_EQ(decoded.unknown_count, 1u);
}

TEST(EscposDecoder, DoubleWidthAndHeightModesScaleDots) {
  Bytes bytes = {0x1D, 'v', '0', 3, 1, 0, 1, 0, 0x81};  // mode 3: double width and height
  const DecodedCapture decoded = decode_ok(bytes);
  ASSERT_EQ(decoded.pages.size(), 1u);
  EXPECT_EQ(decoded.pages[0].width_dots, 16);
  EXPECT_EQ(decoded.pages[0].height, 2);
  EXPECT_EQ(decoded.pages[0].bits, (std::vector<std::uint8_t>{0xC0, 0x03, 0xC0, 0x03}));
}

TEST(EscposDecoder, UnknownCommandsAndTextAreReportedWithOffsets) {
  Bytes bytes = {0x1B, 0x74, 0x0F,                                  // ESC t 15: a code page (text setting)
                 'H', 'i', 0x0A,                                    // text, then LF
                 0x1D, '(', 'k', 3, 0, 49, 67, 8,                   // GS ( k: printer-side QR function
                 0x1C, 0x26,                                        // FS &: Chinese text mode
                 0x1B, 0x99,                                        // ESC 0x99: not a command we know
                 0x1D, 'v', '0', 0, 1, 0, 1, 0, 0xFF};              // then a real raster row
  const DecodedCapture decoded = decode_ok(bytes);
  ASSERT_EQ(decoded.unknown_count, 5u);
  EXPECT_EQ(decoded.unknown[0].offset, 0u);
  EXPECT_EQ(decoded.unknown[1].offset, 3u);
  EXPECT_NE(decoded.unknown[1].what.find("text of 2 bytes"), std::string::npos) << decoded.unknown[1].what;
  EXPECT_EQ(decoded.unknown[2].offset, 6u);
  EXPECT_NE(decoded.unknown[2].what.find("GS ("), std::string::npos);
  EXPECT_EQ(decoded.unknown[3].offset, 14u);
  EXPECT_EQ(decoded.unknown[4].offset, 16u);
  ASSERT_EQ(decoded.pages.size(), 1u);  // still decoded what followed
  EXPECT_EQ(decoded.pages[0].bits.back(), 0xFF);
}

TEST(EscposDecoder, EveryTruncationOfAJobIsAnErrorWithItsOffsetOrAShorterPage) {
  const hal::ReceiptJob job{random_page(64, 40, 7), true};
  const Bytes bytes = concatenate(encode_job(job, 16));
  for (std::size_t length = 0; length < bytes.size(); ++length) {
    auto decoded = decode_capture(std::span(bytes.data(), length));
    if (decoded.ok()) {
      // Cut exactly between commands: what is there decodes, and no cut was invented.
      EXPECT_FALSE(decoded->ends_with_cut()) << length;
      continue;
    }
    EXPECT_EQ(decoded.error().kind, ErrorKind::parse);
    EXPECT_NE(decoded.error().message.find("at offset"), std::string::npos) << decoded.error().message;
    EXPECT_NE(decoded.error().message.find("truncated"), std::string::npos) << decoded.error().message;
  }
}

TEST(EscposDecoder, TruncatedRasterNamesItsOffsetAndWhatIsMissing) {
  Bytes bytes = encode_initialize();
  bytes.insert(bytes.end(), {0x1D, 'v', '0', 0, 72, 0, 0x80, 0x00});  // 72 × 128 bytes promised
  bytes.resize(bytes.size() + 100, 0x55);
  auto decoded = decode_capture(bytes);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().message, "GS v 0 at offset 2: truncated (needs 9216 data bytes, 100 left)");
}

TEST(EscposDecoder, OversizedPagesAreRefusedNotAllocated) {
  // A one-dot raster then ESC J 255 × 400 is 102 000 rows: longer than any receipt.
  Bytes bytes = {0x1D, 'v', '0', 0, 1, 0, 1, 0, 0x80};
  for (int i = 0; i < 400; ++i) bytes.insert(bytes.end(), {0x1B, 'J', 255});
  auto decoded = decode_capture(bytes);
  ASSERT_FALSE(decoded.ok());
  EXPECT_NE(decoded.error().message.find("page longer than"), std::string::npos) << decoded.error().message;

  // Wide rows cut many times: refused once the pages add up past the raster limit.
  Bytes wide = {0x1D, 'v', '0', 0, 0xFF, 0xFF, 1, 0};
  wide.resize(wide.size() + 0xFFFF, 0x01);
  for (int i = 0; i < 120; ++i) wide.insert(wide.end(), {0x1B, 'J', 255});
  Bytes many;
  for (int i = 0; i < 12; ++i) {
    many.insert(many.end(), wide.begin(), wide.end());
    many.insert(many.end(), {0x1D, 'V', 0});
  }
  auto refused = decode_capture(many);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("MiB of raster"), std::string::npos) << refused.error().message;
}

TEST(EscposDecoder, GarbageNeverCrashesAndReportsAtMostTheCap) {
  std::mt19937 random(11);
  for (int round = 0; round < 200; ++round) {
    Bytes bytes(static_cast<std::size_t>(random() % 600));
    for (auto& byte : bytes) byte = static_cast<std::uint8_t>(random());
    auto decoded = decode_capture(bytes);
    if (!decoded.ok()) {
      EXPECT_EQ(decoded.error().kind, ErrorKind::parse);
      continue;
    }
    EXPECT_LE(decoded->unknown.size(), kMaxReportedUnknown);
    for (const auto& page : decoded->pages) EXPECT_TRUE(page.valid());
  }
}

}  // namespace
}  // namespace kiosk::devices::escpos
