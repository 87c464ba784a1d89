#pragma once
// Test support (tests, kioskctl's tests, the OCR benchmark): fictional documents drawn with the
// kiosk's own text stack (Noto Sans CJK through kiosk/ui) as a document camera would deliver
// them — an ID card front, a business licence, a household register page, an A4 page full of
// text, blank pages — and a degradation (low contrast, speckle noise) for the "needs
// confirmation" cases. Rendered at test time, so no image files are kept; the same inputs always
// give the same pixels. Not thread-safe (the glyph atlas is not).

#include <memory>
#include <string>
#include <vector>

#include "hal/card_reader.h"
#include "hal/image.h"
#include "kiosk/core/result.h"
#include "kiosk/ui/glyph_atlas.h"

namespace kiosk::ocr::samples {

// What a business licence says (all fictional).
struct LicenceSample {
  std::string uscc = "91350100M000100Y43";  // passes GB 32100
  std::string name = "泸州示例商贸有限公司";
  std::string type = "有限责任公司";
  std::string legal_representative = "李思";
  std::string capital = "壹佰万元整";
  std::string registration_date = "2015年06月20日";
  std::string address = "四川省泸州市江阳区蓝田路88号3栋";
  std::string scope = "日用百货、文具用品、办公用品的销售";
};

// One row of a household register page (常住人口登记卡).
struct HouseholdSample {
  std::string name;
  std::string relationship = "户主";
  std::string sex;
  std::string nation;
  std::string birth_date;  // as printed: "1958年03月15日"
  std::string birth_place = "四川省泸州市";
  std::string id_number;
};
// The household row of the person on `card` (their own household, as its head).
HouseholdSample household_of(const hal::IdentityCard& card);

struct Degradation {
  int ink = 0;                  // grey level of the text (0 black)
  int paper = 255;              // grey level of the page
  double speckle_fraction = 0;  // share of pixels replaced by random grey
  unsigned seed = 1;            // the noise is pseudo-random but repeatable
};

class SampleDocuments {
 public:
  // Opens the default Noto Sans CJK fonts. Errors: the fonts are missing (fonts-noto-cjk).
  static Result<std::unique_ptr<SampleDocuments>> create();

  // 1012 × 638: 85.6 × 54 mm at 300 dpi.
  hal::Image id_card_front(const hal::IdentityCard& card);
  // 1240 × 940: the upper part of a licence at 150 dpi.
  hal::Image business_licence(const LicenceSample& licence);
  // 1240 × 760.
  hal::Image household_register(const HouseholdSample& row);
  // 2480 × 3508: an A4 page at 300 dpi, the licence followed by paragraphs to the bottom.
  hal::Image a4_page(const LicenceSample& licence);

  static hal::Image blank_page(int width, int height, std::uint8_t grey = 255);
  // Maps black→ink and white→paper, then scatters speckles.
  static void degrade(hal::Image& image, const Degradation& degradation);

 private:
  explicit SampleDocuments(std::unique_ptr<ui::GlyphAtlas> atlas) : atlas_(std::move(atlas)) {}
  std::unique_ptr<ui::GlyphAtlas> atlas_;
};

}  // namespace kiosk::ocr::samples
