// The check every licence document passes before it is shown or printed (kiosk/licence/issuer_keys.h):
// ECDSA P-256 / SHA-256 over the PDF bytes by the issuer key the document names, on both crypto
// backends.
#include "kiosk/licence/issuer_keys.h"

#include <gtest/gtest.h>

#include "tests/kiosk/licence/sample_pdf.h"

namespace kiosk::licence {
namespace {

using test_support::sample_pdf;
using test_support::TestIssuer;

class IssuerKeysTest : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    crypto_ = std::string(GetParam()) == "openssl" ? crypto::make_openssl_crypto() : crypto::make_mbedtls_crypto();
    document_.pdf = sample_pdf(1, "结婚证");
    document_.signature = issuer_.sign(document_.pdf);
    document_.issuer_key_id = "a1b2c3d4e5f60718";
    document_.watermark = "此件由泸州市江阳区政务服务中心提供，仅供办理政务服务事项时使用，有效期至2026-12-25";
  }
  std::vector<platform::Issuer> issuers() const {
    return {{"0000000000000000", "另一机关", other_.public_key_pem()}, {"a1b2c3d4e5f60718", "泸州市江阳区民政局", issuer_.public_key_pem()}};
  }

  std::unique_ptr<crypto::Crypto> crypto_;
  TestIssuer issuer_;
  TestIssuer other_;
  platform::LicenceDocument document_;
};

TEST_P(IssuerKeysTest, GoodSignatureVerifies) {
  auto verdict = verify_document(*crypto_, issuers(), document_);
  EXPECT_TRUE(verdict.ok()) << verdict.error().message;
}

TEST_P(IssuerKeysTest, OneChangedByteIsRefused) {
  for (std::size_t at : {std::size_t{0}, document_.pdf.size() / 2, document_.pdf.size() - 1}) {
    auto changed = document_;
    changed.pdf[at] ^= 0x01;
    auto verdict = verify_document(*crypto_, issuers(), changed);
    ASSERT_FALSE(verdict.ok()) << "byte " << at;
    EXPECT_EQ(verdict.error().kind, LicenceErrorKind::bad_signature);
  }
  auto longer = document_;
  longer.pdf.push_back('\n');  // something appended after signing
  auto verdict = verify_document(*crypto_, issuers(), longer);
  ASSERT_FALSE(verdict.ok());
  EXPECT_EQ(verdict.error().kind, LicenceErrorKind::bad_signature);
}

TEST_P(IssuerKeysTest, SignatureByAnotherKeyIsRefused) {
  auto forged = document_;
  forged.signature = other_.sign(document_.pdf);  // valid, but not by the key the document names
  auto verdict = verify_document(*crypto_, issuers(), forged);
  ASSERT_FALSE(verdict.ok());
  EXPECT_EQ(verdict.error().kind, LicenceErrorKind::bad_signature);
}

TEST_P(IssuerKeysTest, UnknownKeyIdIsRefused) {
  auto unknown = document_;
  unknown.issuer_key_id = "ffffffffffffffff";
  auto verdict = verify_document(*crypto_, issuers(), unknown);
  ASSERT_FALSE(verdict.ok());
  EXPECT_EQ(verdict.error().kind, LicenceErrorKind::unknown_issuer);
  EXPECT_EQ(verdict.error().message.find("ffff"), std::string::npos) << "outside text in a log message";

  unknown.issuer_key_id.clear();
  verdict = verify_document(*crypto_, {{"", "空", issuer_.public_key_pem()}}, unknown);
  ASSERT_FALSE(verdict.ok());
  EXPECT_EQ(verdict.error().kind, LicenceErrorKind::unknown_issuer);

  verdict = verify_document(*crypto_, {}, document_);
  ASSERT_FALSE(verdict.ok());
  EXPECT_EQ(verdict.error().kind, LicenceErrorKind::unknown_issuer);
}

TEST_P(IssuerKeysTest, GarbageSignatureDerIsMalformed) {
  const std::vector<std::vector<std::uint8_t>> garbage = {
      {},
      {0x30},
      {0x30, 0x00},
      {0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01},  // cut short
      {0x31, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01},  // SET, not SEQUENCE
      std::vector<std::uint8_t>(72, 0xFF),
      {'h', 'e', 'l', 'l', 'o'},
  };
  for (const auto& signature : garbage) {
    auto bad = document_;
    bad.signature = signature;
    auto verdict = verify_document(*crypto_, issuers(), bad);
    ASSERT_FALSE(verdict.ok()) << signature.size();
    EXPECT_EQ(verdict.error().kind, LicenceErrorKind::malformed) << signature.size();
  }
  // Trailing bytes after a good signature: strict DER refuses them.
  auto trailing = document_;
  trailing.signature.push_back(0x00);
  auto verdict = verify_document(*crypto_, issuers(), trailing);
  ASSERT_FALSE(verdict.ok());
  EXPECT_NE(verdict.error().kind, LicenceErrorKind::unknown_issuer);
}

TEST_P(IssuerKeysTest, GarbagePemIsMalformed) {
  const std::vector<std::string> garbage = {
      "",
      "-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n",
      "-----BEGIN PUBLIC KEY-----\nnot base64 at all!\n-----END PUBLIC KEY-----\n",
      "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
      issuer_.public_key_pem().substr(0, 60),
      "\x01\x02\x03",
  };
  for (const std::string& pem : garbage) {
    auto verdict = verify_document(*crypto_, {{"a1b2c3d4e5f60718", "机关", pem}}, document_);
    ASSERT_FALSE(verdict.ok()) << pem;
    EXPECT_EQ(verdict.error().kind, LicenceErrorKind::malformed) << pem;
  }
}

TEST_P(IssuerKeysTest, StoreKeepsTheLatestListAndVerifies) {
  IssuerKeys keys(*crypto_);
  EXPECT_TRUE(keys.empty());
  auto verdict = keys.verify(document_);
  ASSERT_FALSE(verdict.ok());
  EXPECT_EQ(verdict.error().kind, LicenceErrorKind::unknown_issuer);
  keys.replace(issuers());
  EXPECT_FALSE(keys.empty());
  EXPECT_TRUE(keys.knows("a1b2c3d4e5f60718"));
  EXPECT_FALSE(keys.knows("ffffffffffffffff"));
  ASSERT_TRUE(keys.find("a1b2c3d4e5f60718").has_value());
  EXPECT_EQ(keys.find("a1b2c3d4e5f60718")->name, "泸州市江阳区民政局");
  EXPECT_TRUE(keys.verify(document_).ok());
  keys.replace({{"a1b2c3d4e5f60718", "换了密钥", other_.public_key_pem()}});  // a rotated key
  verdict = keys.verify(document_);
  ASSERT_FALSE(verdict.ok());
  EXPECT_EQ(verdict.error().kind, LicenceErrorKind::bad_signature);
}

INSTANTIATE_TEST_SUITE_P(Backends, IssuerKeysTest, ::testing::Values("openssl", "mbedtls"));

}  // namespace
}  // namespace kiosk::licence
