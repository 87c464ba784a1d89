// make_crypto(): the backend this build chose with the CMake option KIOSK_CRYPTO_BACKEND. The kiosk
// links only kiosk_crypto, so a firmware image carries exactly one crypto library.
#include "kiosk/crypto/crypto.h"

namespace kiosk::crypto {

std::unique_ptr<Crypto> make_crypto() {
#if defined(KIOSK_CRYPTO_USE_MBEDTLS)
  return make_mbedtls_crypto();
#elif defined(KIOSK_CRYPTO_USE_OPENSSL)
  return make_openssl_crypto();
#else
#error "define KIOSK_CRYPTO_USE_OPENSSL or KIOSK_CRYPTO_USE_MBEDTLS (kiosk/crypto/CMakeLists.txt does)"
#endif
}

}  // namespace kiosk::crypto
