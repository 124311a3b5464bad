// The studio's token and its Host and Origin checks.
#include "sim/studio/access.h"

#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <array>
#include <stdexcept>

namespace cjsim::studio {

std::string new_token() {
  std::array<unsigned char, 32> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    throw std::runtime_error("the system gave no random bytes for the studio's access token");
  }
  std::string hex;
  for (unsigned char b : bytes) hex += fmt::format("{:02x}", b);
  return hex;
}

bool token_matches(std::string_view given, std::string_view token) {
  if (given.size() != token.size() || token.empty()) return false;
  return CRYPTO_memcmp(given.data(), token.data(), token.size()) == 0;
}

std::string token_of_headers(std::string_view authorization, std::string_view cookie) {
  constexpr std::string_view kScheme = "token ";
  if (authorization.starts_with(kScheme)) return std::string(authorization.substr(kScheme.size()));
  // Cookie: a=b; cjsim_studio_token=T; c=d
  std::size_t at = 0;
  while (at < cookie.size()) {
    std::size_t end = cookie.find(';', at);
    if (end == std::string_view::npos) end = cookie.size();
    std::string_view pair = cookie.substr(at, end - at);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    if (pair.starts_with(kCookieName) && pair.size() > kCookieName.size() &&
        pair[kCookieName.size()] == '=') {
      return std::string(pair.substr(kCookieName.size() + 1));
    }
    at = end + 1;
  }
  return "";
}

Gate::Gate(std::string host, int port, const std::vector<std::string>& allowed) {
  std::vector<std::string> names = {"127.0.0.1", "localhost", "[::1]", std::move(host)};
  names.insert(names.end(), allowed.begin(), allowed.end());
  for (const std::string& name : names) {
    if (name.empty() || name == "0.0.0.0" || name == "::") continue;
    const std::string bracketed =
        name.find(':') != std::string::npos && name.front() != '[' ? "[" + name + "]" : name;
    hosts_.push_back(fmt::format("{}:{}", bracketed, port));
  }
}

bool Gate::host_allowed(std::string_view host_header) const {
  for (const std::string& h : hosts_) {
    if (host_header == h) return true;
  }
  return false;
}

bool Gate::origin_allowed(std::string_view origin) const {
  constexpr std::string_view kScheme = "http://";
  if (!origin.starts_with(kScheme)) return false;
  return host_allowed(origin.substr(kScheme.size()));
}

}  // namespace cjsim::studio
