#include "kiosk/ui/png.h"

#include <SDL2/SDL.h>
#include <SDL2/SDL_image.h>

#include <cstdlib>
#include <cstring>

namespace kiosk::ui {

namespace {

// One path to the encoder for files and memory: SDL_image writes to any SDL_RWops.
Status write_png(const Canvas& canvas, SDL_RWops* destination, PngColour colour, const std::string& what) {
  SDL_Surface* surface = nullptr;
  if (colour == PngColour::rgb) {
    surface = SDL_CreateRGBSurfaceWithFormatFrom(const_cast<std::uint32_t*>(canvas.pixels()), canvas.width(),
                                                 canvas.height(), 32, canvas.pitch_bytes(), SDL_PIXELFORMAT_ARGB8888);
  } else {
    // SDL_image writes an 8-bit surface as a palette PNG; a palette of 256 greys is a grey image.
    surface = SDL_CreateRGBSurfaceWithFormat(0, canvas.width(), canvas.height(), 8, SDL_PIXELFORMAT_INDEX8);
    if (surface != nullptr) {
      SDL_Color greys[256];
      for (int i = 0; i < 256; ++i) {
        const auto level = static_cast<Uint8>(i);
        greys[i] = {level, level, level, 255};
      }
      SDL_SetPaletteColors(surface->format->palette, greys, 0, 256);
      for (int y = 0; y < canvas.height(); ++y) {
        auto* row = static_cast<std::uint8_t*>(surface->pixels) + static_cast<std::size_t>(y) * surface->pitch;
        for (int x = 0; x < canvas.width(); ++x) {
          const std::uint32_t pixel = canvas.pixel(x, y);
          const unsigned luma = (299 * ((pixel >> 16) & 0xFF) + 587 * ((pixel >> 8) & 0xFF) + 114 * (pixel & 0xFF) + 500) / 1000;
          row[x] = static_cast<std::uint8_t>(luma);
        }
      }
    }
  }
  if (surface == nullptr) {
    SDL_RWclose(destination);
    return Error::make(ErrorKind::io, what + ": cannot make a surface: " + SDL_GetError());
  }
  const int status = IMG_SavePNG_RW(surface, destination, 1);  // closes `destination`
  SDL_FreeSurface(surface);
  if (status != 0) return Error::make(ErrorKind::io, "cannot write " + what + ": " + IMG_GetError());
  return {};
}

// An SDL_RWops that appends whatever is written to a vector (SDL_RWFromMem needs a fixed buffer).
SDL_RWops* vector_writer(std::vector<std::uint8_t>& bytes) {
  SDL_RWops* ops = SDL_AllocRW();
  if (ops == nullptr) return nullptr;
  ops->type = SDL_RWOPS_UNKNOWN;
  ops->hidden.unknown.data1 = &bytes;
  ops->size = [](SDL_RWops* self) -> Sint64 {
    return static_cast<Sint64>(static_cast<std::vector<std::uint8_t>*>(self->hidden.unknown.data1)->size());
  };
  ops->seek = [](SDL_RWops* self, Sint64, int) -> Sint64 {
    return static_cast<Sint64>(static_cast<std::vector<std::uint8_t>*>(self->hidden.unknown.data1)->size());
  };
  ops->read = [](SDL_RWops*, void*, size_t, size_t) -> size_t { return 0; };
  ops->write = [](SDL_RWops* self, const void* data, size_t size, size_t count) -> size_t {
    auto* target = static_cast<std::vector<std::uint8_t>*>(self->hidden.unknown.data1);
    const auto* begin = static_cast<const std::uint8_t*>(data);
    target->insert(target->end(), begin, begin + size * count);
    return count;
  };
  ops->close = [](SDL_RWops* self) -> int {
    SDL_FreeRW(self);
    return 0;
  };
  return ops;
}

Result<Canvas> read_png(SDL_RWops* source, const std::string& what) {
  SDL_Surface* loaded = source != nullptr ? IMG_Load_RW(source, 1) : nullptr;
  if (loaded == nullptr) return Error::make(ErrorKind::not_found, "cannot read " + what + ": " + IMG_GetError());
  SDL_Surface* converted = SDL_ConvertSurfaceFormat(loaded, SDL_PIXELFORMAT_ARGB8888, 0);
  SDL_FreeSurface(loaded);
  if (converted == nullptr) return Error::make(ErrorKind::parse, "cannot convert " + what);
  Canvas canvas(converted->w, converted->h);
  for (int y = 0; y < converted->h; ++y) {
    std::memcpy(canvas.pixels() + static_cast<std::size_t>(y) * converted->w,
                static_cast<const std::uint8_t*>(converted->pixels) + static_cast<std::size_t>(y) * converted->pitch,
                static_cast<std::size_t>(converted->w) * 4);
  }
  SDL_FreeSurface(converted);
  return canvas;
}

}  // namespace

Status save_png(const Canvas& canvas, const std::filesystem::path& path) {
  SDL_RWops* file = SDL_RWFromFile(path.c_str(), "wb");
  if (file == nullptr) return Error::make(ErrorKind::io, "cannot write " + path.string() + ": " + SDL_GetError());
  return write_png(canvas, file, PngColour::rgb, path.string());
}

Result<std::vector<std::uint8_t>> encode_png(const Canvas& canvas, PngColour colour) {
  std::vector<std::uint8_t> bytes;
  SDL_RWops* writer = vector_writer(bytes);
  if (writer == nullptr) return Error::make(ErrorKind::io, std::string("PNG in memory: ") + SDL_GetError());
  TRY_STATUS(write_png(canvas, writer, colour, "PNG in memory"));
  return bytes;
}

Result<Canvas> load_png(const std::filesystem::path& path) {
  return read_png(SDL_RWFromFile(path.c_str(), "rb"), path.string());
}

Result<Canvas> decode_png(std::span<const std::uint8_t> bytes) {
  return read_png(SDL_RWFromConstMem(bytes.data(), static_cast<int>(bytes.size())), "PNG bytes");
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
