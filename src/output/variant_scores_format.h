#pragma once
/// The variant-scores layout (design §8, §9) as a JobFormat: what `genomamba score` jobs write. A row is a
/// VCF record with its allele rows. Batch files and shards are HDF5; the final output is HDF5, TSV or
/// VCF/BCF by its suffix (or -O).
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "output/job_format.h"
#include "output/variant_batch.h"
#include "output/vcf_scores_writer.h"

namespace genomamba::output {

class VariantScoresFormat : public JobFormat {
 public:
  /// @param output_type -O: the VCF/BCF encoding of an output whose suffix is neither .h5/.hdf5 nor .tsv
  ///   (overrides the suffix); nullopt: from the suffix.
  explicit VariantScoresFormat(const VariantScoresLayout& layout,
                               std::optional<VcfOutputType> output_type = std::nullopt)
      : layout_(layout), output_type_(output_type) {}
  /// The format of an existing variant-scores .h5 file (for `genomamba merge -o OUT.{h5,vcf.gz,tsv}`).
  /// @throws InputError naming it when it is not one.
  static std::shared_ptr<VariantScoresFormat> of_file(const std::filesystem::path& path,
                                                      std::optional<VcfOutputType> output_type = std::nullopt);

  const VariantScoresLayout& layout() const { return layout_; }
  const std::optional<VcfOutputType>& output_type() const { return output_type_; }

  /// "genomamba-variant-scores".
  std::string format() const override;
  /// variant_scores_layout_key(): "variant-scores scores=llr,wt_llr embedding_width=0".
  std::string layout_key() const override;
  /// A VariantScoresWriter.
  std::unique_ptr<RowWriter> create_h5(const std::filesystem::path& path, const RootAttributes& attrs) const override;
  /// A VariantScoresReader. @throws InputError naming the file when it is not a variant-scores file.
  std::unique_ptr<RowReader> open_h5(const std::filesystem::path& path) const override;
  /// By suffix (case-insensitive): .h5/.hdf5 -> HDF5; .tsv -> TSV; otherwise -O or
  /// vcf_output_type_from_suffix() -> VCF/BCF (create_vcf_scores_writer(), which takes the input header
  /// from attrs.extra["vcf_header"]); "-" without -O -> VCF on standard output.
  /// @throws ConfigError "<path>: unknown output type; use .h5, .vcf, .vcf.gz, .bcf or .tsv (or -O)".
  std::unique_ptr<RowWriter> create_output(const std::filesystem::path& path,
                                           const RootAttributes& attrs) const override;
  /// True only for .h5 / .hdf5.
  bool output_is_h5(const std::filesystem::path& path) const override;

 private:
  VariantScoresLayout layout_;
  std::optional<VcfOutputType> output_type_;
};

/// Whether `path` names an HDF5 output: its suffix is .h5 or .hdf5 (case-insensitive).
bool is_h5_output_path(const std::filesystem::path& path);

}  // namespace genomamba::output
