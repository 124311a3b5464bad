// The whole-file checksum in a result file's user block: written after the image is made,
// checked against the bytes on disk before they reach HDF5, whose parser trusts them.
#include "reports/store/file_checksum.h"

#include "reports/store/mapped_file.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <stdexcept>
#include <string_view>

#include <fmt/format.h>

namespace cjsim {
namespace {

constexpr std::string_view kMagic = "cjsim-checksum";
constexpr std::string_view kVersion = "1";
constexpr std::string_view kAlgorithm = "sha256";

std::string sha256_hex(std::span<const unsigned char> bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("cannot compute a SHA-256 checksum");
  }
  std::string hex;
  for (unsigned int i = 0; i < size; ++i) hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

std::runtime_error damaged() { return std::runtime_error("damaged: checksum does not match"); }

constexpr std::string_view kHdf5Signature = "\x89HDF\r\n\x1a\n";

bool hdf5_signature_at(std::span<const unsigned char> bytes, std::size_t at) {
  return bytes.size() >= at + kHdf5Signature.size() + 1 &&
         std::memcmp(bytes.data() + at, kHdf5Signature.data(), kHdf5Signature.size()) == 0;
}

// Whether `bytes` carry the header (and it matches), false for a file of an older cjsim.
bool check_header(std::span<const unsigned char> bytes) {
  const std::string_view block(reinterpret_cast<const char*>(bytes.data()),
                               std::min(bytes.size(), kUserBlockSize));
  if (!block.starts_with(fmt::format("{} ", kMagic))) {
    // Older cjsim wrote files without a user block, in HDF5's earliest format (superblock
    // version 0); anything else without the header was damaged or made by other means, and
    // is refused before HDF5's parser, which trusts what it reads, sees it.
    if (hdf5_signature_at(bytes, 0) && bytes[kHdf5Signature.size()] == 0) return false;
    if (hdf5_signature_at(bytes, 0) || hdf5_signature_at(bytes, kUserBlockSize)) throw damaged();
    throw std::runtime_error("not an HDF5 file");
  }
  if (bytes.size() < kUserBlockSize) throw damaged();
  const std::size_t end = block.find('\n');
  if (end == std::string_view::npos) throw damaged();
  const std::string expected_prefix =
      fmt::format("{} {} {} {} ", kMagic, kVersion, kAlgorithm, bytes.size() - kUserBlockSize);
  const std::string_view line = block.substr(0, end);
  if (!line.starts_with(expected_prefix)) throw damaged();
  const std::span<const unsigned char> content = bytes.subspan(kUserBlockSize);
  if (line.substr(expected_prefix.size()) != sha256_hex(content)) throw damaged();
  return true;
}

}  // namespace

void seal_file_image(std::span<char> image) {
  if (image.size() < kUserBlockSize) throw std::runtime_error("the file image has no user block");
  const std::span<const unsigned char> content(
      reinterpret_cast<const unsigned char*>(image.data()) + kUserBlockSize,
      image.size() - kUserBlockSize);
  const std::string header = fmt::format("{} {} {} {} {}\n", kMagic, kVersion, kAlgorithm,
                                         content.size(), sha256_hex(content));
  std::memset(image.data(), 0, kUserBlockSize);
  std::memcpy(image.data(), header.data(), header.size());
}

bool check_file_checksum(const std::string& path) {
  const MappedFile file(path);
  return check_header(file.bytes());
}

}  // namespace cjsim
