#pragma once
/// The JobFormat of `genomamba ism`: rows are reference positions, written as the design §8 ISM layout.
#include <filesystem>
#include <memory>
#include <string>

#include "output/job_format.h"

namespace genomamba::output {

class IsmFormat : public JobFormat {
 public:
  /// The format of an existing ISM file (for merge). @throws InputError naming it when it is not one.
  static std::shared_ptr<IsmFormat> of_file(const std::filesystem::path& path);

  /// "genomamba-ism".
  std::string format() const override;
  /// "ism".
  std::string layout_key() const override;
  /// An IsmWriter.
  std::unique_ptr<RowWriter> create_h5(const std::filesystem::path& path, const RootAttributes& attrs) const override;
  /// An IsmReader. @throws InputError naming the file when it is not a genomamba-ism file.
  std::unique_ptr<RowReader> open_h5(const std::filesystem::path& path) const override;
};

}  // namespace genomamba::output
