// The SAM frame layer (DOMAIN.md "Resident ID card reader"; GA 467 frame format): encoding, the
// incremental parser under chunking, garbage, corruption and truncation, and the SW3 table.
#include "devices/idcard/sam_frame.h"

#include <gtest/gtest.h>

#include <numeric>

namespace kiosk::devices::idcard {
namespace {

Bytes sample_data(std::size_t size) {
  Bytes data(size);
  std::iota(data.begin(), data.end(), std::uint8_t{7});
  return data;
}

// Every frame and error the parser yields for `stream` fed in chunks of `chunk` bytes.
struct Parsed {
  std::vector<Bytes> frames;
  std::vector<FrameError::Problem> errors;
};
Parsed parse_all(const Bytes& stream, std::size_t chunk, FrameParser parser = FrameParser{}) {
  Parsed parsed;
  for (std::size_t at = 0; at < stream.size(); at += chunk) {
    const std::size_t size = std::min(chunk, stream.size() - at);
    parser.feed(std::span(stream).subspan(at, size));
    while (auto frame = parser.next()) {
      if (frame->ok()) parsed.frames.push_back(frame->value());
      else parsed.errors.push_back(frame->error().problem);
    }
  }
  return parsed;
}

Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes all;
  for (const auto& part : parts) all.insert(all.end(), part.begin(), part.end());
  return all;
}

TEST(SamFrame, FindCardCommandIsTheDocumentedBytes) {
  // DOMAIN.md: find card = AA AA AA 96 69 00 03 20 01 22.
  EXPECT_EQ(encode_command(kFindCard), (Bytes{0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x03, 0x20, 0x01, 0x22}));
}

TEST(SamFrame, AnswerLengthCountsEverythingAfterItAndXorCoversLengthOnwards) {
  const std::uint8_t data[] = {0x00, 0x00, 0x00, 0x00};
  // A reader's "find ok": LEN 8 = SW1 SW2 SW3 + 4 data + CHK; CHK = 00^08^00^00^9F^00^00^00^00.
  EXPECT_EQ(encode_answer(sw3::kFindOk, data),
            (Bytes{0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x08, 0x00, 0x00, 0x9F, 0x00, 0x00, 0x00, 0x00, 0x97}));
  const Bytes read = encode_answer(sw3::kOk, sample_data(1284));
  EXPECT_EQ(read[5], 0x05);  // text+photo answer: LEN 05 08
  EXPECT_EQ(read[6], 0x08);
  EXPECT_EQ(read.size(), kHeaderSize + 0x508);
}

TEST(SamFrame, ParsesAFullReadAnswerFedInChunksOfEverySize) {
  const Bytes data = sample_data(1284);
  const Bytes frame = encode_answer(sw3::kOk, data);
  for (std::size_t chunk = 1; chunk <= frame.size() + 1; ++chunk) {
    const Parsed parsed = parse_all(frame, chunk);
    ASSERT_EQ(parsed.frames.size(), 1u) << "chunk " << chunk;
    ASSERT_TRUE(parsed.errors.empty()) << "chunk " << chunk;
    auto answer = decode_answer(parsed.frames[0]);
    ASSERT_TRUE(answer.ok());
    EXPECT_EQ(answer->status, sw3::kOk);
    ASSERT_EQ(answer->data, data) << "chunk " << chunk;
  }
}

TEST(SamFrame, SkipsGarbageAndBrokenPreamblesBeforeAFrame) {
  const Bytes garbage = {0x00, 0xFF, 0xAA, 0xAA, 0x13, 0x96, 0x69, 0xAA, 0xAA, 0xAA, 0x96, 0x00, 0xAA, 0xAA};
  const Bytes frame = encode_answer(sw3::kNoCard);
  for (std::size_t chunk : {std::size_t{1}, std::size_t{3}, std::size_t{64}}) {
    const Parsed parsed = parse_all(concat({garbage, frame}), chunk);
    ASSERT_EQ(parsed.frames.size(), 1u) << chunk;
    EXPECT_TRUE(parsed.errors.empty());
    EXPECT_EQ(decode_answer(parsed.frames[0])->status, sw3::kNoCard);
  }
  FrameParser parser;
  parser.feed(concat({garbage, frame}));
  ASSERT_TRUE(parser.next().has_value());
  EXPECT_EQ(parser.skipped_bytes(), garbage.size());
}

TEST(SamFrame, APreambleInsideTheDataDoesNotSplitTheFrame) {
  Bytes data = sample_data(200);
  const Bytes fake = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x04};
  std::copy(fake.begin(), fake.end(), data.begin() + 50);
  const Parsed parsed = parse_all(encode_answer(sw3::kOk, data), 5);
  ASSERT_EQ(parsed.frames.size(), 1u);
  EXPECT_EQ(decode_answer(parsed.frames[0])->data, data);
}

