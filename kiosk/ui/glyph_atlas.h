#pragma once
// Glyph cache built for CJK. SDL_ttf's own cache holds 256 glyphs, but one page of Chinese has
// hundreds of distinct characters, so every glyph is rasterised once by SDL_ttf (FreeType) and
// kept as an 8-bit coverage mask in atlas pages. Drawing a glyph is then a masked blend; nothing is
// rasterised again while the font size stays in use. UI thread only.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <unordered_map>
#include <vector>

#include "kiosk/core/result.h"

typedef struct _TTF_Font TTF_Font;

namespace kiosk::ui {

// A font at one pixel size and weight.
struct FontKey {
  int size_px = 32;
  bool bold = false;
  bool operator==(const FontKey&) const = default;
};

struct FontMetrics {
  int height = 0;  // ascent + descent in pixels
  int ascent = 0;
};

struct GlyphEntry {
  int page = 0;
  int atlas_x = 0, atlas_y = 0;  // top-left of the cropped mask in the page
  int width = 0, height = 0;     // size of the cropped mask (0 for blank glyphs)
  int offset_x = 0, offset_y = 0;  // from the pen position at the top of the font's line box
  int advance = 0;
};

struct AtlasStats {
  std::size_t glyphs = 0;
  std::size_t pages = 0;
  std::size_t rasterised = 0;  // cache misses since creation
  std::size_t lookups = 0;
};

class GlyphAtlas {
 public:
  static constexpr int page_size = 1024;

  // Opens the regular and bold faces (TTC files are searched for the face named `family`).
  static Result<std::unique_ptr<GlyphAtlas>> create(const std::filesystem::path& regular_font,
                                                    const std::filesystem::path& bold_font,
                                                    const std::string& family = "Noto Sans CJK SC");
  ~GlyphAtlas();
  GlyphAtlas(const GlyphAtlas&) = delete;
  GlyphAtlas& operator=(const GlyphAtlas&) = delete;

  // The glyph of `code_point` in `font`, rasterised on first use. Missing glyphs map to U+25A1 (□).
  // The reference stays valid for the atlas' lifetime.
  const GlyphEntry& glyph(FontKey font, char32_t code_point);
  FontMetrics metrics(FontKey font);
  const std::uint8_t* page_pixels(int page) const { return pages_[static_cast<std::size_t>(page)].data(); }
  AtlasStats stats() const { return stats_; }

 private:
  struct FaceSource {
    std::filesystem::path path;
    long index = 0;
  };
  GlyphAtlas(FaceSource regular, FaceSource bold);
  TTF_Font* font(FontKey key);
  GlyphEntry rasterise(FontKey key, char32_t code_point);
  bool allocate(int width, int height, GlyphEntry& entry);

  FaceSource regular_;
  FaceSource bold_;
  std::unordered_map<std::uint64_t, TTF_Font*> fonts_;  // (size, bold) → opened face
  std::unordered_map<std::uint64_t, GlyphEntry> glyphs_;  // (font id << 32) | code point
  std::vector<std::vector<std::uint8_t>> pages_;
  int shelf_x_ = 0, shelf_y_ = 0, shelf_height_ = 0;
  AtlasStats stats_;
};

// Locates Noto Sans CJK (Debian fonts-noto-cjk) or the path named in config.
std::filesystem::path default_regular_font();
std::filesystem::path default_bold_font();

}  // namespace kiosk::ui
