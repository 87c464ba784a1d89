// Fictional documents drawn with kiosk/ui for OCR tests and the benchmark (sample_documents.h).
#include "kiosk/ocr/sample_documents.h"

#include <random>

#include "kiosk/ui/canvas.h"
#include "kiosk/ui/text_layout.h"

namespace kiosk::ocr::samples {
namespace {

constexpr ui::Color kInk = ui::Color::rgb(0x000000);
constexpr ui::Color kPaper = ui::Color::rgb(0xFFFFFF);
constexpr ui::Color kRule = ui::Color::rgb(0x909090);

// Draws `text` at (x, y) wrapped to `max_width` (≤ 0: one line); returns its height.
int draw(ui::GlyphAtlas& atlas, ui::Canvas& canvas, std::string_view text, int x, int y, int size_px, bool bold = false,
         int max_width = 0) {
  const ui::TextStyle style{{size_px, bold}, kInk, 1.4, ui::Align::start, 0};
  const ui::TextLayout layout = ui::layout_text(atlas, text, style, max_width);
  ui::draw_text(canvas, atlas, layout, {x, y}, kInk);
  return layout.height;
}

int text_width(ui::GlyphAtlas& atlas, std::string_view text, int size_px, bool bold = false) {
  return ui::layout_text(atlas, text, {{size_px, bold}, kInk, 1.4, ui::Align::start, 0}, 0).width;
}

hal::Image gray_of(const ui::Canvas& canvas) {
  hal::Image image;
  image.width = canvas.width();
  image.height = canvas.height();
  image.format = hal::PixelFormat::gray8;
  image.pixels.resize(static_cast<std::size_t>(image.width) * static_cast<std::size_t>(image.height));
  for (std::size_t i = 0; i < image.pixels.size(); ++i) {
    const std::uint32_t argb = canvas.pixels()[i];
    const unsigned r = (argb >> 16) & 0xFF, g = (argb >> 8) & 0xFF, b = argb & 0xFF;
    image.pixels[i] = static_cast<std::uint8_t>((r * 299 + g * 587 + b * 114) / 1000);
  }
  return image;
}

// "19580315" → "1958 年 3 月 15 日", as an ID card prints it.
std::string card_date(const std::string& yyyymmdd) {
  if (yyyymmdd.size() != 8) return yyyymmdd;
  return yyyymmdd.substr(0, 4) + " 年 " + std::to_string(std::stoi(yyyymmdd.substr(4, 2))) + " 月 " +
         std::to_string(std::stoi(yyyymmdd.substr(6, 2))) + " 日";
}

struct LabelledRow {
  std::string label;
  std::string value;
};

// Label at `x`, value at `value_x` wrapped to `value_width`; returns the row's height.
int draw_row(ui::GlyphAtlas& atlas, ui::Canvas& canvas, const LabelledRow& row, int x, int value_x, int y, int size_px,
             int value_width = 0) {
  draw(atlas, canvas, row.label, x, y, size_px);
  return draw(atlas, canvas, row.value, value_x, y, size_px, false, value_width);
}

}  // namespace

HouseholdSample household_of(const hal::IdentityCard& card) {
  HouseholdSample row;
  row.name = card.name;
  row.sex = card.sex;
  row.nation = card.nation;
  row.id_number = card.id_number;
  if (card.birth_date.size() == 8) {
    row.birth_date = card.birth_date.substr(0, 4) + "年" + card.birth_date.substr(4, 2) + "月" + card.birth_date.substr(6, 2) + "日";
  }
  return row;
}

Result<std::unique_ptr<SampleDocuments>> SampleDocuments::create() {
  auto atlas = TRY(ui::GlyphAtlas::create(ui::default_regular_font(), ui::default_bold_font()));
  return std::unique_ptr<SampleDocuments>(new SampleDocuments(std::move(atlas)));
}

hal::Image SampleDocuments::id_card_front(const hal::IdentityCard& card) {
  ui::Canvas canvas(1012, 638);
  canvas.clear(kPaper);
  ui::GlyphAtlas& atlas = *atlas_;
  constexpr int kSize = 34, kLeft = 60, kValue = 150;
  draw_row(atlas, canvas, {"姓名", card.name}, kLeft, kValue, 50, kSize);
  draw_row(atlas, canvas, {"性别", card.sex}, kLeft, kValue, 130, kSize);
  draw_row(atlas, canvas, {"民族", card.nation}, 330, 420, 130, kSize);
  draw_row(atlas, canvas, {"出生", card_date(card.birth_date)}, kLeft, kValue, 210, kSize);
  draw_row(atlas, canvas, {"住址", card.address}, kLeft, kValue, 290, kSize, 500);
  draw_row(atlas, canvas, {"公民身份号码", card.id_number}, kLeft, 300, 540, kSize);
  canvas.stroke_rounded_rect({720, 60, 240, 300}, 8, 2, kRule);  // where the photo goes
  return gray_of(canvas);
}

hal::Image SampleDocuments::business_licence(const LicenceSample& licence) {
  ui::Canvas canvas(1240, 940);
  canvas.clear(kPaper);
  ui::GlyphAtlas& atlas = *atlas_;
  constexpr int kSize = 30, kLeft = 80, kValue = 300;
  draw(atlas, canvas, "营业执照", (1240 - text_width(atlas, "营业执照", 64, true)) / 2, 40, 64, true);
  draw_row(atlas, canvas, {"统一社会信用代码", licence.uscc}, kLeft, kLeft + text_width(atlas, "统一社会信用代码", kSize) + 30,
           170, kSize);
  int y = 260;
  const std::vector<LabelledRow> rows = {{"名称", licence.name},
                                         {"类型", licence.type},
                                         {"法定代表人", licence.legal_representative},
                                         {"注册资本", licence.capital},
                                         {"成立日期", licence.registration_date},
                                         {"住所", licence.address},
                                         {"经营范围", licence.scope}};
  for (const auto& row : rows) y += draw_row(atlas, canvas, row, kLeft, kValue, y, kSize, 1240 - kValue - 80) + 24;
  return gray_of(canvas);
}

hal::Image SampleDocuments::household_register(const HouseholdSample& row) {
  ui::Canvas canvas(1240, 760);
  canvas.clear(kPaper);
  ui::GlyphAtlas& atlas = *atlas_;
  constexpr int kSize = 30, kLeft = 60, kValue = 330, kRight = 660, kRightValue = 930, kPitch = 100;
  draw(atlas, canvas, "常住人口登记卡", (1240 - text_width(atlas, "常住人口登记卡", 56, true)) / 2, 40, 56, true);
  int y = 170;
  auto rule = [&] { canvas.fill_rect({40, y - 30, 1160, 2}, kRule); };
  rule();
  draw_row(atlas, canvas, {"姓名", row.name}, kLeft, kValue, y, kSize);
  draw_row(atlas, canvas, {"户主或与户主关系", row.relationship}, kRight, kRightValue + 60, y, kSize);
  y += kPitch;
  rule();
  draw_row(atlas, canvas, {"性别", row.sex}, kLeft, kValue, y, kSize);
  draw_row(atlas, canvas, {"民族", row.nation}, kRight, kRightValue, y, kSize);
  y += kPitch;
  rule();
  draw_row(atlas, canvas, {"出生地", row.birth_place}, kLeft, kValue, y, kSize);
  y += kPitch;
  rule();
  draw_row(atlas, canvas, {"出生日期", row.birth_date}, kLeft, kValue, y, kSize);
  y += kPitch;
  rule();
  draw_row(atlas, canvas, {"公民身份证件编号", row.id_number}, kLeft, kValue, y, kSize);
  y += kPitch;
  rule();
  return gray_of(canvas);
}

hal::Image SampleDocuments::a4_page(const LicenceSample& licence) {
  ui::Canvas canvas(2480, 3508);
  canvas.clear(kPaper);
  ui::GlyphAtlas& atlas = *atlas_;
  constexpr int kSize = 50, kLeft = 200, kValue = 620, kWidth = 2480 - 2 * kLeft;
  draw(atlas, canvas, "营业执照", (2480 - text_width(atlas, "营业执照", 110, true)) / 2, 160, 110, true);
  int y = 420;
  const std::vector<LabelledRow> rows = {{"统一社会信用代码", licence.uscc}, {"名称", licence.name},
                                         {"类型", licence.type},             {"法定代表人", licence.legal_representative},
                                         {"注册资本", licence.capital},       {"成立日期", licence.registration_date},
                                         {"住所", licence.address}};
  for (const auto& row : rows) y += draw_row(atlas, canvas, row, kLeft, kValue, y, kSize, 2480 - kValue - kLeft) + 30;
  const std::string paragraph =
      "经营范围：" + licence.scope +
      "；企业应当于每年一月一日至六月三十日通过国家企业信用信息公示系统报送上一年度年度报告，并向社会公示。"
      "许可项目凭有效许可证件经营，依法须经批准的项目，经相关部门批准后方可开展经营活动。";
  while (y < 3508 - 300) y += draw(atlas, canvas, paragraph, kLeft, y, kSize, false, kWidth) + 40;
  return gray_of(canvas);
}

hal::Image SampleDocuments::blank_page(int width, int height, std::uint8_t grey) {
  hal::Image image;
  image.width = width;
  image.height = height;
  image.format = hal::PixelFormat::gray8;
  image.pixels.assign(static_cast<std::size_t>(width) * static_cast<std::size_t>(height), grey);
  return image;
}

void SampleDocuments::degrade(hal::Image& image, const Degradation& degradation) {
  std::minstd_rand random(degradation.seed);
  std::uniform_real_distribution<double> chance(0.0, 1.0);
  std::uniform_int_distribution<int> grey(0, 255);
  const int channels = image.bytes_per_pixel();
  for (std::size_t i = 0; i < image.pixels.size(); i += static_cast<std::size_t>(channels)) {
    for (int c = 0; c < channels; ++c) {
      const int value = image.pixels[i + static_cast<std::size_t>(c)];
      image.pixels[i + static_cast<std::size_t>(c)] =
          static_cast<std::uint8_t>(degradation.ink + (degradation.paper - degradation.ink) * value / 255);
    }
    if (chance(random) < degradation.speckle_fraction) {
      const auto speckle = static_cast<std::uint8_t>(grey(random));
      for (int c = 0; c < channels; ++c) image.pixels[i + static_cast<std::size_t>(c)] = speckle;
    }
  }
}

}  // namespace kiosk::ocr::samples
