#pragma once
// What the synthesiser is given for a prompt: the prompt rewritten where espeak-ng 1.51 would read
// it badly. Measured with espeak-ng's phoneme trace (docs/decisions.md, "Voice guidance"):
//  - Mandarin numbers: it reads 2026 as 二千二十六 (no 零) and 10000 as 十千, so integers, decimals,
//    dates (2026-12-04) and times (10:42) become Chinese numerals here (两千零二十六, 一万,
//    十二月四日, 十点四十二分) and a four-digit number before 年 is read digit by digit (二零二六年);
//  - codes (case numbers LZ20261125-000123, queue numbers A023, numbers of seven digits or more,
//    or with a leading zero) are read one character at a time in both languages, the parts
//    between hyphens with a pause; in English a letter is kept next to the digit after it, since
//    espeak reads a lone "A" as the article;
//  - the mask of a masked name (张*丰) would be read "asterisk": it becomes 某 in Chinese and is
//    dropped in English.
// Letters-only words (OK, ID) are left to the voice, which reads them in English.
// Pure function, no library: tests pin each rule.

#include <string>
#include <string_view>

namespace kiosk::voice {

// The prompt's language (the app's zh / en).
enum class Language { zh, en };

// `text` must be valid UTF-8. Control characters become spaces, runs of spaces one space, and
// the ends are trimmed.
std::string speech_text(std::string_view text, Language language);

// 0 → 零, 12 → 十二, 2026 → 两千零二十六, 10500 → 一万零五百 (0 … 99 999 999; larger values are
// read digit by digit).
std::string chinese_number(unsigned long long value);

}  // namespace kiosk::voice
