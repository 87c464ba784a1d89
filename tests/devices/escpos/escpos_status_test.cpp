// Real-time status (devices/escpos/escpos_status): DLE EOT n = 10 04 n answers one byte with the
// fixed bits 0xx1xx10 (ESC/POS command reference, DLE EOT; DOMAIN.md "ESC/POS receipt printers").
// Every defined bit of every query, and every byte that fails the mask.
#include "devices/escpos/escpos_status.h"

#include <gtest/gtest.h>

namespace kiosk::devices::escpos {
namespace {

using hal::DeviceErrorCode;
using hal::DeviceState;
using hal::Supply;

TEST(EscposStatus, QueriesAreDleEotN) {
  EXPECT_EQ(encode_status_query(StatusQuery::printer), (Bytes{0x10, 0x04, 0x01}));
  EXPECT_EQ(encode_status_query(StatusQuery::offline_cause), (Bytes{0x10, 0x04, 0x02}));
  EXPECT_EQ(encode_status_query(StatusQuery::error_cause), (Bytes{0x10, 0x04, 0x03}));
  EXPECT_EQ(encode_status_query(StatusQuery::paper_sensor), (Bytes{0x10, 0x04, 0x04}));
}

TEST(EscposStatus, MaskAcceptsExactlyTheBytesWithFixedBits0xx1xx10) {
  int accepted = 0;
  for (int value = 0; value < 256; ++value) {
    const auto byte = static_cast<std::uint8_t>(value);
    const bool fixed_ok = (byte & 0x80) == 0 && (byte & 0x10) != 0 && (byte & 0x02) != 0 && (byte & 0x01) == 0;
    EXPECT_EQ(passes_status_mask(byte), fixed_ok) << std::hex << value;
    accepted += fixed_ok ? 1 : 0;
  }
  EXPECT_EQ(accepted, 16);  // four free bits (2, 3, 5, 6)
}

TEST(EscposStatus, EveryByteFailingTheMaskIsBadDataAndChangesNothing) {
  for (StatusQuery query : kAllStatusQueries) {
    for (int value = 0; value < 256; ++value) {
      const auto byte = static_cast<std::uint8_t>(value);
      if (passes_status_mask(byte)) continue;
      PrinterStatus status;
      auto applied = apply_status_byte(query, byte, status);
      ASSERT_FALSE(applied.ok()) << std::hex << value;
      EXPECT_EQ(applied.error().code, DeviceErrorCode::bad_data);
      EXPECT_EQ(status, PrinterStatus{}) << "a byte failing the mask must not be trusted: " << std::hex << value;
    }
  }
}

// One free bit of one query and the field it sets.
struct BitCase {
  StatusQuery query;
  int bit;
  bool PrinterStatus::*field;
  const char* name;
};

void PrintTo(const BitCase& bit, std::ostream* out) { *out << bit.name; }

class EscposStatusBit : public testing::TestWithParam<BitCase> {};

TEST_P(EscposStatusBit, SetsItsFieldAndNoOther) {
  const BitCase& bit = GetParam();
  PrinterStatus status;
  const auto byte = static_cast<std::uint8_t>(0x12 | (1u << bit.bit));
  ASSERT_TRUE(apply_status_byte(bit.query, byte, status).ok());
  EXPECT_TRUE(status.*bit.field);
  PrinterStatus expected;
  expected.*bit.field = true;
  expected.raw[static_cast<std::size_t>(bit.query) - 1] = byte;
  EXPECT_EQ(status, expected);
  // The idle byte 0x12 clears it again.
  ASSERT_TRUE(apply_status_byte(bit.query, 0x12, status).ok());
  EXPECT_FALSE(status.*bit.field);
}

INSTANTIATE_TEST_SUITE_P(
    AllBits, EscposStatusBit,
    testing::Values(BitCase{StatusQuery::printer, 3, &PrinterStatus::offline, "n1_bit3_offline"},
                    BitCase{StatusQuery::printer, 5, &PrinterStatus::waiting_for_recovery, "n1_bit5_waiting"},
                    BitCase{StatusQuery::printer, 6, &PrinterStatus::feed_button_pressed, "n1_bit6_feed_button"},
                    BitCase{StatusQuery::offline_cause, 2, &PrinterStatus::cover_open, "n2_bit2_cover_open"},
                    BitCase{StatusQuery::offline_cause, 3, &PrinterStatus::feeding_by_button, "n2_bit3_feeding"},
                    BitCase{StatusQuery::offline_cause, 5, &PrinterStatus::stopped_by_paper_end, "n2_bit5_paper_end"},
                    BitCase{StatusQuery::offline_cause, 6, &PrinterStatus::error, "n2_bit6_error"},
                    BitCase{StatusQuery::error_cause, 3, &PrinterStatus::cutter_error, "n3_bit3_cutter"},
                    BitCase{StatusQuery::error_cause, 5, &PrinterStatus::unrecoverable_error, "n3_bit5_unrecoverable"},
                    BitCase{StatusQuery::error_cause, 6, &PrinterStatus::auto_recoverable_error, "n3_bit6_auto_recoverable"},
                    BitCase{StatusQuery::paper_sensor, 2, &PrinterStatus::paper_near_end, "n4_bit2_near_end"},
                    BitCase{StatusQuery::paper_sensor, 3, &PrinterStatus::paper_near_end, "n4_bit3_near_end"},
                    BitCase{StatusQuery::paper_sensor, 5, &PrinterStatus::paper_end, "n4_bit5_paper_end"},
                    BitCase{StatusQuery::paper_sensor, 6, &PrinterStatus::paper_end, "n4_bit6_paper_end"}),
    [](const testing::TestParamInfo<BitCase>& case_info) { return case_info.param.name; });

TEST(EscposStatus, FreeBitTwoOfQueriesOneAndThreeSetsNothingWeUse) {
  // n=1 bit 2 is the drawer kick connector, n=3 bit 2 a model-specific recoverable error.
  for (StatusQuery query : {StatusQuery::printer, StatusQuery::error_cause}) {
    PrinterStatus status;
    ASSERT_TRUE(apply_status_byte(query, 0x16, status).ok());
    PrinterStatus expected;
    expected.raw[static_cast<std::size_t>(query) - 1] = 0x16;
    EXPECT_EQ(status, expected);
  }
}

PrinterStatus from_bytes(std::uint8_t n1, std::uint8_t n2, std::uint8_t n3, std::uint8_t n4) {
  PrinterStatus status;
  EXPECT_TRUE(apply_status_byte(StatusQuery::printer, n1, status).ok());
  EXPECT_TRUE(apply_status_byte(StatusQuery::offline_cause, n2, status).ok());
  EXPECT_TRUE(apply_status_byte(StatusQuery::error_cause, n3, status).ok());
  EXPECT_TRUE(apply_status_byte(StatusQuery::paper_sensor, n4, status).ok());
  return status;
}

struct MappingCase {
  const char* name;
  std::uint8_t n1, n2, n3, n4;
  DeviceState state;
  Supply paper;
  bool cover_open;
  std::optional<DeviceErrorCode> refusal;
};

void PrintTo(const MappingCase& mapping, std::ostream* out) { *out << mapping.name; }

class EscposStatusMapping : public testing::TestWithParam<MappingCase> {};

TEST_P(EscposStatusMapping, ToDeviceStatusAndJobRefusal) {
  const MappingCase& mapping = GetParam();
  const PrinterStatus status = from_bytes(mapping.n1, mapping.n2, mapping.n3, mapping.n4);
  const hal::DeviceStatus device = to_device_status(status);
  EXPECT_EQ(device.state, mapping.state) << hal::describe(device);
  EXPECT_EQ(device.paper, mapping.paper) << hal::describe(device);
  EXPECT_EQ(device.cover_open, mapping.cover_open);
  EXPECT_NE(device.detail.find("DLE EOT 1-4:"), std::string::npos) << device.detail;
  const auto refusal = job_refusal(status);
  ASSERT_EQ(refusal.has_value(), mapping.refusal.has_value()) << (refusal ? refusal->message : "");
  if (refusal) {
    EXPECT_EQ(refusal->code, *mapping.refusal) << refusal->message;
  }
}

// Bytes as an Epson-compatible printer sends them (offline bit set with any cause).
INSTANTIATE_TEST_SUITE_P(
    Printers, EscposStatusMapping,
    testing::Values(
        MappingCase{"ready", 0x12, 0x12, 0x12, 0x12, DeviceState::online, Supply::ok, false, std::nullopt},
        MappingCase{"near_end", 0x12, 0x12, 0x12, 0x1E, DeviceState::online, Supply::near_end, false, std::nullopt},
        MappingCase{"paper_out", 0x1A, 0x32, 0x12, 0x7E, DeviceState::user_error, Supply::out, false,
                    DeviceErrorCode::paper_out},
        MappingCase{"paper_sensor_only", 0x12, 0x12, 0x12, 0x72, DeviceState::user_error, Supply::out, false,
                    DeviceErrorCode::paper_out},
        MappingCase{"cover_open", 0x1A, 0x16, 0x12, 0x12, DeviceState::user_error, Supply::ok, true,
                    DeviceErrorCode::cover_open},
        MappingCase{"cutter", 0x1A, 0x52, 0x1A, 0x12, DeviceState::hardware_error, Supply::ok, false,
                    DeviceErrorCode::hardware},
        MappingCase{"unrecoverable", 0x1A, 0x52, 0x32, 0x12, DeviceState::hardware_error, Supply::ok, false,
                    DeviceErrorCode::hardware},
        MappingCase{"cutter_and_paper_out", 0x1A, 0x72, 0x1A, 0x7E, DeviceState::hardware_error, Supply::out, false,
                    DeviceErrorCode::hardware},
        MappingCase{"head_hot", 0x1A, 0x52, 0x52, 0x12, DeviceState::offline, Supply::ok, false, DeviceErrorCode::offline},
        MappingCase{"offline_only", 0x1A, 0x12, 0x12, 0x12, DeviceState::offline, Supply::ok, false,
                    DeviceErrorCode::offline}),
    [](const testing::TestParamInfo<MappingCase>& case_info) { return case_info.param.name; });

TEST(EscposStatus, DescribesRawAnswersForTechnicians) {
  PrinterStatus status;
  EXPECT_EQ(describe_raw(status), "DLE EOT 1-4: -- -- -- --");
  ASSERT_TRUE(apply_status_byte(StatusQuery::paper_sensor, 0x7E, status).ok());
  EXPECT_EQ(describe_raw(status), "DLE EOT 1-4: -- -- -- 7E");
}

}  // namespace
}  // namespace kiosk::devices::escpos
