// The face quality gate on OpenCV: Haar cascade detection on a reduced copy, then size, position,
// exposure and sharpness of the largest face. OpenCV throws; nothing thrown leaves this file.
#include "kiosk/face/face_gate.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>

#include "kiosk/core/secure_memory.h"
#include "kiosk/face/face_image.h"

namespace kiosk::face {
namespace {

// A matrix holding face pixels: overwritten before its memory goes back.
class WipedMat {
 public:
  WipedMat() = default;
  ~WipedMat() { wipe(); }
  WipedMat(const WipedMat&) = delete;
  WipedMat& operator=(const WipedMat&) = delete;
  cv::Mat& operator*() { return mat_; }
  cv::Mat* operator->() { return &mat_; }
  void wipe() {
    // Only memory OpenCV allocated (u set); a header over a caller's buffer is left alone.
    if (mat_.u != nullptr && mat_.data != nullptr && mat_.isContinuous()) {
      secure_clear(mat_.data, mat_.total() * mat_.elemSize());
    }
    mat_.release();
  }

 private:
  cv::Mat mat_;
};

// Each step of the cascade's search is this much larger than the one before. 1.1 finds the same
// faces in these frames at twice the cost (≈45 ms against ≈24 ms for 640×480 on the build machine).
constexpr double kScaleStep = 1.2;
constexpr int kMinNeighbours = 4;  // overlapping hits a face needs; fewer lets texture pass as faces

// How far a frame got through the checks; best_of reports the reason of the frame that got
// furthest.
int progress(FaceReason reason) {
  switch (reason) {
    case FaceReason::no_face: return 0;
    case FaceReason::several_faces: return 1;
    case FaceReason::too_far: return 2;
    case FaceReason::off_centre: return 3;
    case FaceReason::too_dark:
    case FaceReason::too_bright: return 4;
    case FaceReason::blurred: return 5;
    case FaceReason::none: return 6;
  }
  return 0;
}

Status check_frame(const hal::Image& frame) {
  if (!frame.valid()) return Error::make(ErrorKind::invalid_argument, "face gate: the frame's pixels do not match its size");
  if (frame.width < kMinImageSide || frame.height < kMinImageSide || frame.width > kMaxImageSide ||
      frame.height > kMaxImageSide) {
    return Error::make(ErrorKind::invalid_argument, "face gate: a " + std::to_string(frame.width) + "x" +
                                                        std::to_string(frame.height) + " frame is outside " +
                                                        std::to_string(kMinImageSide) + "…" + std::to_string(kMaxImageSide));
  }
  return {};
}

// Distance of the face's centre from the frame's centre, 0 (centred) … 1 (edge of the middle third).
double off_centre(const FaceBox& face, int width, int height) {
  const double dx = std::abs(face.x + face.width / 2.0 - width / 2.0) / (width * kCentreBand / 2.0);
  const double dy = std::abs(face.y + face.height / 2.0 - height / 2.0) / (height * kCentreBand / 2.0);
  return std::max(dx, dy);
}

}  // namespace

const char* to_string(FaceReason reason) {
  switch (reason) {
    case FaceReason::none: return "none";
    case FaceReason::no_face: return "no_face";
    case FaceReason::several_faces: return "several_faces";
    case FaceReason::too_far: return "too_far";
    case FaceReason::off_centre: return "off_centre";
    case FaceReason::too_dark: return "too_dark";
    case FaceReason::too_bright: return "too_bright";
    case FaceReason::blurred: return "blurred";
  }
  return "unknown";
}

std::string string_key(FaceReason reason) { return std::string("face.reason.") + to_string(reason); }

struct FaceGate::Detector {
  cv::CascadeClassifier cascade;

  // The faces in a gray frame, largest first, in frame pixels.
  std::vector<FaceBox> detect(const cv::Mat& gray) {
    const double scale = std::min(1.0, static_cast<double>(kDetectionWidth) / gray.cols);
    WipedMat small;
    cv::resize(gray, *small, cv::Size(), scale, scale, cv::INTER_AREA);
    cv::equalizeHist(*small, *small);  // finds faces in dim frames too; exposure is judged apart
    const int smallest = std::max(24, static_cast<int>(small->cols * kSmallestFace));
    std::vector<cv::Rect> found;
    cascade.detectMultiScale(*small, found, kScaleStep, kMinNeighbours, 0, cv::Size(smallest, smallest));
    std::vector<FaceBox> faces;
    const cv::Rect bounds(0, 0, gray.cols, gray.rows);
    for (const cv::Rect& rect : found) {
      const cv::Rect full = cv::Rect(cvRound(rect.x / scale), cvRound(rect.y / scale), cvRound(rect.width / scale),
                                     cvRound(rect.height / scale)) & bounds;
      if (full.area() > 0) faces.push_back({full.x, full.y, full.width, full.height});
    }
    std::sort(faces.begin(), faces.end(), [](const FaceBox& a, const FaceBox& b) { return a.width > b.width; });
    return faces;
  }