TEST(SamFrame, BadXorIsAnErrorAndTheNextFrameStillParses) {
  Bytes corrupted = encode_answer(sw3::kOk, sample_data(16));
  corrupted.back() ^= 0x01;
  const Bytes good = encode_answer(sw3::kFindOk);
  const Parsed parsed = parse_all(concat({corrupted, good}), 7);
  EXPECT_EQ(parsed.errors, std::vector<FrameError::Problem>{FrameError::Problem::bad_checksum});
  ASSERT_EQ(parsed.frames.size(), 1u);
  EXPECT_EQ(decode_answer(parsed.frames[0])->status, sw3::kFindOk);

  FrameParser parser;
  parser.feed(corrupted);
  auto error = parser.next();
  ASSERT_TRUE(error.has_value());
  ASSERT_FALSE(error->ok());
  EXPECT_NE(error->error().message.find("XOR"), std::string::npos) << error->error().message;
}

TEST(SamFrame, AFlippedDataByteFailsTheXor) {
  Bytes corrupted = encode_answer(sw3::kOk, sample_data(300));
  corrupted[100] ^= 0x40;
  const Parsed parsed = parse_all(corrupted, 300);
  EXPECT_TRUE(parsed.frames.empty());
  EXPECT_EQ(parsed.errors.front(), FrameError::Problem::bad_checksum);
}

TEST(SamFrame, LengthsTooShortForAnAnswerAreRejected) {
  for (std::uint8_t length : {0, 1, 2, 3}) {
    Bytes frame = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, length, 0x00, 0x00, 0x90, 0x90};
    FrameParser parser;  // answers: at least SW1 SW2 SW3 CHK
    parser.feed(frame);
    auto result = parser.next();
    ASSERT_TRUE(result.has_value()) << int(length);
    ASSERT_FALSE(result->ok());
    EXPECT_EQ(result->error().problem, FrameError::Problem::bad_length);
  }
}

TEST(SamFrame, OversizedLengthIsRejectedAtOnceWithoutWaitingForItsBytes) {
  const Bytes oversized = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0xFF, 0xFF};
  const Bytes good = encode_answer(sw3::kOk);
  FrameParser parser;
  parser.feed(oversized);
  auto result = parser.next();
  ASSERT_TRUE(result.has_value());
  ASSERT_FALSE(result->ok());
  EXPECT_EQ(result->error().problem, FrameError::Problem::bad_length);
  EXPECT_NE(result->error().message.find("65535"), std::string::npos) << result->error().message;
  // Resynced: the next real frame comes through.
  parser.feed(good);
  auto next = parser.next();
  ASSERT_TRUE(next.has_value());
  EXPECT_TRUE(next->ok());
  // Just past the limit is also too long.
  const std::size_t over = kMaxFrameLength + 1;
  FrameParser limit;
  limit.feed(Bytes{0xAA, 0xAA, 0xAA, 0x96, 0x69, static_cast<std::uint8_t>(over >> 8), static_cast<std::uint8_t>(over)});
  EXPECT_FALSE(limit.next()->ok());
}

TEST(SamFrame, TruncatedFrameWaitsAndReportsProgress) {
  const Bytes frame = encode_answer(sw3::kOk, sample_data(1284));
  FrameParser parser;
  parser.feed(std::span(frame).first(600));
  EXPECT_FALSE(parser.next().has_value());
  EXPECT_TRUE(parser.in_frame());
  EXPECT_EQ(parser.frame_bytes_received(), 600u);
  EXPECT_EQ(parser.frame_bytes_expected(), frame.size());
  parser.reset();
  EXPECT_FALSE(parser.in_frame());
  EXPECT_FALSE(parser.next().has_value());
  // A lone preamble is "in a frame" but its length is unknown yet.
  parser.feed(std::span(frame).first(5));
  EXPECT_TRUE(parser.in_frame());
  EXPECT_EQ(parser.frame_bytes_expected(), 0u);
}

