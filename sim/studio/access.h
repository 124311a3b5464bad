// Who may talk to the studio: the token on every request (query once, then a cookie or an
// `Authorization: token` header), and the Host and Origin headers that tell a page of this
// studio from another site's page or a DNS-rebound name.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cjsim::studio {

// 32 bytes from OpenSSL's CSPRNG, as 64 hex digits.
std::string new_token();

// Whether `given` equals `token`, in time that does not depend on where they differ.
bool token_matches(std::string_view given, std::string_view token);

// The token a request carries: `Authorization: token T`, else the cookie, else "".
std::string token_of_headers(std::string_view authorization, std::string_view cookie);

inline constexpr std::string_view kCookieName = "cjsim_studio_token";

// The hosts a request may name in Host (with the port) and Origin (http://host:port).
class Gate {
 public:
  // `host` is the address listened on; `allowed` the names given with --allowed-host (a
  // name this machine is reached by when it listens on 0.0.0.0), each checked as loopback is.
  Gate(std::string host, int port, const std::vector<std::string>& allowed = {});
  bool host_allowed(std::string_view host_header) const;
  bool origin_allowed(std::string_view origin) const;

 private:
  std::vector<std::string> hosts_;  // "127.0.0.1:8888", "localhost:8888", ...
};

}  // namespace cjsim::studio
