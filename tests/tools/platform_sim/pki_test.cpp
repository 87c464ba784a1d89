// tools/pki: ECDSA P-256 keys written 0600 from the start, certificates with the right names,
// usages and validity, and clear refusals.
#include <sys/stat.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "tests/tools/platform_sim/sim_harness.h"

namespace platform_sim_test {
namespace {

unsigned mode_of(const fs::path& path) {
  struct stat info {};
  stat(path.c_str(), &info);
  return info.st_mode & 0777;
}

X509* load_certificate(const fs::path& path) {
  FILE* file = std::fopen(path.c_str(), "rb");
  if (!file) return nullptr;
  X509* certificate = PEM_read_X509(file, nullptr, nullptr, nullptr);
  std::fclose(file);
  return certificate;
}

bool is_p256(EVP_PKEY* key) { return key && EVP_PKEY_get_base_id(key) == EVP_PKEY_EC && EVP_PKEY_get_bits(key) == 256; }

bool verifies_against(const fs::path& ca_file, X509* certificate) {
  X509_STORE* store = X509_STORE_new();
  X509_STORE_load_file(store, ca_file.c_str());
  X509_STORE_CTX* context = X509_STORE_CTX_new();
  X509_STORE_CTX_init(context, store, certificate, nullptr);
  const bool ok = X509_verify_cert(context) == 1;
  X509_STORE_CTX_free(context);
  X509_STORE_free(store);
  return ok;
}

TEST(PkiScript, InitAndTerminalMakeP256KeysMode0600) {
  TempDir temp;
  const fs::path pki = temp.path() / "pki", log = temp.path() / "log";
  ASSERT_EQ(run_pki("init '" + pki.string() + "'", log), 0);
  ASSERT_EQ(run_pki("terminal '" + pki.string() + "' 510502-HALL-0001 --days 30", log), 0);
  for (const char* key : {"ca.key", "server.key", "issuer.key", "terminals/510502-HALL-0001.key"}) {
    EXPECT_EQ(mode_of(pki / key), 0600u) << key;
    FILE* file = std::fopen((pki / key).c_str(), "rb");
    ASSERT_NE(file, nullptr);
    EVP_PKEY* private_key = PEM_read_PrivateKey(file, nullptr, nullptr, nullptr);
    std::fclose(file);
    EXPECT_TRUE(is_p256(private_key)) << key;
    EVP_PKEY_free(private_key);
  }
  EXPECT_EQ(mode_of(pki / "ca.crt"), 0644u);

  X509* server = load_certificate(pki / "server.crt");
  ASSERT_NE(server, nullptr);
  EXPECT_TRUE(verifies_against(pki / "ca.crt", server));
  EXPECT_EQ(X509_check_host(server, "localhost", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_ip_asc(server, "127.0.0.1", 0), 1);
  EXPECT_NE(X509_get_extended_key_usage(server) & XKU_SSL_SERVER, 0u);
  X509_free(server);

  X509* terminal = load_certificate(pki / "terminals" / "510502-HALL-0001.crt");
  ASSERT_NE(terminal, nullptr);
  EXPECT_TRUE(verifies_against(pki / "ca.crt", terminal));
  EXPECT_TRUE(is_p256(X509_get0_pubkey(terminal)));
  EXPECT_NE(X509_get_extended_key_usage(terminal) & XKU_SSL_CLIENT, 0u);
  char common_name[128] = {};
  X509_NAME_get_text_by_NID(X509_get_subject_name(terminal), NID_commonName, common_name, sizeof common_name);
  EXPECT_STREQ(common_name, "510502-HALL-0001");
  int days = 0, seconds = 0;
  ASSERT_EQ(ASN1_TIME_diff(&days, &seconds, nullptr, X509_get0_notAfter(terminal)), 1);
  EXPECT_GE(days, 29);
  EXPECT_LE(days, 30);
  X509_free(terminal);
}

TEST(PkiScript, InitKeepsWhatExistsAndExpiredCertificatesAreExpired) {
  TempDir temp;
  const fs::path pki = temp.path() / "pki", log = temp.path() / "log";
  ASSERT_EQ(run_pki("init '" + pki.string() + "'", log), 0);
  std::ifstream first_in(pki / "ca.crt");
  const std::string first((std::istreambuf_iterator<char>(first_in)), std::istreambuf_iterator<char>());
  ASSERT_EQ(run_pki("init '" + pki.string() + "'", log), 0);
  std::ifstream second_in(pki / "ca.crt");
  const std::string second((std::istreambuf_iterator<char>(second_in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(first, second);

  ASSERT_EQ(run_pki("terminal '" + pki.string() + "' OLD-1 --expired", log), 0);
  X509* expired = load_certificate(pki / "terminals" / "OLD-1.crt");
  ASSERT_NE(expired, nullptr);
  EXPECT_LT(X509_cmp_current_time(X509_get0_notAfter(expired)), 0);
  EXPECT_FALSE(verifies_against(pki / "ca.crt", expired));
  X509_free(expired);
}

TEST(PkiScript, RefusesBadArgumentsWithAMessage) {
  TempDir temp;
  const fs::path pki = temp.path() / "pki", log = temp.path() / "log";
  EXPECT_NE(run_pki("terminal '" + pki.string() + "' T-1", log), 0);  // no CA yet
  ASSERT_EQ(run_pki("init '" + pki.string() + "'", log), 0);
  EXPECT_NE(run_pki("terminal '" + pki.string() + "' '../escape'", log), 0);
  EXPECT_NE(run_pki("terminal '" + pki.string() + "' T-1 --days -1", log), 0);
  EXPECT_NE(run_pki("frobnicate", log), 0);
  std::ifstream in(log);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("run 'pki init"), std::string::npos);
  EXPECT_NE(text.find("terminal id '../escape'"), std::string::npos);
  EXPECT_FALSE(fs::exists(pki / "terminals" / "T-1.key"));
}

}  // namespace
}  // namespace platform_sim_test
