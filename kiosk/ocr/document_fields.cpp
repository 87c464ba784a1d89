// Field extraction: labels found in normalised OCR lines, values between labels, checks and the
// confirmation flags (document_fields.h).
#include "kiosk/ocr/document_fields.h"

#include <algorithm>

#include "kiosk/core/check_digits.h"
#include "kiosk/core/text.h"

namespace kiosk::ocr {
namespace {

enum class ValueType { text, sex, date, id_number, uscc };

struct FieldSpec {
  const char* key;
  std::vector<std::u32string_view> labels;  // alternatives, as printed on different editions
  ValueType type;
  bool multiline;  // takes the following lines until a line with a label (addresses)
};

struct KindSpec {
  DocumentKind kind;
  const char* title;  // for messages
  std::vector<FieldSpec> fields;
  // Labels of things we do not extract: they end the value before them.
  std::vector<std::u32string_view> other_labels;
  // Titles and labels that tell this kind from the others.
  std::vector<std::u32string_view> markers;
};

const KindSpec& id_card_spec() {
  static const KindSpec spec{DocumentKind::id_card_front,
                             "ID card",
                             {{"name", {U"姓名"}, ValueType::text, false},
                              {"sex", {U"性别"}, ValueType::sex, false},
                              {"nation", {U"民族"}, ValueType::text, false},
                              {"birth_date", {U"出生"}, ValueType::date, false},
                              {"address", {U"住址"}, ValueType::text, true},
                              {"id_number", {U"公民身份号码"}, ValueType::id_number, false}},
                             {},
                             {U"公民身份号码", U"居民身份证"}};
  return spec;
}

const KindSpec& licence_spec() {
  static const KindSpec spec{
      DocumentKind::business_licence,
      "business licence",
      {{"uscc", {U"统一社会信用代码"}, ValueType::uscc, false},
       {"name", {U"名称", U"企业名称"}, ValueType::text, false},
       {"legal_representative", {U"法定代表人", U"负责人", U"经营者", U"执行事务合伙人", U"投资人"}, ValueType::text, false},
       {"address", {U"住所", U"经营场所", U"营业场所", U"主要经营场所"}, ValueType::text, true},
       {"registration_date", {U"成立日期", U"注册日期", U"登记日期"}, ValueType::date, false}},
      {U"类型", U"注册资本", U"出资额", U"营业期限", U"合伙期限", U"经营范围", U"登记机关", U"组成形式", U"注册号"},
      {U"营业执照", U"统一社会信用代码"}};
  return spec;
}

const KindSpec& household_spec() {
  static const KindSpec spec{
      DocumentKind::household_register,
      "household register",
      {{"name", {U"姓名"}, ValueType::text, false},
       {"relationship", {U"户主或与户主关系"}, ValueType::text, false},
       {"id_number", {U"公民身份证件编号", U"公民身份号码"}, ValueType::id_number, false},
       {"birth_date", {U"出生日期"}, ValueType::date, false}},
      {U"曾用名", U"性别", U"出生地", U"民族", U"籍贯", U"其他住址", U"宗教信仰", U"身高", U"血型", U"文化程度",
       U"婚姻状况", U"兵役状况", U"服务处所", U"职业", U"何时由何地迁来本市", U"何时由何地迁来本址", U"承办人签章",
       U"登记事项变更和更正记载"},
      {U"常住人口登记卡", U"户主或与户主关系"}};
  return spec;
}

const KindSpec& spec_for(DocumentKind kind) {
  switch (kind) {
    case DocumentKind::id_card_front: return id_card_spec();
    case DocumentKind::business_licence: return licence_spec();
    case DocumentKind::household_register: return household_spec();
  }
  return id_card_spec();
}

// One character of a line after normalisation, with the word it came from.
struct Glyph {
  char32_t c;
  std::size_t word;
  bool word_start;
};
using Glyphs = std::vector<Glyph>;

// Full-width ASCII (０-９, Ａ-Ｚ, ：) becomes ASCII; spaces go (Tesseract splits Chinese into words
// arbitrarily, so word boundaries carry no meaning inside Chinese text).
char32_t normalise(char32_t c) {
  if (c >= 0xFF01 && c <= 0xFF5E) return c - 0xFF01 + 0x21;
  return c;
}
bool is_space(char32_t c) { return c == U' ' || c == U'\t' || c == U'\n' || c == U'\r' || c == 0x3000 || c == 0xA0; }
bool is_ascii_alnum(char32_t c) { return (c >= U'0' && c <= U'9') || (c >= U'A' && c <= U'Z') || (c >= U'a' && c <= U'z'); }
bool is_trimmed(char32_t c) {
  return is_space(c) || c == U':' || c == U';' || c == U'|' || c == U'丨' || c == U'_' || c == U',' || c == U'，' ||
         c == U'。' || c == U'、' || c == U'"' || c == U'\'' || c == U'“' || c == U'”' || c == U'‘' || c == U'’' ||
         c == U'…' || c == U'·' || c == U'.' || c == U'-';
}

Glyphs glyphs_of(const OcrLine& line) {
  Glyphs glyphs;
  for (std::size_t w = 0; w < line.words.size(); ++w) {
    bool first = true;
    for (char32_t c : text::decode_utf8(line.words[w].text)) {
      c = normalise(c);
      if (is_space(c)) continue;
      glyphs.push_back({c, w, first});
      first = false;
    }
  }
  return glyphs;
}

// Labels of four or more characters match with one character misread ("出生日其" for 出生日期):
// OCR misses a stroke now and then, and a four-character label with three right is still itself.
// Shorter labels must match exactly.
bool matches_at(const Glyphs& glyphs, std::size_t at, std::u32string_view label) {
  if (at + label.size() > glyphs.size()) return false;
  std::size_t misread = 0;
  for (std::size_t i = 0; i < label.size(); ++i) {
    if (glyphs[at + i].c != label[i]) ++misread;
  }
  return misread == 0 || (label.size() >= 4 && misread == 1);
}

struct LabelHit {
  std::size_t begin = 0;
  std::size_t end = 0;
  int field = -1;  // index into KindSpec::fields; -1 for an other label
  std::u32string_view label;
};

// Two-character labels ("姓名", "住所") count only at the start of an OCR word, so the same
// characters inside a value do not cut it; longer labels count anywhere.
std::vector<LabelHit> find_labels(const Glyphs& glyphs, const KindSpec& spec) {
  std::vector<LabelHit> hits;
  std::size_t at = 0;
  while (at < glyphs.size()) {
    LabelHit best;
    auto consider = [&](std::u32string_view label, int field) {
      if (label.size() <= best.end - best.begin) return;
      if (label.size() < 3 && !glyphs[at].word_start) return;
      if (matches_at(glyphs, at, label)) best = {at, at + label.size(), field, label};
    };
    for (std::size_t f = 0; f < spec.fields.size(); ++f) {
      for (auto label : spec.fields[f].labels) consider(label, static_cast<int>(f));
    }
    for (auto label : spec.other_labels) consider(label, -1);
    if (best.end > best.begin) {
      hits.push_back(best);
      at = best.end;
    } else {
      ++at;
    }
  }
  return hits;
}

// A value being assembled: its characters and the words they came from.
struct ValueText {
  std::u32string chars;
  std::vector<const OcrWord*> words;  // one entry per character
};

// Appends glyphs [begin, end) of a line, trimmed of separators at both ends. Between two words a
// space is kept only where both sides are Latin letters or digits ("ABC Trading").
void append_span(ValueText& value, const OcrLine& line, const Glyphs& glyphs, std::size_t begin, std::size_t end) {
  while (begin < end && is_trimmed(glyphs[begin].c)) ++begin;
  while (end > begin && is_trimmed(glyphs[end - 1].c)) --end;
  for (std::size_t i = begin; i < end; ++i) {
    const OcrWord* word = &line.words[glyphs[i].word];
    if (!value.chars.empty() && value.words.back() != word && is_ascii_alnum(value.chars.back()) &&
        is_ascii_alnum(glyphs[i].c)) {
      value.chars.push_back(U' ');
      value.words.push_back(word);
    }
    value.chars.push_back(glyphs[i].c);
    value.words.push_back(word);
  }
}

void set_confidence(OcrField& field, const ValueText& value) {
  std::vector<const OcrWord*> words = value.words;
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());
  if (words.empty()) return;
  float sum = 0, lowest = 100;
  for (const OcrWord* word : words) {
    const float confidence = std::clamp(word->confidence, 0.0f, 100.0f);
    sum += confidence;
    lowest = std::min(lowest, confidence);
  }
  field.confidence_min = lowest;
  field.confidence_mean = sum / static_cast<float>(words.size());
}

std::string ascii_alnum_upper(std::u32string_view chars) {
  std::string out;
  for (char32_t c : chars) {
    if (!is_ascii_alnum(c)) continue;
    out += static_cast<char>(c >= U'a' && c <= U'z' ? c - U'a' + U'A' : c);
  }
  return out;
}

bool leap_year(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

// "1958年3月15日", "1958-03-15", "1958.3.15", "19580315" → "19580315"; nothing if not a real date.
std::optional<std::string> parse_date(std::u32string_view chars) {
  std::vector<std::string> groups;
  std::string current;
  for (char32_t c : chars) {
    if (c >= U'0' && c <= U'9') {
      current += static_cast<char>(c);
    } else if (!current.empty()) {
      groups.push_back(current);
      current.clear();
    }
  }
  if (!current.empty()) groups.push_back(current);
  if (groups.size() == 1 && groups[0].size() == 8) {
    groups = {groups[0].substr(0, 4), groups[0].substr(4, 2), groups[0].substr(6, 2)};
  }
  if (groups.size() != 3 || groups[0].size() != 4 || groups[1].size() > 2 || groups[2].size() > 2) return std::nullopt;
  const int year = std::stoi(groups[0]), month = std::stoi(groups[1]), day = std::stoi(groups[2]);
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (year < 1900 || year > 2099 || month < 1 || month > 12 || day < 1) return std::nullopt;
  if (day > kDays[month - 1] + (month == 2 && leap_year(year) ? 1 : 0)) return std::nullopt;
  auto two_digits = [](int value) { return std::string(1, static_cast<char>('0' + value / 10)) + static_cast<char>('0' + value % 10); };
  return groups[0] + two_digits(month) + two_digits(day);
}

void fail_check(OcrField& field, std::string note) {
  field.check_failed = true;
  field.note = std::move(note);
}

// Normalises the value by its type and runs its check.
void check_value(OcrField& field, ValueType type, const std::u32string& chars) {
  switch (type) {
    case ValueType::text:
      field.value = text::encode_utf8(chars);
      return;
    case ValueType::sex:
      field.value = text::encode_utf8(chars);
      if (chars != U"男" && chars != U"女") fail_check(field, "expected 男 or 女");
      return;
    case ValueType::date:
      if (auto date = parse_date(chars)) {
        field.value = *date;
      } else {
        field.value = text::encode_utf8(chars);
        fail_check(field, "not a valid date");
      }
      return;
    case ValueType::id_number:
      field.value = ascii_alnum_upper(chars);
      if (field.value.size() != 18) {
        fail_check(field, "expected 18 characters, read " + std::to_string(field.value.size()));
      } else if (!check_digits::valid_id_number(field.value)) {
        fail_check(field, "GB 11643 check character does not match");
      }
      return;
    case ValueType::uscc:
      field.value = ascii_alnum_upper(chars);
      if (field.value.size() != 18) {
        fail_check(field, "expected 18 characters, read " + std::to_string(field.value.size()));
      } else if (!check_digits::valid_uscc(field.value)) {
        fail_check(field, "GB 32100 check character does not match (some early codes fail it: confirm against the licence)");
      }
      return;
  }
}

OcrField make_field(const FieldSpec& spec, std::u32string_view label, const ValueText& value) {
  OcrField field;
  field.key = spec.key;
  field.label = text::encode_utf8(label);
  field.found = !value.chars.empty();
  if (!field.found) {
    field.note = "label found, no value next to it";
    return field;
  }
  set_confidence(field, value);
  check_value(field, spec.type, value.chars);
  return field;
}

struct ScannedLine {
  const OcrLine* line;
  Glyphs glyphs;
  std::vector<LabelHit> hits;
};

// The value of hit `h` on line `index`: the rest of the line up to the next label, the next line
// when the label stands alone (OCR split the row), and the following unlabelled lines for
// multi-line fields.
ValueText read_value(const std::vector<ScannedLine>& lines, std::size_t index, std::size_t h, bool multiline) {
  const ScannedLine& here = lines[index];
  const std::size_t begin = here.hits[h].end;
  const std::size_t end = h + 1 < here.hits.size() ? here.hits[h + 1].begin : here.glyphs.size();
  ValueText value;
  append_span(value, *here.line, here.glyphs, begin, end);
  const bool last_on_line = h + 1 == here.hits.size();
  if (!last_on_line) return value;
  for (std::size_t next = index + 1; next < lines.size() && lines[next].hits.empty(); ++next) {
    if (!value.chars.empty() && !multiline) break;
    append_span(value, *lines[next].line, lines[next].glyphs, 0, lines[next].glyphs.size());
  }
  return value;
}

// Cross-check: the ID number carries the birth date in characters 7–14.
void check_birth_against_id(ExtractedDocument& document) {
  auto find = [&](std::string_view key) -> OcrField* {
    for (auto& field : document.fields) {
      if (field.key == key) return &field;
    }
    return nullptr;
  };
  OcrField* birth = find("birth_date");
  const OcrField* id = find("id_number");
  if (birth == nullptr || id == nullptr || !birth->found || birth->check_failed || !id->found || id->check_failed) return;
  if (id->value.substr(6, 8) != birth->value) fail_check(*birth, "does not match the birth date in the ID number");
}

void settle(OcrField& field, const ExtractOptions& options) {
  if (!field.found && field.note.empty()) field.note = "not found";
  field.low_confidence = field.found && field.confidence_min < options.confirm_below;
  if (field.low_confidence && !field.check_failed) field.note = "low OCR confidence";
  field.needs_confirmation = !field.found || field.low_confidence || field.check_failed;
}

}  // namespace

const char* to_string(DocumentKind kind) {
  switch (kind) {
    case DocumentKind::id_card_front: return "idcard";
    case DocumentKind::business_licence: return "licence";
    case DocumentKind::household_register: return "household";
  }
  return "?";
}

std::optional<DocumentKind> document_kind_from_name(std::string_view name) {
  for (DocumentKind kind : {DocumentKind::id_card_front, DocumentKind::business_licence, DocumentKind::household_register}) {
    if (name == to_string(kind)) return kind;
  }
  return std::nullopt;
}

const OcrField* ExtractedDocument::field(std::string_view key) const {
  for (const auto& entry : fields) {
    if (entry.key == key) return &entry;
  }
  return nullptr;
}

bool ExtractedDocument::needs_confirmation() const {
  return std::any_of(fields.begin(), fields.end(), [](const OcrField& field) { return field.needs_confirmation; });
}

std::optional<DocumentKind> detect_document_kind(const OcrPage& page) {
  // Household first: its page also carries an ID number label.
  for (const KindSpec* spec : {&household_spec(), &licence_spec(), &id_card_spec()}) {
    for (const auto& line : page.lines) {
      std::u32string joined;
      for (const Glyph& glyph : glyphs_of(line)) joined.push_back(glyph.c);
      for (auto marker : spec->markers) {
        if (joined.find(marker) != std::u32string::npos) return spec->kind;
      }
    }
  }
  return std::nullopt;
}

Result<ExtractedDocument> extract_fields(const OcrPage& page, DocumentKind kind, const ExtractOptions& options) {
  if (!page.has_text()) return Error::make(ErrorKind::not_found, "no text found");
  const KindSpec& spec = spec_for(kind);
  std::vector<ScannedLine> lines;
  lines.reserve(page.lines.size());
  for (const auto& line : page.lines) {
    ScannedLine scanned{&line, glyphs_of(line), {}};
    scanned.hits = find_labels(scanned.glyphs, spec);
    lines.push_back(std::move(scanned));
  }
  ExtractedDocument document;
  document.kind = kind;
  std::vector<std::optional<OcrField>> read(spec.fields.size());
  bool any_label = false;
  for (std::size_t index = 0; index < lines.size(); ++index) {
    for (std::size_t h = 0; h < lines[index].hits.size(); ++h) {
      const LabelHit& hit = lines[index].hits[h];
      if (hit.field < 0) continue;
      any_label = true;
      auto& slot = read[static_cast<std::size_t>(hit.field)];
      if (slot && slot->found) continue;  // the first value wins
      const FieldSpec& field_spec = spec.fields[static_cast<std::size_t>(hit.field)];
      slot = make_field(field_spec, hit.label, read_value(lines, index, h, field_spec.multiline));
    }
  }
  if (!any_label) return Error::make(ErrorKind::not_found, std::string("no ") + spec.title + " fields found");
  for (std::size_t f = 0; f < spec.fields.size(); ++f) {
    if (read[f]) {
      document.fields.push_back(std::move(*read[f]));
    } else {
      OcrField missing;
      missing.key = spec.fields[f].key;
      document.fields.push_back(std::move(missing));
    }
  }
  check_birth_against_id(document);
  for (auto& field : document.fields) settle(field, options);
  return document;
}

}  // namespace kiosk::ocr
