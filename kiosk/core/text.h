#pragma once
// UTF-8 helpers shared by the UI, the catalog search and the parsers of outside data.

#include <string>
#include <string_view>

namespace kiosk::text {

// Decodes UTF-8; malformed sequences become U+FFFD (never throws, never reads past the end).
std::u32string decode_utf8(std::string_view utf8);
std::string encode_utf8(std::u32string_view text);
void append_utf8(std::string& out, char32_t code_point);
bool is_valid_utf8(std::string_view utf8);

// Han ideographs (CJK Unified Ideographs and extension A, compatibility ideographs).
bool is_han(char32_t c);
// Characters after which a line may break on their own (CJK ideographs, kana, hangul, fullwidth
// punctuation): CJK text wraps by character, Latin text by word.
bool is_cjk_breakable(char32_t c);
// Punctuation that must not start a line (，。、；：？！）」』》 …) or end one (（「《 …): kinsoku rules.
bool is_no_line_start(char32_t c);
bool is_no_line_end(char32_t c);

// ASCII lower-casing; other characters unchanged.
std::string to_lower_ascii(std::string_view text);

}  // namespace kiosk::text
