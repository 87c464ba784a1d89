#include "tools/platform-sim/licence_document.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <cairo-pdf.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "kiosk/core/text.h"
#include "tools/platform-sim/codec.h"

namespace platform_sim {
namespace {

constexpr double kPageWidth = 595.28;   // A4 in points
constexpr double kPageHeight = 841.89;
constexpr const char* kFont = "Noto Sans CJK SC";

cairo_status_t append_bytes(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

void set_font(cairo_t* cr, double size, bool bold) {
  cairo_select_font_face(cr, kFont, CAIRO_FONT_SLANT_NORMAL, bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, size);
}

double text_width(cairo_t* cr, const std::string& text) {
  cairo_text_extents_t extents;
  cairo_text_extents(cr, text.c_str(), &extents);
  return extents.x_advance;
}

void centred(cairo_t* cr, const std::string& text, double y) {
  cairo_move_to(cr, (kPageWidth - text_width(cr, text)) / 2, y);
  cairo_show_text(cr, text.c_str());
}

// Draws `text` from (x, y), wrapping by character at `width` (CJK lines break anywhere); returns
// the baseline after the last line.
double wrapped(cairo_t* cr, const std::string& text, double x, double y, double width, double line_height) {
  std::string line;
  for (char32_t c : kiosk::text::decode_utf8(text)) {
    std::string next = line;
    kiosk::text::append_utf8(next, c);
    // Closing punctuation never starts a line (kinsoku): it may overhang the column instead.
    if (!line.empty() && text_width(cr, next) > width && !kiosk::text::is_no_line_start(c)) {
      cairo_move_to(cr, x, y);
      cairo_show_text(cr, line.c_str());
      y += line_height;
      line.clear();
      kiosk::text::append_utf8(line, c);
    } else {
      line = std::move(next);
    }
  }
  cairo_move_to(cr, x, y);
  cairo_show_text(cr, line.c_str());
  return y + line_height;
}

void draw_frame(cairo_t* cr) {
  cairo_set_source_rgb(cr, 0.62, 0.13, 0.12);
  cairo_set_line_width(cr, 3);
  cairo_rectangle(cr, 36, 36, kPageWidth - 72, kPageHeight - 72);
  cairo_stroke(cr);
  cairo_set_line_width(cr, 1);
  cairo_rectangle(cr, 44, 44, kPageWidth - 88, kPageHeight - 88);
  cairo_stroke(cr);
}

// The issuer's seal: a red ring, a five-pointed star and the issuer's name.
void draw_seal(cairo_t* cr, const std::string& issuer, double cx, double cy) {
  cairo_set_source_rgba(cr, 0.85, 0.1, 0.1, 0.85);
  cairo_set_line_width(cr, 3);
  cairo_new_path(cr);  // show_text leaves a current point; the ring must not join it
  cairo_arc(cr, cx, cy, 58, 0, 2 * M_PI);
  cairo_stroke(cr);
  for (int i = 0; i < 10; ++i) {
    const double radius = i % 2 == 0 ? 18 : 7;
    const double angle = -M_PI / 2 + i * M_PI / 5;
    const double x = cx + radius * std::cos(angle), y = cy - 12 + radius * std::sin(angle);
    if (i == 0) {
      cairo_move_to(cr, x, y);
    } else {
      cairo_line_to(cr, x, y);
    }
  }
  cairo_close_path(cr);
  cairo_fill(cr);
  set_font(cr, 9, true);
  const double width = text_width(cr, issuer);
  const double scale = width > 96 ? 96 / width : 1.0;
  cairo_save(cr);
  cairo_translate(cr, cx - width * scale / 2, cy + 24);
  cairo_scale(cr, scale, 1.0);
  cairo_move_to(cr, 0, 0);
  cairo_show_text(cr, issuer.c_str());
  cairo_restore(cr);
}

double draw_rows(cairo_t* cr, const LicenceContent& content, double y) {
  std::vector<std::pair<std::string, std::string>> rows = {
      {"持证人", content.holder},      {"证照编号", content.number},   {"发证机关", content.issuer},
      {"发证日期", content.issued_at}, {"有效期至", content.valid_until}};
  rows.insert(rows.end(), content.fields.begin(), content.fields.end());
  for (const auto& [label, value] : rows) {
    cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
    set_font(cr, 13, false);
    cairo_move_to(cr, 90, y);
    cairo_show_text(cr, label.c_str());
    cairo_set_source_rgb(cr, 0.05, 0.05, 0.05);
    set_font(cr, 15, false);
    y = wrapped(cr, value, 190, y, kPageWidth - 190 - 80, 21) + 10;
  }
  return y;
}

std::string public_key_pem(EVP_PKEY* key) {
  BIO* memory = BIO_new(BIO_s_mem());
  std::string pem;
  if (memory && PEM_write_bio_PUBKEY(memory, key) == 1) {
    char* data = nullptr;
    const long size = BIO_get_mem_data(memory, &data);
    pem.assign(data, static_cast<std::size_t>(size));
  }
  BIO_free(memory);
  return pem;
}

std::string public_key_der(EVP_PKEY* key) {
  unsigned char* der = nullptr;
  const int size = i2d_PUBKEY(key, &der);
  if (size <= 0) return {};
  std::string bytes(reinterpret_cast<const char*>(der), static_cast<std::size_t>(size));
  OPENSSL_free(der);
  return bytes;
}

}  // namespace

kiosk::Result<std::string> render_licence_pdf(const LicenceContent& content) {
  std::string pdf;
  cairo_surface_t* surface = cairo_pdf_surface_create_for_stream(append_bytes, &pdf, kPageWidth, kPageHeight);
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, content.type.c_str());
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "platform-sim");
  cairo_t* cr = cairo_create(surface);
  draw_frame(cr);
  cairo_set_source_rgb(cr, 0.62, 0.13, 0.12);
  set_font(cr, 13, false);
  centred(cr, "中华人民共和国", 110);
  set_font(cr, 30, true);
  centred(cr, content.type, 160);
  set_font(cr, 12, false);
  centred(cr, "电子证照", 188);
  const double end = draw_rows(cr, content, 240);
  draw_seal(cr, content.issuer, kPageWidth - 150, std::min(std::max(end + 75, 600.0), kPageHeight - 170));
  cairo_set_source_rgb(cr, 0.4, 0.4, 0.4);
  set_font(cr, 10, false);
  centred(cr, "本电子证照由" + content.issuer + "签发，经数字签名保护，与纸质证照具有同等效力。", kPageHeight - 80);
  centred(cr, "（模拟平台生成的样例数据，仅供测试）", kPageHeight - 64);
  cairo_show_page(cr);
  const cairo_status_t drawn = cairo_status(cr);
  cairo_destroy(cr);
  cairo_surface_finish(surface);
  const cairo_status_t finished = cairo_surface_status(surface);
  cairo_surface_destroy(surface);
  if (drawn != CAIRO_STATUS_SUCCESS || finished != CAIRO_STATUS_SUCCESS) {
    return kiosk::Error::make(kiosk::ErrorKind::io, std::string("cairo: ") +
                                                       cairo_status_to_string(drawn != CAIRO_STATUS_SUCCESS ? drawn : finished));
  }
  return pdf;
}

