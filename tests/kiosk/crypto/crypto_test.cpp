// The crypto seam's test vectors, run against every backend (OpenSSL and mbedTLS) through the same
// interface, plus cross-backend checks: what one backend seals the other opens, and both agree on
// every digest, MAC, ciphertext and signature verdict.
#include <algorithm>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "kiosk/crypto/crypto.h"
#include "kiosk/crypto/detail.h"

namespace kiosk::crypto {
namespace {

// ---- test data -------------------------------------------------------------------------------

Bytes hex(std::string_view text) {
  auto bytes = from_hex(text);
  EXPECT_TRUE(bytes.ok()) << text;
  return bytes.ok() ? bytes.value() : Bytes{};
}

Bytes text_bytes(std::string_view text) { return Bytes(text.begin(), text.end()); }

Bytes repeated(std::uint8_t byte, std::size_t count) { return Bytes(count, byte); }

Bytes concat(std::initializer_list<ByteView> parts) {
  Bytes out;
  for (ByteView part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}

SealKey key_of(ByteView bytes) {
  SealKey key;
  EXPECT_EQ(bytes.size(), key.bytes.size());
  std::copy_n(bytes.begin(), std::min(bytes.size(), key.bytes.size()), key.bytes.begin());
  return key;
}

SealKey counting_key(std::uint8_t start) {
  SealKey key;
  for (std::size_t i = 0; i < key.bytes.size(); ++i) key.bytes[i] = static_cast<std::uint8_t>(start + i);
  return key;
}

// ECDSA P-256 data made once with the openssl CLI (3.0):
//   openssl ecparam -name prime256v1 -genkey -noout -out a.key; openssl ec -in a.key -pubout -out a.pub
//   printf 'kiosk update manifest v1' > msg.txt; openssl dgst -sha256 -sign a.key -out a.sig msg.txt
// and the same for key b; p384.pub with -name secp384r1; the compressed key with
//   openssl ec -pubin -in a.pub -conv_form compressed -pubout
constexpr std::string_view kMessage = "kiosk update manifest v1";
constexpr std::string_view kKeyA =
    "-----BEGIN PUBLIC KEY-----\n"
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEL9sWprIqZ9y0sDmcuU4l/WOyM5hE\n"
    "SQqdBaEnM+nlcRtsU7BlXtVlXV45CvOD9rRBpMT8JLoHIKOMM4umwmcXOw==\n"
    "-----END PUBLIC KEY-----\n";
constexpr std::string_view kKeyB =
    "-----BEGIN PUBLIC KEY-----\n"
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE4Qf8NN3ubVBkLS2viJy27ZewlsMY\n"
    "rY5iVpcBVdiFtMEYUYyJ24L4mgBZqdKKrI3eeia1Gzjli5wzeCUMV8IUfw==\n"
    "-----END PUBLIC KEY-----\n";
constexpr std::string_view kKeyP384 =
    "-----BEGIN PUBLIC KEY-----\n"
    "MHYwEAYHKoZIzj0CAQYFK4EEACIDYgAEMi1qTSBTdY1RFoUob+aVsVAcTH4sDwoG\n"
    "5MGJUn7OpfrmcJC4/LbrfGlEdTCtbC/p1UqPd0Jr2ySNlU3BN8DM98CCIA910o7H\n"
    "jDfzOpVnG61Ls9/y0uLd435wJmYDVslP\n"
    "-----END PUBLIC KEY-----\n";
constexpr std::string_view kKeyACompressed =
    "-----BEGIN PUBLIC KEY-----\n"
    "MDkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDIgADL9sWprIqZ9y0sDmcuU4l/WOyM5hE\n"
    "SQqdBaEnM+nlcRs=\n"
    "-----END PUBLIC KEY-----\n";
// Key A with the last bit of Y flipped: the point is no longer on the curve.
constexpr std::string_view kKeyOffCurve =
    "-----BEGIN PUBLIC KEY-----\n"
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEL9sWprIqZ9y0sDmcuU4l/WOyM5hE\n"
    "SQqdBaEnM+nlcRtsU7BlXtVlXV45CvOD9rRBpMT8JLoHIKOMM4umwmcXOg==\n"
    "-----END PUBLIC KEY-----\n";
constexpr std::string_view kSignatureA =
    "3046022100b7499c7af6d1e14af58a25fec685681ff5d7d27df3fa9b130082c2e8d5636e37"
    "022100bae1f475404fcf2c94d23a22a85670aceea072c3c50cb89a2359b898b5158896";
constexpr std::string_view kSignatureB =
    "3044022035a85d1c4dcc895a9ccb7fe3c1066c2c1639ca7f4eb16513ec4578a85121e672"
    "0220214fa77a769f0fefcb34dfed8ff628d8fc6bbd780d97f9b0a0037e64fae03b02";
// The order n of the P-256 group (FIPS 186-4 D.1.2.3): s = n is out of range.
constexpr std::string_view kP256Order = "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";

// ---- backends --------------------------------------------------------------------------------

using SealWithNonce = Result<Bytes> (*)(const SealKey&, ByteView, ByteView, ByteView);

struct Backend {
  const char* name;
  std::unique_ptr<Crypto> (*make)();
  SealWithNonce seal_with_nonce;
};

void PrintTo(const Backend& backend, std::ostream* out) { *out << backend.name; }

const Backend kOpenssl{"openssl", make_openssl_crypto, detail::openssl_seal_with_nonce};
const Backend kMbedtls{"mbedtls", make_mbedtls_crypto, detail::mbedtls_seal_with_nonce};

class CryptoBackend : public testing::TestWithParam<Backend> {
 protected:
  std::unique_ptr<Crypto> crypto_ = GetParam().make();
};

std::string backend_name(const testing::TestParamInfo<Backend>& info) { return info.param.name; }

INSTANTIATE_TEST_SUITE_P(Backends, CryptoBackend, testing::Values(kOpenssl, kMbedtls), backend_name);

void expect_parse_error(const Result<Bytes>& result, std::string_view mentions) {
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::parse);
  EXPECT_NE(result.error().message.find(mentions), std::string::npos) << result.error().message;
}

TEST_P(CryptoBackend, NamesItself) { EXPECT_STREQ(crypto_->backend(), GetParam().name); }

// ---- SHA-256 (FIPS 180-2 appendix B examples) ------------------------------------------------

TEST_P(CryptoBackend, Sha256NistVectors) {
  EXPECT_EQ(to_hex(crypto_->sha256(as_bytes(""))),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(to_hex(crypto_->sha256(as_bytes("abc"))),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(to_hex(crypto_->sha256(as_bytes("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(to_hex(crypto_->sha256(repeated('a', 1000000))),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

// ---- HMAC-SHA256 (RFC 4231 section 4; case 5 is a truncated MAC and not used) ------------------

struct HmacCase {
  int number;
  Bytes key;
  Bytes data;
  const char* mac;
};

std::vector<HmacCase> rfc4231_cases() {
  Bytes key4;
  for (std::uint8_t i = 1; i <= 25; ++i) key4.push_back(i);
  return {
      {1, repeated(0x0b, 20), text_bytes("Hi There"), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
      {2, text_bytes("Jefe"), text_bytes("what do ya want for nothing?"),
       "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
      {3, repeated(0xaa, 20), repeated(0xdd, 50), "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
      {4, key4, repeated(0xcd, 50), "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
      {6, repeated(0xaa, 131), text_bytes("Test Using Larger Than Block-Size Key - Hash Key First"),
       "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
      {7, repeated(0xaa, 131),
       text_bytes("This is a test using a larger than block-size key and a larger than block-size data. The key needs "
            "to be hashed before being used by the HMAC algorithm."),
       "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
  };
}

TEST_P(CryptoBackend, HmacSha256Rfc4231) {
  for (const HmacCase& test : rfc4231_cases()) {
    EXPECT_EQ(to_hex(crypto_->hmac_sha256(test.key, test.data)), test.mac) << "RFC 4231 test case " << test.number;
  }
}

// ---- AES-256-GCM (McGrew & Viega, "The Galois/Counter Mode of Operation", test cases 13-16) -----

struct GcmCase {
  int number;
  const char* key;
  const char* plaintext;
  const char* aad;
  const char* nonce;
  const char* ciphertext;
  const char* tag;
};

constexpr const char* kSpecKey = "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308";
constexpr const char* kSpecPlaintext =
    "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
    "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255";
constexpr const char* kSpecCiphertext =
    "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
    "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad";
constexpr const char* kZeroKey = "0000000000000000000000000000000000000000000000000000000000000000";

const GcmCase kGcmCases[] = {
    {13, kZeroKey, "", "", "000000000000000000000000", "", "530f8afbc74536b9a963b4f1c4cb738b"},
    {14, kZeroKey, "00000000000000000000000000000000", "", "000000000000000000000000",
     "cea7403d4d606b6e074ec5d3baf39d18", "d0d1c8a799996bf0265b98b5d48ab919"},
    {15, kSpecKey, kSpecPlaintext, "", "cafebabefacedbaddecaf888", kSpecCiphertext, "b094dac5d93471bdec1a502270e3cc6c"},
    // Case 16: the first 60 bytes of case 15's plaintext, with aad.
    {16, kSpecKey,
     "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
     "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
     "feedfacedeadbeeffeedfacedeadbeefabaddad2", "cafebabefacedbaddecaf888",
     "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
     "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
     "76fc6ece0f4e1768cddf8853bb2d551b"},
};

TEST_P(CryptoBackend, AesGcmSpecTestCases13To16) {
  for (const GcmCase& test : kGcmCases) {
    SCOPED_TRACE("GCM spec test case " + std::to_string(test.number));
    const SealKey key = key_of(hex(test.key));
    const Bytes plaintext = hex(test.plaintext);
    const Bytes aad = hex(test.aad);
    const Bytes expected = concat({Bytes{kSealedFormatVersion}, hex(test.nonce), hex(test.ciphertext), hex(test.tag)});

    auto sealed = GetParam().seal_with_nonce(key, hex(test.nonce), plaintext, aad);
    ASSERT_TRUE(sealed.ok()) << sealed.error().message;
    EXPECT_EQ(to_hex(*sealed), to_hex(expected));

    auto opened = crypto_->open(key, expected, aad);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    EXPECT_EQ(*opened, plaintext);
  }
}

TEST_P(CryptoBackend, SealWithNonceRefusesAnotherNonceLength) {
  auto sealed = GetParam().seal_with_nonce(counting_key(0), repeated(0, 8), as_bytes("x"), {});
  ASSERT_FALSE(sealed.ok());
  EXPECT_EQ(sealed.error().kind, ErrorKind::invalid_argument);
}

// ---- seal / open ---------------------------------------------------------------------------------

TEST_P(CryptoBackend, SealedDataOpensWithTheSameKeyAndAad) {
  const SealKey key = counting_key(1);
  for (std::size_t size : {0, 1, 15, 16, 17, 1000, 100000}) {
    Bytes plaintext(size);
    for (std::size_t i = 0; i < size; ++i) plaintext[i] = static_cast<std::uint8_t>(i * 7);
    auto sealed = crypto_->seal(key, plaintext, as_bytes("case-42"));
    ASSERT_TRUE(sealed.ok()) << sealed.error().message;
    EXPECT_EQ(sealed->size(), size + kSealOverhead);
    EXPECT_EQ((*sealed)[0], kSealedFormatVersion);
    auto opened = crypto_->open(key, *sealed, as_bytes("case-42"));
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    EXPECT_EQ(*opened, plaintext) << "size " << size;
  }
}

TEST_P(CryptoBackend, SealedDataDoesNotContainThePlaintext) {
  const std::string secret = "110105194912310021 张三 四川省泸州市";
  auto sealed = crypto_->seal(counting_key(1), as_bytes(secret), {});
  ASSERT_TRUE(sealed.ok());
  const std::string stored(sealed->begin(), sealed->end());
  EXPECT_EQ(stored.find("110105194912310021"), std::string::npos);
  EXPECT_EQ(stored.find("张三"), std::string::npos);
}

TEST_P(CryptoBackend, OpenRefusesWrongKeyOrAad) {
  auto sealed = crypto_->seal(counting_key(1), as_bytes("payload"), as_bytes("row-1"));
  ASSERT_TRUE(sealed.ok());
  expect_parse_error(crypto_->open(counting_key(2), *sealed, as_bytes("row-1")), "sealed data failed authentication");
  expect_parse_error(crypto_->open(counting_key(1), *sealed, as_bytes("row-2")), "sealed data failed authentication");
  expect_parse_error(crypto_->open(counting_key(1), *sealed, {}), "sealed data failed authentication");
}

TEST_P(CryptoBackend, OpenRefusesAnotherFormatVersion) {
  auto sealed = crypto_->seal(counting_key(1), as_bytes("payload"), {});
  ASSERT_TRUE(sealed.ok());
  for (std::uint8_t version : {0x00, 0x02, 0xFF}) {
    Bytes changed = *sealed;
    changed[0] = version;
    expect_parse_error(crypto_->open(counting_key(1), changed, {}), "version " + std::to_string(version));
  }
}

TEST_P(CryptoBackend, EveryTruncationFailsCleanly) {
  const SealKey key = counting_key(3);
  auto sealed = crypto_->seal(key, as_bytes("a form with forty bytes of personal data"), as_bytes("k"));
  ASSERT_TRUE(sealed.ok());
  for (std::size_t length = 0; length < sealed->size(); ++length) {
    SCOPED_TRACE("length " + std::to_string(length));
    const ByteView prefix = ByteView(*sealed).first(length);
    expect_parse_error(crypto_->open(key, prefix, as_bytes("k")),
                       length < kSealOverhead ? "too short" : "failed authentication");
  }
  Bytes extended = *sealed;
  extended.push_back(0);
  expect_parse_error(crypto_->open(key, extended, as_bytes("k")), "failed authentication");
}

TEST_P(CryptoBackend, ChangingAnySingleByteFails) {
  const SealKey key = counting_key(4);
  auto sealed = crypto_->seal(key, as_bytes("outbox row payload"), as_bytes("idempotency-key"));
  ASSERT_TRUE(sealed.ok());
  for (std::size_t index = 0; index < sealed->size(); ++index) {
    for (std::uint8_t mask : {0x01, 0x80, 0xFF}) {
      Bytes changed = *sealed;
      changed[index] ^= mask;
      SCOPED_TRACE("byte " + std::to_string(index) + " mask " + std::to_string(mask));
      expect_parse_error(crypto_->open(key, changed, as_bytes("idempotency-key")),
                         index == 0 ? "version" : "sealed data failed authentication");
    }
  }
}

TEST_P(CryptoBackend, ThousandSealsUseThousandNonces) {
  const SealKey key = counting_key(5);
  std::set<Bytes> nonces;
  for (int i = 0; i < 1000; ++i) {
    auto sealed = crypto_->seal(key, as_bytes("same plaintext"), {});
    ASSERT_TRUE(sealed.ok());
    nonces.insert(Bytes(sealed->begin() + 1, sealed->begin() + 1 + kSealNonceSize));
  }
  EXPECT_EQ(nonces.size(), 1000u);
}

TEST_P(CryptoBackend, SealAndOpenFromManyThreadsAtOnce) {
  const SealKey key = counting_key(6);
  std::mutex mutex;
  std::set<Bytes> nonces;
  int failures = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 100; ++i) {
        const std::string text = "thread " + std::to_string(t) + " item " + std::to_string(i);
        auto sealed = crypto_->seal(key, as_bytes(text), as_bytes(text));
        auto opened = sealed.ok() ? crypto_->open(key, *sealed, as_bytes(text)) : Result<Bytes>(sealed.error());
        const bool ok = opened.ok() && *opened == text_bytes(text);
        std::lock_guard lock(mutex);
        if (!ok) ++failures;
        if (sealed.ok()) nonces.insert(Bytes(sealed->begin() + 1, sealed->begin() + 1 + kSealNonceSize));
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(nonces.size(), 400u);
}

// ---- random bytes --------------------------------------------------------------------------------

TEST_P(CryptoBackend, RandomBytesHaveTheAskedSizeAndDiffer) {
  auto empty = crypto_->random_bytes(0);
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
  auto first = crypto_->random_bytes(3000);  // more than one mbedTLS request (1024)
  auto second = crypto_->random_bytes(3000);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->size(), 3000u);
  EXPECT_NE(*first, *second);
  // Every byte value is expected ~11.7 times in 3000 bytes; a stuck or zeroed generator shows here.
  std::set<std::uint8_t> distinct(first->begin(), first->end());
  EXPECT_GT(distinct.size(), 200u);
  // The last chunk is filled too (not left zero).
  EXPECT_NE(Bytes(first->end() - 32, first->end()), Bytes(32, 0));
}

// ---- ECDSA P-256 verification ----------------------------------------------------------------------

TEST_P(CryptoBackend, VerifiesAValidSignature) {
  auto verdict = crypto_->verify_p256(kKeyA, as_bytes(kMessage), hex(kSignatureA));
  ASSERT_TRUE(verdict.ok()) << verdict.error().message;
  EXPECT_TRUE(*verdict);
}

TEST_P(CryptoBackend, AcceptsPemWithCrlfAndSurroundingWhitespace) {
  std::string pem;
  for (char c : kKeyA) {
    if (c == '\n') pem += '\r';
    pem += c;
  }
  auto verdict = crypto_->verify_p256("\n  " + pem + "\n\n", as_bytes(kMessage), hex(kSignatureA));
  ASSERT_TRUE(verdict.ok()) << verdict.error().message;
  EXPECT_TRUE(*verdict);
}

TEST_P(CryptoBackend, AChangedMessageDoesNotVerify) {
  std::string message(kMessage);
  message[5] ^= 0x01;
  auto verdict = crypto_->verify_p256(kKeyA, as_bytes(message), hex(kSignatureA));
  ASSERT_TRUE(verdict.ok()) << verdict.error().message;
  EXPECT_FALSE(*verdict);
  verdict = crypto_->verify_p256(kKeyA, as_bytes(""), hex(kSignatureA));
  ASSERT_TRUE(verdict.ok());
  EXPECT_FALSE(*verdict);
}

TEST_P(CryptoBackend, AnotherKeysSignatureDoesNotVerify) {
  auto verdict = crypto_->verify_p256(kKeyA, as_bytes(kMessage), hex(kSignatureB));
  ASSERT_TRUE(verdict.ok()) << verdict.error().message;
  EXPECT_FALSE(*verdict);
  verdict = crypto_->verify_p256(kKeyB, as_bytes(kMessage), hex(kSignatureB));
  ASSERT_TRUE(verdict.ok()) << verdict.error().message;
  EXPECT_TRUE(*verdict);
}

TEST_P(CryptoBackend, AFlippedSignatureBitNeverVerifies) {
  const Bytes signature = hex(kSignatureA);
  // The framing bytes, the first and last bytes of r and s: each flip is malformed or invalid.
  for (std::size_t index : {0, 1, 2, 3, 4, 5, 36, 37, 38, 39, 40, 71}) {
    for (int bit = 0; bit < 8; ++bit) {
      Bytes changed = signature;
      changed[index] ^= static_cast<std::uint8_t>(1 << bit);
      auto verdict = crypto_->verify_p256(kKeyA, as_bytes(kMessage), changed);
      EXPECT_TRUE(!verdict.ok() || !*verdict) << "byte " << index << " bit " << bit;
      if (!verdict.ok()) {
        EXPECT_EQ(verdict.error().kind, ErrorKind::parse) << verdict.error().message;
      }
    }
  }
}

TEST_P(CryptoBackend, OutOfRangeValuesAreWellFormedButInvalid) {
  const Bytes valid = hex(kSignatureA);
  ASSERT_EQ(valid.size(), 72u);
  const Bytes r(valid.begin() + 4, valid.begin() + 37);  // 00 and 32 bytes
  const Bytes s_equal_to_order = concat({Bytes{0x02, 0x21, 0x00}, hex(kP256Order)});
  const Bytes signature = concat({Bytes{0x30, 0x46, 0x02, 0x21}, r, s_equal_to_order});
  auto verdict = crypto_->verify_p256(kKeyA, as_bytes(kMessage), signature);
  ASSERT_TRUE(verdict.ok()) << verdict.error().message;
  EXPECT_FALSE(*verdict);
  const Bytes zeros = hex("3006020100020100");  // r = s = 0
  verdict = crypto_->verify_p256(kKeyA, as_bytes(kMessage), zeros);
  ASSERT_TRUE(verdict.ok()) << verdict.error().message;
  EXPECT_FALSE(*verdict);
}

TEST_P(CryptoBackend, MalformedSignaturesAreErrors) {
  const Bytes valid = hex(kSignatureA);
  const std::vector<std::pair<Bytes, const char*>> cases = {
      {Bytes{}, "length 0"},
      {text_bytes("garbage garbage"), "SEQUENCE"},
      {concat({valid, Bytes{0x00}}), "length 73"},
      {Bytes(valid.begin(), valid.end() - 1), "SEQUENCE length"},
      {hex("30080202000102020001"), "minimally"},  // r = 0x0001 padded
      {hex("3006020180020101"), "negative"},
      {hex("3006030101020101"), "INTEGER"},
      {hex("3006020101020000"), "s has a bad length"},
      {hex("3006020501010101"), "r is truncated"},
      {hex("3008020101020101ffff"), "data after s"},
  };
  for (const auto& [signature, mentions] : cases) {
    auto verdict = crypto_->verify_p256(kKeyA, as_bytes(kMessage), signature);
    ASSERT_FALSE(verdict.ok()) << to_hex(signature);
    EXPECT_EQ(verdict.error().kind, ErrorKind::parse);
    EXPECT_NE(verdict.error().message.find(mentions), std::string::npos) << verdict.error().message;
  }
}

TEST_P(CryptoBackend, UnusableKeysAreErrors) {
  const Bytes signature = hex(kSignatureA);
  const auto kind_for = [&](std::string_view pem) {
    auto verdict = crypto_->verify_p256(pem, as_bytes(kMessage), signature);
    EXPECT_FALSE(verdict.ok()) << pem;
    return verdict.ok() ? ErrorKind::invalid_argument : verdict.error().kind;
  };
  EXPECT_EQ(kind_for(""), ErrorKind::parse);
  EXPECT_EQ(kind_for("not a key at all"), ErrorKind::parse);
  EXPECT_EQ(kind_for("-----BEGIN PUBLIC KEY-----\n!!!!\n-----END PUBLIC KEY-----\n"), ErrorKind::parse);
  EXPECT_EQ(kind_for("-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYI\n-----END PUBLIC KEY-----"), ErrorKind::parse);
  EXPECT_EQ(kind_for("-----BEGIN PUBLIC KEY-----\nMFk=wEw\n-----END PUBLIC KEY-----"), ErrorKind::parse);
  EXPECT_EQ(kind_for(std::string(kKeyA).substr(0, 80)), ErrorKind::parse);  // truncated: no END line
  EXPECT_EQ(kind_for(kKeyOffCurve), ErrorKind::parse);
  EXPECT_EQ(kind_for(kKeyP384), ErrorKind::unsupported);
  EXPECT_EQ(kind_for(kKeyACompressed), ErrorKind::unsupported);
  EXPECT_EQ(kind_for(std::string(20000, 'A')), ErrorKind::parse);  // oversized
}

// ---- hex -------------------------------------------------------------------------------------------

TEST(CryptoHex, RoundTripsAndAcceptsUppercase) {
  const Bytes bytes = {0x00, 0x01, 0x7f, 0x80, 0xab, 0xff};
  EXPECT_EQ(to_hex(bytes), "00017f80abff");
  auto decoded = from_hex("00017F80ABff");
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, bytes);
  auto empty = from_hex("");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

TEST(CryptoHex, RefusesOddLengthAndNonHexWithoutQuotingTheText) {
  auto odd = from_hex("abc");
  ASSERT_FALSE(odd.ok());
  EXPECT_EQ(odd.error().kind, ErrorKind::parse);
  EXPECT_NE(odd.error().message.find("odd"), std::string::npos);
  auto bad = from_hex("00112g");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind, ErrorKind::parse);
  EXPECT_NE(bad.error().message.find("offset 5"), std::string::npos) << bad.error().message;
  EXPECT_EQ(bad.error().message.find("00112g"), std::string::npos);
}

TEST(CryptoHex, AsBytesViewsTheTextWithoutATerminator) {
  const ByteView view = as_bytes("ab");
  ASSERT_EQ(view.size(), 2u);
  EXPECT_EQ(view[0], 'a');
  EXPECT_EQ(view[1], 'b');
}

// ---- across backends -------------------------------------------------------------------------------

TEST(CryptoCrossBackend, EachOpensWhatTheOtherSealed) {
  auto openssl = make_openssl_crypto();
  auto mbedtls = make_mbedtls_crypto();
  const SealKey key = counting_key(9);
  for (auto [sealer, opener] : {std::pair{openssl.get(), mbedtls.get()}, std::pair{mbedtls.get(), openssl.get()}}) {
    SCOPED_TRACE(std::string(sealer->backend()) + " -> " + opener->backend());
    auto sealed = sealer->seal(key, as_bytes("sealed by one, opened by the other"), as_bytes("row-7"));
    ASSERT_TRUE(sealed.ok());
    auto opened = opener->open(key, *sealed, as_bytes("row-7"));
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    EXPECT_EQ(*opened, text_bytes("sealed by one, opened by the other"));
    Bytes changed = *sealed;
    changed.back() ^= 0x01;
    expect_parse_error(opener->open(key, changed, as_bytes("row-7")), "sealed data failed authentication");
  }
}

TEST(CryptoCrossBackend, SameBytesForEveryLength) {
  auto openssl = make_openssl_crypto();
  auto mbedtls = make_mbedtls_crypto();
  auto input = openssl->random_bytes(300);
  ASSERT_TRUE(input.ok());
  const SealKey key = counting_key(10);
  const Bytes nonce(input->begin(), input->begin() + kSealNonceSize);
  for (std::size_t length = 0; length <= 150; length += 1) {
    const ByteView data = ByteView(*input).first(length);
    const ByteView other = ByteView(*input).subspan(150, length);
    SCOPED_TRACE("length " + std::to_string(length));
    EXPECT_EQ(openssl->sha256(data), mbedtls->sha256(data));
    EXPECT_EQ(openssl->hmac_sha256(other, data), mbedtls->hmac_sha256(other, data));
    auto by_openssl = detail::openssl_seal_with_nonce(key, nonce, data, other);
    auto by_mbedtls = detail::mbedtls_seal_with_nonce(key, nonce, data, other);
    ASSERT_TRUE(by_openssl.ok() && by_mbedtls.ok());
    EXPECT_EQ(*by_openssl, *by_mbedtls);
  }
}

TEST(CryptoCrossBackend, SameVerdictOnChangedSignatureBytes) {
  auto openssl = make_openssl_crypto();
  auto mbedtls = make_mbedtls_crypto();
  const Bytes signature = hex(kSignatureA);
  // Every third byte: framing, r and s (a full verify per byte is slow under the sanitizers).
  for (std::size_t index = 0; index < signature.size(); index += 3) {
    Bytes changed = signature;
    changed[index] ^= 0x10;
    auto a = openssl->verify_p256(kKeyA, as_bytes(kMessage), changed);
    auto b = mbedtls->verify_p256(kKeyA, as_bytes(kMessage), changed);
    ASSERT_EQ(a.ok(), b.ok()) << "byte " << index;
    if (a.ok()) {
      EXPECT_EQ(*a, *b) << "byte " << index;
    }
  }
}

TEST(CryptoCrossBackend, MakeCryptoGivesTheConfiguredBackend) {
  auto crypto = make_crypto();
  ASSERT_NE(crypto, nullptr);
  EXPECT_STREQ(crypto->backend(), KIOSK_CRYPTO_BACKEND_NAME);
}

}  // namespace
}  // namespace kiosk::crypto
