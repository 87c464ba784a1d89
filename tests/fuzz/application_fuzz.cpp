// Fuzz target: OCR readings (outside data: whatever was under the camera) filled into an
// application of a sample catalog item, then the case body built from it. The first byte picks the
// item; the rest is lines "key=value", a leading '?' marking the key doubtful. Checks the promises
// of application.h beyond "does not crash": only form fields are filled, a citizen's value is never
// overwritten, doubtful fields wait for confirmation, and the body always serialises.
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>

#include "kiosk/apply/application.h"

namespace {

const kiosk::catalog::Catalog& sample_catalog() {
  static const kiosk::catalog::Catalog* catalog = [] {
    auto loaded = kiosk::catalog::load_catalog(KIOSK_FUZZ_CATALOG);
    if (!loaded.ok() || loaded->items.empty()) __builtin_trap();  // the sample catalog is part of the source tree
    return new kiosk::catalog::Catalog(loaded.release_value());
  }();
  return *catalog;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kiosk::apply;
  if (size < 1) return 0;
  const auto& items = sample_catalog().items;
  const kiosk::catalog::Item& item = items[data[0] % items.size()];
  std::map<std::string, std::string> values;
  std::set<std::string> doubtful;
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  while (!rest.empty()) {
    const std::size_t end = rest.find('\n');
    std::string_view line = rest.substr(0, end);
    rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
    const bool doubt = !line.empty() && line.front() == '?';
    if (doubt) line.remove_prefix(1);
    const std::size_t equals = line.find('=');
    const std::string key(line.substr(0, equals));
    values[key] = equals == std::string_view::npos ? std::string() : std::string(line.substr(equals + 1));
    if (doubt) doubtful.insert(key);
  }

  kiosk::hal::IdentityCard card;
  card.name = "张三";
  card.sex = "男";
  card.birth_date = "19580315";
  card.address = "四川省泸州市江阳区大山坪街道88号";
  card.id_number = "510502195803150137";
  Application application = start_application(item, &card);
  // The citizen typed the first field the card did not fill.
  std::string typed;
  for (const auto& field : item.form) {
    if (application.form[field.name].empty()) {
      typed = field.name;
      set_field(application, typed, "typed by the citizen");
      break;
    }
  }
  const auto before = application.form;

  const auto filled = apply_ocr_fields(item, application, values, doubtful);
  for (const auto& name : filled) {
    if (item.find_field(name) == nullptr) __builtin_trap();
    if (!application.from_ocr.contains(name)) __builtin_trap();
  }
  for (const auto& [name, value] : application.form) {
    if (item.find_field(name) == nullptr) __builtin_trap();  // no field appears from OCR keys
    if (!application.from_ocr.contains(name) && before.at(name) != value) __builtin_trap();
  }
  if (!typed.empty() && application.form.at(typed) != "typed by the citizen") __builtin_trap();
  for (const auto& name : application.to_confirm) {
    if (!application.from_ocr.contains(name)) __builtin_trap();
    bool reported = false;
    for (const auto& problem : form_problems(item, application)) reported |= problem.field == name && problem.check.blocks();
    if (!reported) __builtin_trap();
  }

  application.delivery = (data[0] & 0x80) ? DeliveryMethod::post : DeliveryMethod::pickup;
  application.address.detail = values.count("address") ? values["address"] : std::string();
  const auto body = case_body(item, application, card, values.count("token") ? values["token"] : std::string());
  const std::string text = body.dump();  // throws (and so aborts) on invalid UTF-8
  if (text.empty()) __builtin_trap();
  static_cast<void>(ready_to_submit(item, application));
  application.wipe();
  if (!application.form.empty() || !application.materials.empty()) __builtin_trap();
  return 0;
}
