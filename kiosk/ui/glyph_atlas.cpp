#include "kiosk/ui/glyph_atlas.h"

#include <SDL2/SDL.h>
#include <SDL2/SDL_ttf.h>

#include <cstring>

namespace kiosk::ui {
namespace {

std::uint64_t font_id(FontKey key) { return (static_cast<std::uint64_t>(key.size_px) << 1) | (key.bold ? 1u : 0u); }

Result<long> find_face_index(const std::filesystem::path& path, const std::string& family) {
  // A .ttc holds several faces (JP, KR, SC, TC, HK…); pick the one whose family matches.
  long fallback = -1;
  for (long index = 0; index < 16; ++index) {
    TTF_Font* font = TTF_OpenFontIndex(path.c_str(), 16, index);
    if (font == nullptr) break;
    const char* name = TTF_FontFaceFamilyName(font);
    const bool match = name != nullptr && family == name;
    if (fallback < 0) fallback = index;
    TTF_CloseFont(font);
    if (match) return index;
  }
  if (fallback < 0) {
    return Error::make(ErrorKind::not_found, "font " + path.string() + ": cannot open (" + TTF_GetError() + ")");
  }
  return fallback;
}

}  // namespace

std::filesystem::path default_regular_font() {
  return "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
}

std::filesystem::path default_bold_font() { return "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"; }

Result<std::unique_ptr<GlyphAtlas>> GlyphAtlas::create(const std::filesystem::path& regular_font,
                                                       const std::filesystem::path& bold_font,
                                                       const std::string& family) {
  if (TTF_WasInit() == 0 && TTF_Init() != 0) {
    return Error::make(ErrorKind::unsupported, std::string("SDL_ttf init failed: ") + TTF_GetError());
  }
  const long regular_index = TRY(find_face_index(regular_font, family));
  // A missing bold face falls back to the regular one: bold is emphasis, not information.
  FaceSource bold{regular_font, regular_index};
  if (std::filesystem::exists(bold_font)) {
    auto bold_index = find_face_index(bold_font, family);
    if (bold_index.ok()) bold = {bold_font, bold_index.value()};
  }
  return std::unique_ptr<GlyphAtlas>(new GlyphAtlas({regular_font, regular_index}, bold));
}

GlyphAtlas::GlyphAtlas(FaceSource regular, FaceSource bold) : regular_(std::move(regular)), bold_(std::move(bold)) {}

GlyphAtlas::~GlyphAtlas() {
  for (auto& [id, font] : fonts_) TTF_CloseFont(font);
}

TTF_Font* GlyphAtlas::font(FontKey key) {
  const auto id = font_id(key);
  if (auto it = fonts_.find(id); it != fonts_.end()) return it->second;
  const FaceSource& source = key.bold ? bold_ : regular_;
  TTF_Font* opened = TTF_OpenFontIndex(source.path.c_str(), key.size_px, source.index);
  if (opened != nullptr) TTF_SetFontHinting(opened, TTF_HINTING_LIGHT);
  fonts_[id] = opened;
  return opened;
}

FontMetrics GlyphAtlas::metrics(FontKey key) {
  TTF_Font* face = font(key);
  if (face == nullptr) return {key.size_px, key.size_px};
  return {TTF_FontHeight(face), TTF_FontAscent(face)};
}

const GlyphEntry& GlyphAtlas::glyph(FontKey key, char32_t code_point) {
  ++stats_.lookups;
  const std::uint64_t id = (font_id(key) << 32) | code_point;
  if (auto it = glyphs_.find(id); it != glyphs_.end()) return it->second;
  ++stats_.rasterised;
  auto [it, inserted] = glyphs_.emplace(id, rasterise(key, code_point));
  stats_.glyphs = glyphs_.size();
  return it->second;
}

bool GlyphAtlas::allocate(int width, int height, GlyphEntry& entry) {
  if (width > page_size || height > page_size) return false;
  if (pages_.empty()) pages_.emplace_back(static_cast<std::size_t>(page_size) * page_size, 0);
  if (shelf_x_ + width > page_size) {  // next shelf
    shelf_y_ += shelf_height_ + 1;
    shelf_x_ = 0;
    shelf_height_ = 0;
  }
  if (shelf_y_ + height > page_size) {  // next page
    pages_.emplace_back(static_cast<std::size_t>(page_size) * page_size, 0);
    shelf_x_ = shelf_y_ = shelf_height_ = 0;
  }
  entry.page = static_cast<int>(pages_.size()) - 1;
  entry.atlas_x = shelf_x_;
  entry.atlas_y = shelf_y_;
  shelf_x_ += width + 1;
  shelf_height_ = std::max(shelf_height_, height);
  stats_.pages = pages_.size();
  return true;
}

GlyphEntry GlyphAtlas::rasterise(FontKey key, char32_t code_point) {
  GlyphEntry entry;
  TTF_Font* face = font(key);
  if (face == nullptr) return entry;
  if (!TTF_GlyphIsProvided32(face, code_point)) code_point = U'\u25A1';
  int min_x = 0, max_x = 0, min_y = 0, max_y = 0, advance = 0;
  if (TTF_GlyphMetrics32(face, code_point, &min_x, &max_x, &min_y, &max_y, &advance) == 0) entry.advance = advance;
  if (code_point == U' ' || code_point == U'\u3000') return entry;

  SDL_Surface* rendered = TTF_RenderGlyph32_Blended(face, code_point, SDL_Color{255, 255, 255, 255});
  if (rendered == nullptr) return entry;
  SDL_Surface* surface = SDL_ConvertSurfaceFormat(rendered, SDL_PIXELFORMAT_ARGB8888, 0);
  SDL_FreeSurface(rendered);
  if (surface == nullptr) return entry;

  // Crop to the inked box so the atlas stores coverage only.
  const auto* pixels = static_cast<const std::uint8_t*>(surface->pixels);
  auto alpha = [&](int x, int y) { return pixels[y * surface->pitch + x * 4 + 3]; };
  int left = surface->w, right = -1, top = surface->h, bottom = -1;
  for (int y = 0; y < surface->h; ++y) {
    for (int x = 0; x < surface->w; ++x) {
      if (alpha(x, y) == 0) continue;
      left = std::min(left, x);
      right = std::max(right, x);
      top = std::min(top, y);
      bottom = std::max(bottom, y);
    }
  }
  if (right >= left && allocate(right - left + 1, bottom - top + 1, entry)) {
    entry.width = right - left + 1;
    entry.height = bottom - top + 1;
    entry.offset_x = left;
    entry.offset_y = top;
    std::uint8_t* page = pages_[static_cast<std::size_t>(entry.page)].data();
    for (int y = 0; y < entry.height; ++y) {
      for (int x = 0; x < entry.width; ++x) {
        page[(entry.atlas_y + y) * page_size + entry.atlas_x + x] = alpha(left + x, top + y);
      }
    }
  }
  SDL_FreeSurface(surface);
  return entry;
}

}  // namespace kiosk::ui
