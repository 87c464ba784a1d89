#pragma once
// The face quality gate: before a frame goes to the platform for identity verification (人脸核验)
// it must show exactly one face, big enough, centred, lit well and sharp. The gate judges frames
// with OpenCV's Haar cascade (Debian opencv-data) and, when a frame does not qualify, says why in
// a way a citizen can act on: the reason's string key (face.reason.<name> in assets/strings)
// becomes "请靠近一些" / "Please come a little closer".
//
// Frames are biometric personal data: the gate copies nothing it does not wipe, best_of() wipes
// every frame it does not return, and nothing about a face reaches a log or an error message.
// A FaceGate is not thread-safe (the cascade keeps scratch state); use one per worker thread.

#include <cstddef>
#include <filesystem>
#include <memory>
#include <span>
#include <string>

#include "hal/image.h"
#include "kiosk/core/result.h"

namespace kiosk::face {

// Why a frame does not qualify, in the order the gate checks: a frame that fails a later check
// came closer to qualifying.
enum class FaceReason {
  none,           // qualifies
  no_face,        // no frontal face: "look at the camera"
  several_faces,  // another face near enough to matter: "ask others to step out of view"
  too_far,        // the face is too small: "come closer"
  off_centre,     // the face is outside the middle third: "move to the centre"
  too_dark,       // the face is underexposed: "stand in the light"
  too_bright,     // the face is washed out: "step out of the glare"
  blurred,        // the face is not sharp: "hold still"
};
const char* to_string(FaceReason reason);       // "too_far"
std::string string_key(FaceReason reason);      // "face.reason.too_far"

// The thresholds, as fractions of the frame or of the 8-bit luminance scale, and why.
// A face narrower than a quarter of the frame (160 px of 640) is a citizen more than ~60 cm from a
// kiosk's face camera; the platform's comparison wants the face large.
inline constexpr double kMinFaceWidth = 0.25;
// The face's centre must lie in the middle third of the frame, both ways, so that a citizen
// leaning out of the frame is asked to move back before the face is cut off.
inline constexpr double kCentreBand = 1.0 / 3.0;
// A second face at least half as wide as the largest is a person at the citizen's shoulder; a
// smaller one is far behind, out of the picture the platform compares.
inline constexpr double kBystanderWidth = 0.5;
// Mean luminance of the face box: below 60 the skin is underexposed (features lost in noise),
// above 200 it is washed out (clipped highlights); both fail face comparison.
inline constexpr double kMinLuminance = 60.0;
inline constexpr double kMaxLuminance = 200.0;
// Variance of the Laplacian of the face scaled to kSharpnessWidth px wide. Measured on the test
// pictures: the sharp face ≈450 (141 px wide), ≈160 at half that size, ≈11 blurred with σ = 3 px;
// 100 passes a sharp face from about 70 px up and refuses motion or focus blur.
inline constexpr double kMinSharpness = 100.0;
inline constexpr int kSharpnessWidth = 128;
// Faces are searched in a copy kDetectionWidth px wide: Haar cascades find faces from 24 px up, a
// qualifying face is ≥ 80 px there, and the search costs a quarter of a full 640 px frame.
inline constexpr int kDetectionWidth = 320;
// Faces narrower than this share of the frame are not searched for (each smaller scale costs
// more time than all larger ones): such a citizen is told "look at the camera", not "come closer".
inline constexpr double kSmallestFace = 0.12;

struct FaceBox {
  int x = 0;
  int y = 0;
  int width = 0;
  int height = 0;
  bool operator==(const FaceBox&) const = default;
};

struct FaceVerdict {
  bool ok = false;
  FaceReason reason = FaceReason::no_face;
  FaceBox face;              // the largest face, in frame pixels (empty when none)
  int faces = 0;             // faces counted (bystanders far behind excluded)
  double luminance = 0;      // mean 0–255 in the face box
  double sharpness = 0;      // Laplacian variance of the face
  double score = 0;          // 0–1, higher is better; compares qualifying frames
};

struct BestFrame {
  hal::Image frame;      // the best qualifying frame; empty when none qualified
  FaceVerdict verdict;   // its verdict, or the most useful reason when none qualified
  std::size_t index = 0; // which of the frames the verdict is about
};

// The Haar cascade Debian's opencv-data installs.
inline constexpr const char* kDefaultCascade = "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml";

class FaceGate {
 public:
  // Loads the cascade. Errors: not_found (no such file), parse (not a cascade).
  static Result<FaceGate> create(const std::filesystem::path& cascade = kDefaultCascade);
  FaceGate(FaceGate&&) noexcept;
  FaceGate& operator=(FaceGate&&) noexcept;
  ~FaceGate();

  // Judges one frame (rgb24 or gray8). Errors: invalid_argument for an image that is not
  // self-consistent or outside kMinImageSide…kMaxImageSide.
  Result<FaceVerdict> assess(const hal::Image& frame) const;

  // Judges a burst of frames and returns the best qualifying one, moved out of `frames`; every
  // other frame is wiped in place. When none qualifies, the frame is empty and the verdict is that
  // of the frame that came closest (the latest check it failed), so its reason is the one to show.
  // Errors: invalid_argument when `frames` is empty or no frame is a valid image.
  Result<BestFrame> best_of(std::span<hal::Image> frames) const;

  // Loads an image file (JPEG, PNG, PNM; face_image.h limits), judges it and wipes it
  // (kioskctl device face photo.jpg). Defined with the decoder: link kiosk_face_image.
  Result<FaceVerdict> assess_file(const std::filesystem::path& path) const;

 private:
  struct Detector;
  explicit FaceGate(std::unique_ptr<Detector> detector);
  std::unique_ptr<Detector> detector_;
};

}  // namespace kiosk::face
