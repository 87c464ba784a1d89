#pragma once
// Shared by the face gate tests: the test pictures (images/README says where they come from).

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "hal/image.h"
#include "kiosk/face/face_image.h"

namespace kiosk::face {

inline std::filesystem::path test_image_path(const std::string& name) {
  return std::filesystem::path(KIOSK_FACE_TEST_IMAGES) / name;
}

inline std::vector<std::uint8_t> read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A test picture decoded to rgb24; fails the test when it does not load.
inline hal::Image test_image(const std::string& name) {
  auto image = load_image(test_image_path(name));
  EXPECT_TRUE(image.ok()) << name << ": " << (image.ok() ? "" : image.error().message);
  return image.ok() ? image.release_value() : hal::Image{};
}

}  // namespace kiosk::face
