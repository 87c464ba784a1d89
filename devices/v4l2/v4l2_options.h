#pragma once
// The registry's side of the V4L2 cameras: config options → a running camera.
//   {"driver": "v4l2", "path": "/dev/video0", "width": 640, "height": 480, "frame_timeout_ms": 1500}
// Every option but "path" has a default (face camera 640×480, document camera 2592×1944 — the
// driver takes the nearest size the camera has). Errors name the config path:
// `devices.face_camera.width: expected an even number 160…8192`.

#include <memory>

#include <nlohmann/json.hpp>

#include "devices/v4l2/v4l2_camera.h"
#include "kiosk/core/result.h"

namespace kiosk::devices::v4l2 {

// The options of one camera class ("face_camera" or "document_camera" in error messages).
Result<V4l2CameraOptions> parse_camera_options(const nlohmann::json& options, const char* device_class,
                                               int default_width, int default_height);

Result<std::unique_ptr<hal::Device>> create_face_camera(const nlohmann::json& options);
Result<std::unique_ptr<hal::Device>> create_document_camera(const nlohmann::json& options);

}  // namespace kiosk::devices::v4l2
