#pragma once
// Image files for the face gate (kioskctl device face photo.jpg, test pictures): JPEG, PNG or
// binary PNM. The header is read by our own code first — type, size, and whether the file is
// complete — so a picture that is not an image, truncated, tiny or huge is refused with a clear
// message before OpenCV's decoder allocates a byte for it (tests/fuzz/face_image_fuzz.cpp).

#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

#include "hal/image.h"
#include "kiosk/core/result.h"

namespace kiosk::face {

enum class ImageType { jpeg, png, pnm };
const char* to_string(ImageType type);

struct ImageHeader {
  ImageType type = ImageType::jpeg;
  int width = 0;
  int height = 0;
};

// Limits: a face frame smaller than 64×64 holds no face worth judging; 8192 on a side and
// 40 megapixels cover any camera; 32 MiB covers any such file.
inline constexpr int kMinImageSide = 64;
inline constexpr int kMaxImageSide = 8192;
inline constexpr std::int64_t kMaxImagePixels = 40'000'000;
inline constexpr std::uintmax_t kMaxImageFileBytes = 32u << 20;

// Reads the type and size from the first bytes and checks the file is whole (JPEG ends with EOI,
// PNG with IEND, PNM has all its pixel bytes). Parse errors say which; sizes outside the limits
// are invalid_argument errors naming the size.
Result<ImageHeader> read_image_header(std::span<const std::uint8_t> bytes);

// read_image_header, then decoding into rgb24. The decoded pixels are personal data: the caller
// wipes them.
Result<hal::Image> decode_image(std::span<const std::uint8_t> bytes);

// Reads (at most kMaxImageFileBytes) and decodes a file; the file's bytes are wiped after.
Result<hal::Image> load_image(const std::filesystem::path& path);

}  // namespace kiosk::face
