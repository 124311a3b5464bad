// Whether the tests run under a sanitizer (AddressSanitizer or ThreadSanitizer): such builds
// run five to twenty times slower and hold more memory, so heavy tests check the same
// properties on less data, and memory bounds are not asserted.
#pragma once

namespace cjsim::testing {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
inline constexpr bool kSanitized = true;
#else
inline constexpr bool kSanitized = false;
#endif
#else
inline constexpr bool kSanitized = false;
#endif

}  // namespace cjsim::testing
