#pragma once
/// A compact SHA-256 (FIPS 180-4), so checkpoint hashes need no crypto library.
#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>

namespace genomamba::model {

/// Incremental SHA-256: update() any number of times, then hex_digest() once.
class Sha256 {
 public:
  Sha256();
  void update(std::span<const std::byte> data);
  void update(const std::string& text);
  /// The digest as 64 lowercase hex characters. Finalizes: call once.
  std::string hex_digest();

 private:
  void compress(const uint8_t* block);

  std::array<uint32_t, 8> h_;
  std::array<uint8_t, 64> buffer_{};
  size_t buffered_ = 0;
  uint64_t total_bytes_ = 0;
};

/// Hex SHA-256 of a whole file, read in chunks. @throws InputError "<path>: cannot read ..." when unreadable.
std::string sha256_file(const std::filesystem::path& path);

}  // namespace genomamba::model
