#pragma once
/// VCF/BCF output of `genomamba score` (design §9): the input records unchanged plus one INFO field per score.
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "output/job_format.h"
#include "output/root_attributes.h"
#include "output/variant_batch.h"

namespace genomamba::output {

/// bcftools -O: v plain VCF, z bgzipped VCF, b compressed BCF, u uncompressed BCF.
enum class VcfOutputType { VCF, VCF_GZ, BCF, BCF_UNCOMPRESSED };

/// From the output's suffix (case-insensitive): .vcf -> VCF, .vcf.gz / .vcf.bgz -> VCF_GZ, .bcf -> BCF;
/// nullopt otherwise (including "-").
std::optional<VcfOutputType> vcf_output_type_from_suffix(const std::filesystem::path& path);

/// Parses -O's letter (v, z, b, u). @throws ConfigError naming -O.
VcfOutputType parse_vcf_output_type(const std::string& letter);

/// Creates the VCF/BCF writer of a `genomamba score` job.
///
/// Output: the input VCF records unchanged plus INFO fields GM_<SCORE> (score_info_key(): Number=A,
/// Type=Float, Description=score_description()), one per layout.scores entry, holding each ALT allele's
/// score; '.' (missing) for NaN, for a row with status != 0 and for an ALT without a row. A record without
/// ALT alleles gets no GM_* field.
///
/// Header: attrs.extra.at("vcf_header") (the input's header text) without its GM_* INFO definitions and
/// earlier ##genomamba_* lines, plus our INFO definitions and the provenance lines ##genomamba_version,
/// ##genomamba_command, ##genomamba_model, ##genomamba_model_sha256, ##genomamba_window,
/// ##genomamba_strand and ##genomamba_scores (from `attrs`; made single-line; "." when empty).
///
/// Records come from VariantBatch::record_line, parsed by htslib against that header; every GM_* INFO
/// value they already carry is dropped first (their definitions are gone), so a re-scored file holds only
/// this run's scores.
///
/// `path` "-" writes standard output. Otherwise the writer writes "<path>.partial" and finish() renames it
/// to `path`; destroyed without finish(), it removes the partial file. VCF_GZ and BCF outputs are BGZF, so
/// `bcftools index` accepts them.
/// @param type  how to encode the output (see vcf_output_type_from_suffix() and -O).
/// @throws InputError naming `path` when it cannot be created; InternalError when attrs has no
///   "vcf_header" or htslib rejects it. append() throws InternalError for a batch that is not a
///   VariantBatch or whose record line htslib cannot parse, InputError when a record uses a contig or tag
///   that the header does not define (BCF output only: BCF cannot represent it), and DeviceError naming
///   the path when a write fails; finish() throws DeviceError naming the path when closing or renaming fails.
std::unique_ptr<RowWriter> create_vcf_scores_writer(const std::filesystem::path& path, VcfOutputType type,
                                                    const VariantScoresLayout& layout, const RootAttributes& attrs);

}  // namespace genomamba::output
