#include "output/ism_format.h"

#include "output/ism_reader.h"
#include "output/ism_writer.h"

namespace genomamba::output {

std::shared_ptr<IsmFormat> IsmFormat::of_file(const std::filesystem::path& path) {
  const IsmReader reader(path);
  return std::make_shared<IsmFormat>();
}

std::string IsmFormat::format() const { return kIsmFormat; }

std::string IsmFormat::layout_key() const { return ism_layout_key(); }

std::unique_ptr<RowWriter> IsmFormat::create_h5(const std::filesystem::path& path, const RootAttributes& attrs) const {
  return std::make_unique<IsmWriter>(path, attrs);
}

std::unique_ptr<RowReader> IsmFormat::open_h5(const std::filesystem::path& path) const {
  return std::make_unique<IsmReader>(path);
}

}  // namespace genomamba::output
