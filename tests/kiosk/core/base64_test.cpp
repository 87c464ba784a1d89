// The one base64 of the project (kiosk and simulator): strict, and exact on every length.
#include "kiosk/core/base64.h"

#include <gtest/gtest.h>

namespace kiosk {
namespace {

TEST(Base64, Rfc4648Vectors) {
  const std::pair<const char*, const char*> vectors[] = {{"", ""},         {"f", "Zg=="},         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"}, {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(base64::encode(plain), encoded);
    auto decoded = base64::decode(encoded);
    ASSERT_TRUE(decoded.ok()) << encoded;
    EXPECT_EQ(decoded.value(), plain);
  }
}

TEST(Base64, EveryByteValueRoundTrips) {
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  EXPECT_EQ(base64::decode(base64::encode(all)).value(), all);
}

TEST(Base64, MalformedInputNamesWhere) {
  for (const char* bad : {"Zg=", "Z===", "Zg==Zg==", "Zm9\n", "Zm 9", "Zm9v!A==", "=Zg="}) {
    auto decoded = base64::decode(bad);
    ASSERT_FALSE(decoded.ok()) << bad;
    EXPECT_EQ(decoded.error().kind, ErrorKind::parse);
  }
  EXPECT_NE(base64::decode("Zm9v!A==").error().message.find("at 4"), std::string::npos);
}

}  // namespace
}  // namespace kiosk