void release_font_caches() {
  cairo_debug_reset_static_data();
  FcFini();
}

kiosk::Result<std::unique_ptr<IssuerKey>> IssuerKey::load(const std::filesystem::path& private_key_pem,
                                                          std::string issuer_name) {
  FILE* file = std::fopen(private_key_pem.c_str(), "rb");
  if (!file) return kiosk::Error::make(kiosk::ErrorKind::not_found, private_key_pem.string() + ": cannot open (run tools/pki/pki init)");
  EVP_PKEY* key = PEM_read_PrivateKey(file, nullptr, nullptr, nullptr);
  std::fclose(file);
  if (!key) return kiosk::Error::make(kiosk::ErrorKind::parse, private_key_pem.string() + ": not a PEM private key");
  if (EVP_PKEY_get_base_id(key) != EVP_PKEY_EC || EVP_PKEY_get_bits(key) != 256) {
    EVP_PKEY_free(key);
    return kiosk::Error::make(kiosk::ErrorKind::parse, private_key_pem.string() + ": not an ECDSA P-256 key");
  }
  return std::unique_ptr<IssuerKey>(new IssuerKey(key, std::move(issuer_name)));
}

IssuerKey::IssuerKey(EVP_PKEY* key, std::string name)
    : key_(key),
      name_(std::move(name)),
      key_id_(sha256_hex(public_key_der(key)).substr(0, 16)),
      public_key_pem_(platform_sim::public_key_pem(key)) {}

IssuerKey::~IssuerKey() { EVP_PKEY_free(key_); }

kiosk::Result<std::string> IssuerKey::sign(std::string_view bytes) const {
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  std::size_t size = 0;
  std::string signature;
  bool ok = context && EVP_DigestSignInit(context, nullptr, EVP_sha256(), nullptr, key_) == 1 &&
            EVP_DigestSign(context, nullptr, &size, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()) == 1;
  if (ok) {
    signature.resize(size);
    ok = EVP_DigestSign(context, reinterpret_cast<unsigned char*>(signature.data()), &size,
                        reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()) == 1;
    signature.resize(size);
  }
  EVP_MD_CTX_free(context);
  if (!ok) return kiosk::Error::make(kiosk::ErrorKind::io, "ECDSA signing failed");
  return signature;
}

}  // namespace platform_sim
