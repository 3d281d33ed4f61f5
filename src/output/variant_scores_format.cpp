#include "output/variant_scores_format.h"

#include <cctype>

#include "core/error.h"
#include "output/tsv_scores_writer.h"
#include "output/variant_scores_reader.h"
#include "output/variant_scores_writer.h"

namespace genomamba::output {

namespace fs = std::filesystem;

namespace {

// The extension of `path`, lower-cased (".H5" counts as ".h5", as vcf_output_type_from_suffix() does).
std::string lower_extension(const fs::path& path) {
  std::string ext = path.extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

}  // namespace

bool is_h5_output_path(const fs::path& path) {
  const std::string ext = lower_extension(path);
  return ext == ".h5" || ext == ".hdf5";
}

std::shared_ptr<VariantScoresFormat> VariantScoresFormat::of_file(const fs::path& path,
                                                                  std::optional<VcfOutputType> output_type) {
  const VariantScoresReader reader(path);
  return std::make_shared<VariantScoresFormat>(reader.layout(), output_type);
}

std::string VariantScoresFormat::format() const { return kVariantScoresFormat; }

std::string VariantScoresFormat::layout_key() const { return variant_scores_layout_key(layout_); }

std::unique_ptr<RowWriter> VariantScoresFormat::create_h5(const fs::path& path, const RootAttributes& attrs) const {
  return std::make_unique<VariantScoresWriter>(path, layout_, attrs);
}

std::unique_ptr<RowReader> VariantScoresFormat::open_h5(const fs::path& path) const {
  return std::make_unique<VariantScoresReader>(path);
}

std::unique_ptr<RowWriter> VariantScoresFormat::create_output(const fs::path& path,
                                                              const RootAttributes& attrs) const {
  if (is_h5_output_path(path)) return create_h5(path, attrs);
  if (lower_extension(path) == ".tsv") return std::make_unique<TsvScoresWriter>(path, layout_);
  std::optional<VcfOutputType> type = output_type_ ? output_type_ : vcf_output_type_from_suffix(path);
  if (!type && path == "-") type = VcfOutputType::VCF;
  if (!type) {
    throw UsageError(path.string() + ": unknown output type; use .h5, .vcf, .vcf.gz, .bcf or .tsv (or -O)");
  }
  return create_vcf_scores_writer(path, *type, layout_, attrs);
}

bool VariantScoresFormat::output_is_h5(const fs::path& path) const { return is_h5_output_path(path); }

}  // namespace genomamba::output
