#pragma once
// The set of devices of one terminal, built once by main() (devices/registry.h) and passed down.
// A null member means the terminal has no device of that class.

#include <memory>

#include "hal/card_reader.h"
#include "hal/document_camera.h"
#include "hal/document_printer.h"
#include "hal/face_camera.h"
#include "hal/receipt_printer.h"

namespace kiosk::hal {

struct Devices {
  std::unique_ptr<CardReader> card_reader;
  std::unique_ptr<FaceCamera> face_camera;
  std::unique_ptr<DocumentCamera> document_camera;
  std::unique_ptr<ReceiptPrinter> receipt_printer;
  std::unique_ptr<DocumentPrinter> document_printer;

  Device* get(DeviceClass device_class) const;
};

}  // namespace kiosk::hal
