#pragma once
// Document camera (高拍仪): captures a page placed under it, for materials and OCR.

#include "hal/device.h"
#include "hal/face_camera.h"
#include "hal/image.h"

namespace kiosk::hal {

class DocumentCamera : public Device {
 public:
  explicit DocumentCamera(std::string driver) : Device(DeviceClass::document_camera, std::move(driver)) {}
  virtual CameraCapabilities capabilities() const = 0;
  // Captures the page under the camera at full resolution.
  virtual DeviceResult<Image> capture(const CancelToken& cancel, milliseconds timeout) = 0;
};

}  // namespace kiosk::hal