  FaceVerdict judge(const cv::Mat& gray) {
    FaceVerdict verdict;
    const std::vector<FaceBox> faces = detect(gray);
    if (faces.empty()) return verdict;
    verdict.face = faces.front();
    verdict.faces = static_cast<int>(std::count_if(faces.begin(), faces.end(), [&](const FaceBox& face) {
      return face.width >= kBystanderWidth * verdict.face.width;
    }));
    const cv::Mat box = gray(cv::Rect(verdict.face.x, verdict.face.y, verdict.face.width, verdict.face.height));
    verdict.luminance = cv::mean(box)[0];
    verdict.sharpness = sharpness(box);
    const double size = static_cast<double>(verdict.face.width) / gray.cols;
    const double offset = off_centre(verdict.face, gray.cols, gray.rows);
    verdict.reason = verdict.faces > 1                         ? FaceReason::several_faces
                     : size < kMinFaceWidth                    ? FaceReason::too_far
                     : offset > 1.0                            ? FaceReason::off_centre
                     : verdict.luminance < kMinLuminance       ? FaceReason::too_dark
                     : verdict.luminance > kMaxLuminance       ? FaceReason::too_bright
                     : verdict.sharpness < kMinSharpness       ? FaceReason::blurred
                                                               : FaceReason::none;
    verdict.ok = verdict.reason == FaceReason::none;
    // Sharpness counts most (the platform compares detail), then centring, then size.
    verdict.score = 0.5 * std::min(1.0, verdict.sharpness / (2 * kMinSharpness)) +
                    0.3 * (1.0 - std::min(1.0, offset)) + 0.2 * std::min(1.0, size / (2 * kMinFaceWidth));
    return verdict;
  }

  static double sharpness(const cv::Mat& face) {
    WipedMat scaled;
    const double scale = static_cast<double>(kSharpnessWidth) / face.cols;
    cv::resize(face, *scaled, cv::Size(), scale, scale, scale < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
    WipedMat laplacian;
    cv::Laplacian(*scaled, *laplacian, CV_32F);
    cv::Scalar mean;
    cv::Scalar deviation;
    cv::meanStdDev(*laplacian, mean, deviation);
    return deviation[0] * deviation[0];
  }
};

FaceGate::FaceGate(std::unique_ptr<Detector> detector) : detector_(std::move(detector)) {}
FaceGate::FaceGate(FaceGate&&) noexcept = default;
FaceGate& FaceGate::operator=(FaceGate&&) noexcept = default;
FaceGate::~FaceGate() = default;

Result<FaceGate> FaceGate::create(const std::filesystem::path& cascade) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(cascade, error)) {
    return Error::make(ErrorKind::not_found, "face gate: no cascade file " + cascade.string() +
                                                 " (Debian package opencv-data)");
  }
  auto detector = std::make_unique<Detector>();
  try {
    if (!detector->cascade.load(cascade.string()) || detector->cascade.empty()) {
      return Error::make(ErrorKind::parse, "face gate: " + cascade.string() + " is not a Haar cascade");
    }
  } catch (const std::exception& failure) {
    return Error::make(ErrorKind::parse, "face gate: " + cascade.string() + ": " + failure.what());
  }
  return FaceGate(std::move(detector));
}

Result<FaceVerdict> FaceGate::assess(const hal::Image& frame) const {
  TRY_STATUS(check_frame(frame));
  try {
    // A header over the caller's pixels (not copied); the gray copy is wiped.
    auto* pixels = const_cast<std::uint8_t*>(frame.pixels.data());
    WipedMat gray;
    if (frame.format == hal::PixelFormat::rgb24) {
      cv::cvtColor(cv::Mat(frame.height, frame.width, CV_8UC3, pixels), *gray, cv::COLOR_RGB2GRAY);
    } else {
      cv::Mat(frame.height, frame.width, CV_8UC1, pixels).copyTo(*gray);
    }
    return detector_->judge(*gray);
  } catch (const std::exception& failure) {
    return Error::make(ErrorKind::device, std::string("face gate: OpenCV: ") + failure.what());
  }
}

Result<BestFrame> FaceGate::best_of(std::span<hal::Image> frames) const {
  BestFrame best;
  bool judged = false;
  Error last_error = Error::make(ErrorKind::invalid_argument, "face gate: no frames");
  for (std::size_t index = 0; index < frames.size(); ++index) {
    auto verdict = assess(frames[index]);
    if (!verdict.ok()) {
      last_error = verdict.release_error();
      continue;
    }
    const bool better = !judged || (verdict->ok && (!best.verdict.ok || verdict->score > best.verdict.score)) ||
                        (!verdict->ok && !best.verdict.ok && progress(verdict->reason) > progress(best.verdict.reason));
    if (better) {
      best.verdict = *verdict;
      best.index = index;
    }
    judged = true;
  }
  if (judged && best.verdict.ok) best.frame = std::move(frames[best.index]);
  for (hal::Image& frame : frames) frame.wipe();
  if (!judged) return last_error;
  return best;
}

}  // namespace kiosk::face
