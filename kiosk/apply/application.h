#pragma once
// A citizen's application for one service item (journey 1, docs/journey.md): the form values,
// how each material is provided, the signed 告知承诺书, the delivery choice, and — once submitted —
// the receipt numbers. It lives in the Session and is wiped with it. Pure data and pure functions:
// no I/O, so every rule here is unit-tested without devices or a platform.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hal/card_reader.h"
#include "kiosk/catalog/catalog.h"
#include "kiosk/catalog/form_validation.h"

namespace kiosk::apply {

// How the citizen provides one material of the item.
enum class MaterialSource {
  none,        // not yet provided
  capture,     // photographed under the document camera (JPEG pages)
  licence,     // one of the citizen's electronic licences (电子证照) on the platform
  commitment,  // replaced by the signed 告知承诺书 (only where the item allows it)
};
const char* to_string(MaterialSource source);

struct MaterialChoice {
  MaterialSource source = MaterialSource::none;
  std::vector<std::vector<std::uint8_t>> pages;  // capture: JPEG of each page (personal data)
  std::string licence_id;                        // licence: the platform's id
  std::string licence_name;                      // licence: what the citizen saw ("营业执照")
};

struct Address {
  std::string recipient;
  std::string phone;
  std::string region;  // 省市区
  std::string detail;  // street and number
};

enum class DeliveryMethod { pickup, post };

struct Signature {
  std::vector<std::uint8_t> png;  // the strokes drawn on screen
  std::string signed_at;          // RFC 3339
};

struct Application {
  std::string item_code;
  std::map<std::string, std::string> form;   // field name → value
  std::set<std::string> to_confirm;          // fields filled from OCR that the citizen must check
  std::set<std::string> confirmed;           // … and has checked
  std::set<std::string> from_ocr;            // fields whose value came from OCR (a new scan may replace it)
  std::vector<MaterialChoice> materials;     // one per item material, same order
  std::optional<Signature> commitment;       // the signed 告知承诺书
  DeliveryMethod delivery = DeliveryMethod::pickup;
  Address address;
  std::string submitted_at;
  // After submission.
  std::string local_receipt;
  std::string case_number;  // once the platform answered (may come later, from the outbox)
  std::string promised_date;

  // Overwrites every personal byte (form, pages, signature, address) and empties it.
  void wipe();
};

// A fresh application for `item`: one empty choice per material, form fields prefilled from the
// card where the item's form says so (card.name, card.id_number, card.address, card.birth_date as
// YYYY-MM-DD, card.sex as the option whose label is the card's sex when the field is an enum).
Application start_application(const catalog::Item& item, const hal::IdentityCard* card);

// The citizen typed or picked `value` for field `name`: the value is theirs now (a later scan does
// not overwrite it) and counts as checked.
void set_field(Application& application, const std::string& name, std::string value);

// Whether a material needs the 告知承诺书 signed: some choice is `commitment`.
bool needs_commitment(const Application& application);

// Required materials not provided yet, by name, in the item's order (一次性告知: all at once).
// Provided means: capture with at least one page (one photo may show all `count` copies; the
// window collects the paper), licence with a licence id, commitment where the item allows it;
// a material the catalog marks `provided_by` (the ID card read, the face photo) is always provided.
std::vector<std::string> missing_materials(const catalog::Item& item, const Application& application);

// A form field with a problem the citizen must fix (or may accept, for warnings).
struct FieldProblem {
  std::string field;  // FormField::name
  catalog::FieldCheck check;
};
// Every field's check (validate_field) that is not ok, in form order, plus OCR-filled fields not
// yet confirmed (an error "please check this value").
std::vector<FieldProblem> form_problems(const catalog::Item& item, const Application& application);
// True if nothing blocks submitting: no missing material, no blocking form problem, the
// commitment signed where needed, a complete address for post.
bool ready_to_submit(const catalog::Item& item, const Application& application);
// Address fields missing for post delivery ("recipient", "phone", "region", "detail"); the phone
// is checked like a form phone, the others for readable text within the platform's lengths
// (recipient 64, region 200, detail 500 characters). Empty for pickup.
std::vector<std::string> address_problems(const Application& application);

// The body of POST /api/v1/cases (docs/platform-api.md). Materials carry their pages as base64
// JPEG; the commitment its text and signature. `local_receipt` is added by the outbox.
// A capture of several pages is one entry per page, each with the material's name and
// "page"/"pages" (1-based), since an entry carries one `data`; materials not provided are left
// out, and so are empty form values and form keys the item does not have. Text that is not valid
// UTF-8 is repaired (U+FFFD) so that dump() never throws.
nlohmann::json case_body(const catalog::Item& item, const Application& application, const hal::IdentityCard& card,
                         const std::string& identity_token);

// Fills form fields from a document read by OCR (kiosk/ocr): `values` maps OCR field keys
// ("name", "id_number", "uscc", "address", …) to values and `doubtful` names those needing
// confirmation. A form field takes an OCR value when its name or prefill source matches the key
// (or it is a uscc field and the key is "uscc") and it is empty or was itself filled by OCR;
// doubtful ones go to `to_confirm`. Dates (YYYYMMDD from OCR) become YYYY-MM-DD in date fields;
// an enum field takes the option whose label or value is the OCR value, or nothing. Returns the
// names of the form fields filled, in form order.
std::vector<std::string> apply_ocr_fields(const catalog::Item& item, Application& application,
                                          const std::map<std::string, std::string>& values,
                                          const std::set<std::string>& doubtful);

}  // namespace kiosk::apply
