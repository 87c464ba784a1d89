// The face quality gate on real pictures: each reason from a picture made to show it, the best
// frame of a burst, wiping, and refusal of frames that are not images.
#include "kiosk/face/face_gate.h"

#include <algorithm>
#include <fstream>
#include <optional>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/kiosk/face/face_test_support.h"

namespace kiosk::face {
namespace {

// One gate for the whole suite: loading the cascade takes ~100 ms.
const FaceGate& gate() {
  static const std::optional<FaceGate> shared = [] {
    auto created = FaceGate::create();
    EXPECT_TRUE(created.ok()) << created.error().message;
    return created.ok() ? std::optional<FaceGate>(created.release_value()) : std::nullopt;
  }();
  return *shared;
}

FaceVerdict verdict_of(const hal::Image& image) {
  auto verdict = gate().assess(image);
  EXPECT_TRUE(verdict.ok()) << verdict.error().message;
  return verdict.ok() ? *verdict : FaceVerdict{};
}

// A 3×3 box blur: a slightly softer copy of a picture.
hal::Image softened(const hal::Image& image) {
  hal::Image out = image;
  const int channels = image.bytes_per_pixel();
  for (int y = 1; y + 1 < image.height; ++y) {
    for (int x = 1; x + 1 < image.width; ++x) {
      for (int c = 0; c < channels; ++c) {
        int sum = 0;
        for (int dy = -1; dy <= 1; ++dy) {
          for (int dx = -1; dx <= 1; ++dx) sum += image.pixels[static_cast<std::size_t>(((y + dy) * image.width + x + dx) * channels + c)];
        }
        out.pixels[static_cast<std::size_t>((y * image.width + x) * channels + c)] = static_cast<std::uint8_t>(sum / 9);
      }
    }
  }
  return out;
}

hal::Image to_gray(const hal::Image& image) {
  hal::Image gray;
  gray.width = image.width;
  gray.height = image.height;
  gray.format = hal::PixelFormat::gray8;
  for (std::size_t i = 0; i + 2 < image.pixels.size(); i += 3) {
    gray.pixels.push_back(static_cast<std::uint8_t>((image.pixels[i] * 77 + image.pixels[i + 1] * 150 + image.pixels[i + 2] * 29) >> 8));
  }
  return gray;
}

struct ReasonCase {
  const char* picture;
  FaceReason reason;
};

class FaceGateReason : public testing::TestWithParam<ReasonCase> {};

TEST_P(FaceGateReason, PictureShowsItsReason) {
  const FaceVerdict verdict = verdict_of(test_image(GetParam().picture));
  EXPECT_EQ(to_string(verdict.reason), std::string(to_string(GetParam().reason)));
  EXPECT_EQ(verdict.ok, GetParam().reason == FaceReason::none);
}

INSTANTIATE_TEST_SUITE_P(Pictures, FaceGateReason,
                         testing::Values(ReasonCase{"face-ok.jpg", FaceReason::none},
                                         ReasonCase{"face-upside-down.jpg", FaceReason::no_face},
                                         ReasonCase{"faces-two.jpg", FaceReason::several_faces},
                                         ReasonCase{"face-far.jpg", FaceReason::too_far},
                                         ReasonCase{"face-off-centre.jpg", FaceReason::off_centre},
                                         ReasonCase{"face-dark.jpg", FaceReason::too_dark},
                                         ReasonCase{"face-bright.jpg", FaceReason::too_bright},
                                         ReasonCase{"face-blurred.jpg", FaceReason::blurred}),
                         [](const testing::TestParamInfo<ReasonCase>& parameter) {
                           return std::string(to_string(parameter.param.reason));
                         });

TEST(FaceGate, FindsTheFaceWhereItIs) {
  // face-ok.jpg: the face spans about x 84…225, y 49…190 of 320×240.
  const FaceVerdict verdict = verdict_of(test_image("face-ok.jpg"));
  ASSERT_TRUE(verdict.ok);
  EXPECT_EQ(verdict.faces, 1);
  EXPECT_NEAR(verdict.face.x, 84, 12);
  EXPECT_NEAR(verdict.face.y, 49, 12);
  EXPECT_NEAR(verdict.face.width, 141, 20);
  EXPECT_GT(verdict.sharpness, kMinSharpness);
  EXPECT_GT(verdict.luminance, kMinLuminance);
  EXPECT_LT(verdict.luminance, kMaxLuminance);
  EXPECT_GT(verdict.score, 0.5);
  EXPECT_LE(verdict.score, 1.0);
}

TEST(FaceGate, CountsBothFacesOfTwo) {
  const FaceVerdict verdict = verdict_of(test_image("faces-two.jpg"));
  EXPECT_EQ(verdict.faces, 2);
  EXPECT_FALSE(verdict.ok);
}

TEST(FaceGate, TheSimFaceCameraFrameQualifies) {
  // assets/images/face-ok.ppm is what the sim face camera plays in the demo and screen tests.
  auto frame = load_image(std::filesystem::path(KIOSK_TEST_ASSETS) / "images/face-ok.ppm");
  ASSERT_TRUE(frame.ok()) << frame.error().message;
  EXPECT_TRUE(verdict_of(*frame).ok);
}

TEST(FaceGate, JudgesGrayFramesToo) {
  const hal::Image gray = to_gray(test_image("face-ok.jpg"));
  ASSERT_TRUE(gray.valid());
  EXPECT_TRUE(verdict_of(gray).ok);
  const FaceVerdict dark = verdict_of(to_gray(test_image("face-dark.jpg")));
  EXPECT_EQ(dark.reason, FaceReason::too_dark);
}

TEST(FaceGate, BestOfPicksTheSharpCentredFrameAndWipesTheRest) {
  std::vector<hal::Image> frames = {test_image("face-blurred.jpg"), test_image("face-off-centre.jpg"),
                                    test_image("face-ok.jpg"), test_image("face-dark.jpg")};
  const std::vector<std::uint8_t> expected = frames[2].pixels;
  auto best = gate().best_of(frames);
  ASSERT_TRUE(best.ok()) << best.error().message;
  EXPECT_TRUE(best->verdict.ok);
  EXPECT_EQ(best->index, 2u);
  EXPECT_EQ(best->frame.pixels, expected);
  for (const hal::Image& frame : frames) {
    EXPECT_TRUE(frame.empty());
    EXPECT_EQ(frame.width, 0);
  }
}

TEST(FaceGate, BestOfPrefersTheSharperOfTwoGoodFrames) {
  const hal::Image sharp = test_image("face-ok.jpg");
  hal::Image soft = softened(sharp);
  const FaceVerdict soft_verdict = verdict_of(soft);
  ASSERT_TRUE(soft_verdict.ok) << "the softened copy should still qualify (sharpness " << soft_verdict.sharpness << ")";
  EXPECT_LT(soft_verdict.sharpness, verdict_of(sharp).sharpness);
  std::vector<hal::Image> frames = {soft, sharp};
  auto best = gate().best_of(frames);
  ASSERT_TRUE(best.ok());
  EXPECT_EQ(best->index, 1u);
  EXPECT_EQ(best->frame.pixels, sharp.pixels);
}

TEST(FaceGate, BestOfWithoutAGoodFrameSaysTheMostUsefulReason) {
  // No face, too far, blurred: the blurred frame came closest, so "hold still" is what to say.
  std::vector<hal::Image> frames = {test_image("face-upside-down.jpg"), test_image("face-far.jpg"),
                                    test_image("face-blurred.jpg")};
  auto best = gate().best_of(frames);
  ASSERT_TRUE(best.ok());
  EXPECT_FALSE(best->verdict.ok);
  EXPECT_EQ(best->verdict.reason, FaceReason::blurred);
  EXPECT_EQ(best->index, 2u);
  EXPECT_TRUE(best->frame.empty());
  for (const hal::Image& frame : frames) EXPECT_TRUE(frame.empty());
}

TEST(FaceGate, BestOfSkipsInvalidFramesAndRefusesNone) {
  std::vector<hal::Image> none;
  auto empty = gate().best_of(none);
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().kind, ErrorKind::invalid_argument);

