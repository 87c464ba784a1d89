#include "kiosk/ui/png.h"

#include <SDL2/SDL.h>
#include <SDL2/SDL_image.h>

#include <cstdlib>
#include <cstring>

namespace kiosk::ui {

Status save_png(const Canvas& canvas, const std::filesystem::path& path) {
  SDL_Surface* surface = SDL_CreateRGBSurfaceWithFormatFrom(const_cast<std::uint32_t*>(canvas.pixels()), canvas.width(),
                                                            canvas.height(), 32, canvas.pitch_bytes(),
                                                            SDL_PIXELFORMAT_ARGB8888);
  if (surface == nullptr) return Error::make(ErrorKind::io, std::string("screenshot surface: ") + SDL_GetError());
  const int status = IMG_SavePNG(surface, path.c_str());
  SDL_FreeSurface(surface);
  if (status != 0) return Error::make(ErrorKind::io, "cannot write " + path.string() + ": " + IMG_GetError());
  return {};
}

Result<Canvas> load_png(const std::filesystem::path& path) {
  SDL_Surface* loaded = IMG_Load(path.c_str());
  if (loaded == nullptr) return Error::make(ErrorKind::not_found, "cannot read " + path.string() + ": " + IMG_GetError());
  SDL_Surface* converted = SDL_ConvertSurfaceFormat(loaded, SDL_PIXELFORMAT_ARGB8888, 0);
  SDL_FreeSurface(loaded);
  if (converted == nullptr) return Error::make(ErrorKind::parse, "cannot convert " + path.string());
  Canvas canvas(converted->w, converted->h);
  for (int y = 0; y < converted->h; ++y) {
    std::memcpy(canvas.pixels() + static_cast<std::size_t>(y) * converted->w,
                static_cast<const std::uint8_t*>(converted->pixels) + static_cast<std::size_t>(y) * converted->pitch,
                static_cast<std::size_t>(converted->w) * 4);
  }
  SDL_FreeSurface(converted);
  return canvas;
}

ImageDifference compare_images(const Canvas& actual, const Canvas& expected, int threshold) {
  ImageDifference difference;
  difference.same_size = actual.width() == expected.width() && actual.height() == expected.height();
  if (!difference.same_size) {
    difference.differing_fraction = 1;
    return difference;
  }
  const std::size_t count = static_cast<std::size_t>(actual.width()) * actual.height();
  std::size_t differing = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const std::uint32_t a = actual.pixels()[i], b = expected.pixels()[i];
    int worst = 0;
    for (int shift = 0; shift < 24; shift += 8) {
      worst = std::max(worst, std::abs(static_cast<int>((a >> shift) & 0xFF) - static_cast<int>((b >> shift) & 0xFF)));
    }
    difference.max_channel_delta = std::max(difference.max_channel_delta, worst);
    if (worst > threshold) ++differing;
  }
  difference.differing_fraction = static_cast<double>(differing) / static_cast<double>(count);
  return difference;
}

}  // namespace kiosk::ui
