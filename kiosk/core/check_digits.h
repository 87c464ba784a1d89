#pragma once
// Check characters of Chinese identifiers: the resident ID number (GB 11643), the unified social
// credit code (GB 32100) and the organisation code inside it (GB 11714). One implementation for
// the device layer (card reads) and the catalog's form validation.

#include <string_view>

namespace kiosk::check_digits {

// GB 11643: 17 digits and a check character from weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2
// (sum mod 11 indexes "10X98765432"); a lower-case x is accepted as typed. Checks only the
// shape and the check character, not the region or birth date inside.
bool valid_id_number(std::string_view id_number);

// GB 32100 character set: digits and capital letters without I, O, Z, S, V.
bool is_uscc_character(char c);
// GB 32100: 18 characters of the set; the 18th is (31 - sum(value_i * 3^i mod 31) mod 31) mod 31
// over positions 1..17.
bool valid_uscc(std::string_view code);
// GB 11714: the 9-character organisation code (characters 9..17 of a credit code); weights
// 3 7 9 10 5 8 4 2, check 11 - sum mod 11 ("X" for 10, "0" for 11).
bool valid_organisation_code(std::string_view code);

}  // namespace kiosk::check_digits
