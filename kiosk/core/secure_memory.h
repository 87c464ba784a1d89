#pragma once
// Wiping of personal data: the compiler may not elide these stores (explicit_bzero).

#include <string>
#include <vector>

namespace kiosk {

void secure_clear(std::string& text);
void secure_clear(std::vector<unsigned char>& bytes);
void secure_clear(void* data, std::size_t size);

}  // namespace kiosk