  hal::Image broken;
  broken.width = 100;
  broken.height = 100;
  broken.pixels.assign(10, 0);
  std::vector<hal::Image> frames = {broken, test_image("face-ok.jpg")};
  auto best = gate().best_of(frames);
  ASSERT_TRUE(best.ok());
  EXPECT_EQ(best->index, 1u);
  EXPECT_TRUE(frames[0].empty());

  std::vector<hal::Image> only_broken = {broken};
  EXPECT_EQ(gate().best_of(only_broken).error().kind, ErrorKind::invalid_argument);
}

TEST(FaceGate, RefusesFramesThatAreNotImages) {
  hal::Image mismatched;
  mismatched.width = 640;
  mismatched.height = 480;
  mismatched.pixels.assign(100, 7);
  auto verdict = gate().assess(mismatched);
  ASSERT_FALSE(verdict.ok());
  EXPECT_EQ(verdict.error().kind, ErrorKind::invalid_argument);

  hal::Image tiny;
  tiny.width = 8;
  tiny.height = 8;
  tiny.pixels.assign(8 * 8 * 3, 128);
  auto small = gate().assess(tiny);
  ASSERT_FALSE(small.ok());
  EXPECT_NE(small.error().message.find("8x8"), std::string::npos) << small.error().message;

  EXPECT_FALSE(gate().assess(hal::Image{}).ok());
}

TEST(FaceGate, AFlatFrameHasNoFace) {
  hal::Image gray;
  gray.width = 640;
  gray.height = 480;
  gray.format = hal::PixelFormat::gray8;
  gray.pixels.assign(640 * 480, 128);
  const FaceVerdict verdict = verdict_of(gray);
  EXPECT_EQ(verdict.reason, FaceReason::no_face);
  EXPECT_EQ(verdict.faces, 0);
  EXPECT_EQ(verdict.face, FaceBox{});
}

TEST(FaceGate, AssessFileJudgesAndRefuses) {
  auto ok = gate().assess_file(test_image_path("face-ok.jpg"));
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_TRUE(ok->ok);
  auto far = gate().assess_file(test_image_path("face-far.jpg"));
  ASSERT_TRUE(far.ok());
  EXPECT_EQ(far->reason, FaceReason::too_far);
  auto missing = gate().assess_file(test_image_path("no-such-picture.jpg"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, ErrorKind::not_found);
  auto not_image = gate().assess_file(test_image_path("README"));
  ASSERT_FALSE(not_image.ok());
  EXPECT_EQ(not_image.error().kind, ErrorKind::parse);
  EXPECT_NE(not_image.error().message.find("not an image"), std::string::npos) << not_image.error().message;
}

TEST(FaceGate, CreateNeedsACascade) {
  auto missing = FaceGate::create("/nonexistent/cascade.xml");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, ErrorKind::not_found);
  EXPECT_NE(missing.error().message.find("opencv-data"), std::string::npos);
  auto not_cascade = FaceGate::create(test_image_path("README"));
  ASSERT_FALSE(not_cascade.ok());
  EXPECT_EQ(not_cascade.error().kind, ErrorKind::parse);
}

TEST(FaceGate, EveryReasonHasACitizenStringInBothLanguages) {
  for (const char* language : {"zh", "en"}) {
    std::ifstream in(std::filesystem::path(KIOSK_TEST_ASSETS) / "strings" / (std::string(language) + ".json"));
    const auto strings = nlohmann::json::parse(in);
    for (FaceReason reason : {FaceReason::no_face, FaceReason::several_faces, FaceReason::too_far, FaceReason::off_centre,
                              FaceReason::too_dark, FaceReason::too_bright, FaceReason::blurred}) {
      const std::string key = string_key(reason);
      ASSERT_TRUE(strings.contains(key)) << language << ": " << key;
      EXPECT_FALSE(strings[key].get<std::string>().empty()) << language << ": " << key;
    }
  }
  EXPECT_EQ(string_key(FaceReason::too_far), "face.reason.too_far");
}

}  // namespace
}  // namespace kiosk::face
