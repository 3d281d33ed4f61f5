#pragma once
// The files a run reads and the files it writes, kept apart (no output may land on an input, its index or
// the model), and the fingerprint of an input that a job signature records (so --resume notices a changed
// input). Shared by embed, score, ism and merge. Not a public API.
#include <string>
#include <vector>

namespace genomamba::apps {

/// `path` and the companion files HTSlib, faidx or the checkpoint loader may read beside it: .fai, .gzi,
/// .bai, .csi, .crai, .tbi (also "x.bai" for "x.bam"). "-" and "" give nothing.
std::vector<std::string> with_companions(const std::string& path);

/// The files of a model folder the loader reads (config.json, model.safetensors).
std::vector<std::string> model_files(const std::string& model_dir);

/// Refuses an output that would replace or be mixed with a file the run reads: `output` itself and what
/// the job writes beside it ("<output>.partial", "<output>.partial.d", "<output>.lock", "<output>.tmp") are
/// compared, through symbolic and hard links, with every path of `inputs`.
/// @throws ConfigError "<output>: output (-o) would overwrite <input>, which this run reads".
void check_output_spares_inputs(const std::string& output, const std::vector<std::string>& inputs);

/// What a job signature records of an input file, as "key=value" lines: its path with links resolved and its
/// modification time (keys "<key>_path" and "<key>_mtime", which merge ignores: shards may read copies of one
/// file, staged into their own folders by a workflow manager), its size and the SHA-256 of its content (the whole file up to 64 MiB; above that its size, first and last MiB). "-" (standard input)
/// is recorded as such. @throws InputError when the file cannot be read.
std::string input_fingerprint(const std::string& key, const std::string& path);

}  // namespace genomamba::apps
