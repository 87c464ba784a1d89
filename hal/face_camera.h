#pragma once
// Face camera for identity verification (人脸核验). Frames are personal data (biometrics): the
// caller keeps them only until the platform has answered, then wipes them.

#include "hal/device.h"
#include "hal/image.h"

namespace kiosk::hal {

struct CameraCapabilities {
  int width = 0;
  int height = 0;
  bool infrared = false;  // a second IR sensor for liveness
};

class FaceCamera : public Device {
 public:
  explicit FaceCamera(std::string driver) : Device(DeviceClass::face_camera, std::move(driver)) {}
  virtual CameraCapabilities capabilities() const = 0;
  // Grabs one frame. Errors: timeout (no frame in time: treated as a disconnect), cancelled,
  // offline, no_device.
  virtual DeviceResult<Image> capture(const CancelToken& cancel, milliseconds timeout) = 0;
};

}  // namespace kiosk::hal
