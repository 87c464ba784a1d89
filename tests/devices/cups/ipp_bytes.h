#pragma once
// IPP messages as bytes, for the CUPS driver's tests and its fuzz target: libcups' own encoder and
// decoder (ippWriteIO / ippReadIO) over a memory buffer, so malformed answers can be made byte by
// byte and fed through the same decoding cupsd's answers go through.

#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <vector>

#include <cups/cups.h>

namespace kiosk::devices::cups::test_support {

struct IppDelete {
  void operator()(ipp_t* ipp) const { ippDelete(ipp); }
};
using IppPointer = std::unique_ptr<ipp_t, IppDelete>;

// Decodes one IPP message; null when the bytes are not a whole, well-formed message.
inline IppPointer read_ipp(std::span<const std::uint8_t> bytes) {
  struct Source {
    std::span<const std::uint8_t> bytes;
    std::size_t offset = 0;
  } source{bytes};
  auto read = [](void* context, ipp_uchar_t* buffer, size_t wanted) -> ssize_t {
    auto* from = static_cast<Source*>(context);
    const std::size_t count = std::min(wanted, from->bytes.size() - from->offset);
    if (count > 0) std::memcpy(buffer, from->bytes.data() + from->offset, count);
    from->offset += count;
    return static_cast<ssize_t>(count);
  };
  IppPointer ipp(ippNew());
  const ipp_state_t state = ippReadIO(&source, read, 1, nullptr, ipp.get());
  if (state != IPP_STATE_DATA) return nullptr;
  return ipp;
}

inline std::vector<std::uint8_t> write_ipp(ipp_t* ipp) {
  std::vector<std::uint8_t> bytes;
  auto write = [](void* context, ipp_uchar_t* buffer, size_t count) -> ssize_t {
    auto* to = static_cast<std::vector<std::uint8_t>*>(context);
    to->insert(to->end(), buffer, buffer + count);
    return static_cast<ssize_t>(count);
  };
  ippSetState(ipp, IPP_STATE_IDLE);
  while (true) {
    const ipp_state_t state = ippWriteIO(&bytes, write, 1, nullptr, ipp);
    if (state == IPP_STATE_DATA || state == IPP_STATE_ERROR) break;
  }
  return bytes;
}

// A Get-Printer-Attributes answer as cupsd sends it.
inline IppPointer printer_answer(int state, const std::vector<const char*>& reasons, const char* message,
                                 bool accepting = true) {
  IppPointer ipp(ippNew());
  ippSetVersion(ipp.get(), 2, 0);
  ippSetStatusCode(ipp.get(), IPP_STATUS_OK);
  ippSetRequestId(ipp.get(), 1);
  ippAddString(ipp.get(), IPP_TAG_OPERATION, IPP_TAG_CHARSET, "attributes-charset", nullptr, "utf-8");
  ippAddInteger(ipp.get(), IPP_TAG_PRINTER, IPP_TAG_ENUM, "printer-state", state);
  if (!reasons.empty()) {
    ippAddStrings(ipp.get(), IPP_TAG_PRINTER, IPP_TAG_KEYWORD, "printer-state-reasons", static_cast<int>(reasons.size()),
                  nullptr, reasons.data());
  }
  if (message) ippAddString(ipp.get(), IPP_TAG_PRINTER, IPP_TAG_TEXT, "printer-state-message", nullptr, message);
  ippAddBoolean(ipp.get(), IPP_TAG_PRINTER, "printer-is-accepting-jobs", accepting ? 1 : 0);
  return ipp;
}

// A Get-Job-Attributes answer.
inline IppPointer job_answer(int state, const std::vector<const char*>& reasons, const char* message) {
  IppPointer ipp(ippNew());
  ippSetVersion(ipp.get(), 2, 0);
  ippSetStatusCode(ipp.get(), IPP_STATUS_OK);
  ippSetRequestId(ipp.get(), 2);
  ippAddInteger(ipp.get(), IPP_TAG_JOB, IPP_TAG_ENUM, "job-state", state);
  if (!reasons.empty()) {
    ippAddStrings(ipp.get(), IPP_TAG_JOB, IPP_TAG_KEYWORD, "job-state-reasons", static_cast<int>(reasons.size()),
                  nullptr, reasons.data());
  }
  if (message) ippAddString(ipp.get(), IPP_TAG_JOB, IPP_TAG_TEXT, "job-printer-state-message", nullptr, message);
  return ipp;
}

}  // namespace kiosk::devices::cups::test_support