TEST(SamFrame, GarbageAloneNeverYieldsAFrameAndStaysBounded) {
  FrameParser parser;
  Bytes noise(100000);
  std::uint32_t state = 12345;
  for (auto& byte : noise) {
    state = state * 1103515245u + 12345u;
    byte = static_cast<std::uint8_t>((state >> 16) & 0x7F);  // never 0xAA: no preamble can start
  }
  parser.feed(noise);
  EXPECT_FALSE(parser.next().has_value());
  EXPECT_FALSE(parser.in_frame());
  EXPECT_EQ(parser.skipped_bytes(), noise.size());
}

TEST(SamFrame, ReplayedAnswerComesOutTwice) {
  // The parser does not dedupe: the driver drops input before each command, and answers that
  // cannot be the command's (answer_fits), instead.
  const Bytes frame = encode_answer(sw3::kOk, sample_data(8));
  const Parsed parsed = parse_all(concat({frame, frame}), 11);
  ASSERT_EQ(parsed.frames.size(), 2u);
  EXPECT_EQ(parsed.frames[0], parsed.frames[1]);
}

TEST(SamFrame, AnswerShapesTellWhichCommandTheyCanBelongTo) {
  auto answer = [](std::uint8_t status, std::size_t size) { return Answer{0, 0, status, sample_data(size)}; };
  const Answer status_ok = answer(sw3::kOk, 0);
  const Answer sam_id = answer(sw3::kOk, 16);
  const Answer found = answer(sw3::kFindOk, 4);
  const Answer no_card = answer(sw3::kNoCard, 0);
  const Answer selected = answer(sw3::kOk, 8);
  const Answer text_photo = answer(sw3::kOk, 1284);
  // Each command's own answers fit it …
  EXPECT_TRUE(answer_fits(kSamStatus, status_ok));
  EXPECT_TRUE(answer_fits(kResetSam, status_ok));
  EXPECT_TRUE(answer_fits(kReadSamId, sam_id));
  EXPECT_TRUE(answer_fits(kFindCard, found));
  EXPECT_TRUE(answer_fits(kFindCard, no_card));
  EXPECT_TRUE(answer_fits(kSelectCard, selected));
  EXPECT_TRUE(answer_fits(kSelectCard, answer(sw3::kSelectFailed, 0)));
  EXPECT_TRUE(answer_fits(kReadTextPhoto, text_photo));
  EXPECT_TRUE(answer_fits(kReadTextPhoto, answer(sw3::kReadFailed, 0)));
  EXPECT_TRUE(answer_fits(kReadTextPhoto, answer(sw3::kUnknownCard, 0)));
  EXPECT_TRUE(answer_fits(kReadTextPhoto, answer(sw3::kSamAuthenticationFailed, 0)));
  // … and so do the failures any command can get.
  for (Command command : {kResetSam, kSamStatus, kReadSamId, kFindCard, kSelectCard, kReadTextPhoto}) {
    for (std::uint8_t status : {sw3::kChecksumError, sw3::kLengthError, sw3::kBadCommand, sw3::kSelfTestFailed}) {
      EXPECT_TRUE(answer_fits(command, answer(status, 0))) << describe(command) << " " << describe_sw3(status);
      EXPECT_FALSE(answer_fits(command, answer(status, 4))) << describe(command) << " " << describe_sw3(status);
    }
  }
  // The other commands' answers do not (the replays that made the SAM id fail).
  EXPECT_FALSE(answer_fits(kReadSamId, text_photo));
  EXPECT_FALSE(answer_fits(kReadSamId, status_ok));
  EXPECT_FALSE(answer_fits(kReadSamId, selected));
  EXPECT_FALSE(answer_fits(kSamStatus, sam_id));
  EXPECT_FALSE(answer_fits(kFindCard, text_photo));
  EXPECT_FALSE(answer_fits(kFindCard, sam_id));
  EXPECT_FALSE(answer_fits(kFindCard, status_ok));
  EXPECT_FALSE(answer_fits(kSelectCard, found));
  EXPECT_FALSE(answer_fits(kSelectCard, no_card));
  EXPECT_FALSE(answer_fits(kSelectCard, sam_id));
  EXPECT_FALSE(answer_fits(kSelectCard, text_photo));
  EXPECT_FALSE(answer_fits(kReadTextPhoto, selected));
  EXPECT_FALSE(answer_fits(kReadTextPhoto, found));
  EXPECT_FALSE(answer_fits(kReadTextPhoto, no_card));
  EXPECT_FALSE(answer_fits(kReadTextPhoto, answer(sw3::kOk, 259)));  // shorter than the text block
  // A command the driver does not know about takes whatever comes.
  EXPECT_TRUE(answer_fits(Command{0x55, 0x01}, text_photo));
}

