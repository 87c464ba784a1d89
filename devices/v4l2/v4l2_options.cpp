// Parsing of the v4l2 camera options and construction of the cameras.
#include "devices/v4l2/v4l2_options.h"

namespace kiosk::devices::v4l2 {
namespace {

Error option_error(const char* device_class, const std::string& option, const std::string& what) {
  return Error::make(ErrorKind::parse, std::string("devices.") + device_class + "." + option + ": " + what);
}

Result<int> integer_option(const nlohmann::json& options, const char* device_class, const char* name, int fallback,
                           int low, int high, const char* expected) {
  if (!options.contains(name)) return fallback;
  const auto& value = options[name];
  if (!value.is_number_integer()) return option_error(device_class, name, expected);
  const auto number = value.get<long long>();
  if (number < low || number > high) return option_error(device_class, name, expected);
  return static_cast<int>(number);
}

}  // namespace

Result<V4l2CameraOptions> parse_camera_options(const nlohmann::json& options, const char* device_class,
                                               int default_width, int default_height) {
  V4l2CameraOptions camera;
  if (!options.contains("path") || !options["path"].is_string() || options["path"].get<std::string>().empty()) {
    return option_error(device_class, "path", "expected the camera's device node (\"/dev/video0\")");
  }
  camera.capture.path = options["path"].get<std::string>();
  const char* size_expected = "expected an even number 160…8192";
  camera.capture.width = TRY(integer_option(options, device_class, "width", default_width, 160, kMaxFrameSide, size_expected));
  if (camera.capture.width % 2 != 0) return option_error(device_class, "width", size_expected);
  camera.capture.height = TRY(integer_option(options, device_class, "height", default_height, 120, kMaxFrameSide,
                                             "expected a number 120…8192"));
  // Below 200 ms a camera at 5 frames a second looks unplugged; above 1750 ms a stalled camera is
  // reported later than the 2 s every device promises.
  const int timeout = TRY(integer_option(options, device_class, "frame_timeout_ms",
                                         static_cast<int>(camera.frame_timeout.count()), 200, 1750,
                                         "expected milliseconds 200…1750"));
  camera.frame_timeout = milliseconds{timeout};
  return camera;
}

Result<std::unique_ptr<hal::Device>> create_face_camera(const nlohmann::json& options) {
  auto camera = TRY(parse_camera_options(options, "face_camera", 640, 480));
  return std::unique_ptr<hal::Device>(std::make_unique<V4l2FaceCamera>(std::move(camera)));
}

Result<std::unique_ptr<hal::Device>> create_document_camera(const nlohmann::json& options) {
  auto camera = TRY(parse_camera_options(options, "document_camera", 2592, 1944));
  return std::unique_ptr<hal::Device>(std::make_unique<V4l2DocumentCamera>(std::move(camera)));
}

}  // namespace kiosk::devices::v4l2
