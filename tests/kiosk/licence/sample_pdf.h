#pragma once
// Test support for the licence tests: small PDFs drawn with cairo (as the platform simulator draws
// its licences) and an issuer key made with OpenSSL that signs them as the platform does (ECDSA
// P-256 over SHA-256 of the bytes, DER).

#include <cstdint>
#include <string>
#include <vector>

#include <cairo-pdf.h>
#include <cairo.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

namespace kiosk::licence::test_support {

inline cairo_status_t append(void* closure, const unsigned char* data, unsigned int length) {
  auto* out = static_cast<std::vector<std::uint8_t>*>(closure);
  out->insert(out->end(), data, data + length);
  return CAIRO_STATUS_SUCCESS;
}

// `pages` A4 pages (595 × 842 pt); page i says "<text> 第<i+1>页" near the top in Noto Sans CJK SC,
// with a black box in the middle.
inline std::vector<std::uint8_t> sample_pdf(int pages, const std::string& text, double width = 595, double height = 842) {
  std::vector<std::uint8_t> pdf;
  cairo_surface_t* surface = cairo_pdf_surface_create_for_stream(append, &pdf, width, height);
  cairo_t* cr = cairo_create(surface);
  for (int i = 0; i < pages; ++i) {
    cairo_select_font_face(cr, "Noto Sans CJK SC", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 20);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_move_to(cr, 72, 120);
    const std::string line = text + " 第" + std::to_string(i + 1) + "页";
    cairo_show_text(cr, line.c_str());
    cairo_rectangle(cr, width / 2 - 50, height / 2 - 50, 100, 100);
    cairo_fill(cr);
    cairo_show_page(cr);
  }
  cairo_destroy(cr);
  cairo_surface_finish(surface);
  cairo_surface_destroy(surface);
  return pdf;
}

class TestIssuer {
 public:
  TestIssuer() : key_(EVP_EC_gen("P-256")) {}
  ~TestIssuer() { EVP_PKEY_free(key_); }
  TestIssuer(const TestIssuer&) = delete;
  TestIssuer& operator=(const TestIssuer&) = delete;

  std::string public_key_pem() const {
    BIO* memory = BIO_new(BIO_s_mem());
    PEM_write_bio_PUBKEY(memory, key_);
    char* data = nullptr;
    const long size = BIO_get_mem_data(memory, &data);
    std::string pem(data, static_cast<std::size_t>(size));
    BIO_free(memory);
    return pem;
  }

  std::vector<std::uint8_t> sign(const std::vector<std::uint8_t>& bytes) const {
    EVP_MD_CTX* context = EVP_MD_CTX_new();
    std::size_t length = 0;
    EVP_DigestSignInit(context, nullptr, EVP_sha256(), nullptr, key_);
    EVP_DigestSign(context, nullptr, &length, bytes.data(), bytes.size());
    std::vector<std::uint8_t> signature(length);
    EVP_DigestSign(context, signature.data(), &length, bytes.data(), bytes.size());
    signature.resize(length);
    EVP_MD_CTX_free(context);
    return signature;
  }

 private:
  EVP_PKEY* key_;
};

}  // namespace kiosk::licence::test_support
