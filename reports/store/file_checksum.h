// The whole-file checksum of a result file: a header in the file's HDF5 user block that
// covers every byte after it, checked before HDF5 parses anything of the file.
#pragma once

#include <cstddef>
#include <span>
#include <string>

namespace cjsim {

// Bytes reserved at the start of every result file (an HDF5 user block, which HDF5 skips).
inline constexpr std::size_t kUserBlockSize = 512;

// Writes the header into the first kUserBlockSize bytes of `image`, an HDF5 file image made
// with that user block: "cjsim-checksum 1 sha256 LENGTH HEX\n", then NUL bytes, where LENGTH
// is the number of bytes after the user block and HEX their SHA-256.
void seal_file_image(std::span<char> image);

// Whether the file at `path` carries the header; throws std::runtime_error("damaged: checksum
// does not match") if it carries one that its bytes do not match, or a malformed one.
bool check_file_checksum(const std::string& path);

}  // namespace cjsim