TEST(SamFrame, CommandsParseWithTheCommandMinimum) {
  FrameParser parser(3);
  parser.feed(encode_command(kReadTextPhoto));
  auto frame = parser.next();
  ASSERT_TRUE(frame.has_value() && frame->ok());
  auto command = decode_command(frame->value());
  ASSERT_TRUE(command.ok());
  EXPECT_EQ(command->command, kReadTextPhoto);
  EXPECT_TRUE(command->data.empty());
  EXPECT_FALSE(decode_command(Bytes{0x20}).ok());
  EXPECT_EQ(decode_answer(Bytes{0x00, 0x00}).error().problem, FrameError::Problem::too_short);
}

TEST(SamFrame, Sw3TableMeaningsAndErrorCodes) {
  using hal::DeviceErrorCode;
  EXPECT_STREQ(sw3_meaning(0x90), "ok");
  EXPECT_STREQ(sw3_meaning(0x9F), "find card ok");
  EXPECT_STREQ(sw3_meaning(0x80), "find card failed (no card)");
  EXPECT_STREQ(sw3_meaning(0x40), "unknown card type");
  EXPECT_STREQ(sw3_meaning(0x60), "SAM self-test failed");
  EXPECT_STREQ(sw3_meaning(0x77), "unknown status");
  EXPECT_EQ(describe_sw3(0x41), "SW3 0x41: read card failed");
  EXPECT_EQ(sw3_error_code(0x80), DeviceErrorCode::no_card);
  EXPECT_EQ(sw3_error_code(0x81), DeviceErrorCode::no_card);
  EXPECT_EQ(sw3_error_code(0x40), DeviceErrorCode::unsupported);
  EXPECT_EQ(sw3_error_code(0x21), DeviceErrorCode::unsupported);
  EXPECT_EQ(sw3_error_code(0x60), DeviceErrorCode::hardware);
  EXPECT_EQ(sw3_error_code(0x66), DeviceErrorCode::hardware);
  EXPECT_EQ(sw3_error_code(0x10), DeviceErrorCode::bad_data);
  EXPECT_EQ(sw3_error_code(0x33), DeviceErrorCode::bad_data);
  EXPECT_TRUE(sw3_is_module_fault(0x60));
  EXPECT_FALSE(sw3_is_module_fault(0x80));
  for (int status : {0x10, 0x11, 0x21, 0x23, 0x24, 0x31, 0x32, 0x33, 0x41, 0x66, 0x81}) {
    EXPECT_STRNE(sw3_meaning(static_cast<std::uint8_t>(status)), "unknown status") << status;
  }
  EXPECT_EQ(describe(kFindCard), "find card (20 01)");
  EXPECT_EQ(describe(Command{0x55, 0x01}), "unknown command (55 01)");
}

TEST(SamFrame, SamIdDecodesItsFiveGroups) {
  const Bytes id = {0x05, 0x00, 0x01, 0x00, 0x05, 0x25, 0x35, 0x01, 0x4E, 0x61, 0xBC, 0x00, 0x2A, 0x00, 0x00, 0x00};
  auto text = decode_sam_id(id);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "05.01-20260101-0012345678-0000000042");
  EXPECT_FALSE(decode_sam_id(std::span(id).first(15)).ok());
}

}  // namespace
}  // namespace kiosk::devices::idcard
