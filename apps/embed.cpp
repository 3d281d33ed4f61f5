// genomamba embed: FASTA/FASTQ records in, pooled (and optionally per-base) embeddings and logits out,
// as HDF5 (design §7, §8). Today each record is one window.
#include <CLI/CLI.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "commands.h"
#include "core/error.h"
#include "core/log.h"
#include "core/matrix.h"
#include "core/threads.h"
#include "io/fasta_reader.h"
#include "io/model_config.h"
#include "model/caduceus.h"
#include "model/strand.h"
#include "output/embeddings_writer.h"
#include "tokenize/dna_tokenizer.h"

namespace genomamba::apps {

namespace fs = std::filesystem;

namespace {

// An integer option's lower bound, with a message that names the bound (CLI11's own prints DBL_MAX).
CLI::Validator at_least(long long minimum) {
  return CLI::Validator(
      [minimum](std::string& value) -> std::string {
        try {
          size_t used = 0;
          if (std::stoll(value, &used) >= minimum && used == value.size()) return {};
        } catch (const std::exception&) {
        }
        return "value " + value + " must be an integer >= " + std::to_string(minimum);
      },
      "INT>=" + std::to_string(minimum));
}

}  // namespace

void setup_embed(CLI::App& app, const RunContext& context) {
  auto o = std::make_shared<EmbedOptions>();
  o->context = &context;
  CLI::App* sub = app.add_subcommand(
      "embed",
      "Embed every record of a FASTA/FASTQ file with a Caduceus model and write HDF5.\n"
      "Each record is one window: /windows/start is 0 and /windows/end the record length, and the root\n"
      "attributes window = stride = 0 mean \"whole record\". /windows/embedding holds the mean over the\n"
      "window's positions. The file is written as OUT.partial and renamed to OUT when complete.");
  sub->add_option("-m,--model", o->model_dir,
                  "Model folder: a Hugging Face Caduceus checkpoint (config.json + model.safetensors)")
      ->required();
  sub->add_option("-i,--input", o->input, "FASTA or FASTQ file (plain, gzip or bgzip); '-' reads stdin")
      ->required();
  sub->add_option("-o,--output", o->output, "Output HDF5 file (layout: docs/formats.md)")->required();
  sub->add_flag("--per-position", o->per_position, "Also write each base's embedding to /positions/embedding");
  sub->add_flag("--logits", o->logits, "Also write raw A,C,G,T logits per base to /positions/logits");
  sub->add_option("--layer", o->layer,
                  "Write hidden_states[K] (Hugging Face indexing: 0 = embedding output, n_layer = final) "
                  "instead of the final hidden state")
      ->check(at_least(0));
  sub->add_option("--strand", o->strand,
                  "fwd: the model's outputs as they are (PS: 2*d_model wide); both: average with the "
                  "reverse-complement strand (d_model wide)")
      ->check(CLI::IsMember({"fwd", "both"}))
      ->capture_default_str();
  sub->add_option("--dtype", o->dtype, "Type of /positions/embedding: f32 or f16")
      ->check(CLI::IsMember({"f32", "f16"}))
      ->capture_default_str();
  sub->add_option("--tile", o->tile, "Tokens per tile of the scan (bounds scratch memory; results do not depend on it)")
      ->check(at_least(1))
      ->capture_default_str();
  sub->add_option("-@,--threads", o->threads, "CPU threads (0 = all cores)")
      ->check(at_least(0))
      ->capture_default_str();
  sub->add_flag("-q,--quiet", o->quiet, "Log warnings and errors only (no progress, no exit summary)");
  sub->footer(
      "Example:\n"
      "  genomamba embed -m data/models/caduceus-ph-untrained-d64-l4 -i data/example.fa -o example.h5 \\\n"
      "      --per-position --logits --strand both -@ 4");
  sub->callback([o] { run_embed(*o); });
}

namespace {

// Checks that need no file: the output must not overwrite the input or be a folder.
void validate_options(const EmbedOptions& o) {
  if (o.input != "-") {
    std::error_code ec;
    const fs::path in = fs::absolute(o.input).lexically_normal();
    const fs::path out = fs::absolute(o.output).lexically_normal();
    if (in == out || fs::equivalent(in, out, ec)) {
      throw ConfigError(o.output + ": output path (-o) is the same as the input (-i)");
    }
  }
  std::error_code ec;
  if (fs::is_directory(o.output, ec)) throw ConfigError(o.output + ": output path (-o) is a directory");
}

// --layer needs n_layer from the model's config.
void validate_layer(const EmbedOptions& o, const io::ModelConfig& config) {
  if (o.layer > config.n_layer) {
    throw ConfigError("--layer " + std::to_string(o.layer) + " is out of range 0.." +
                      std::to_string(config.n_layer) + " for " + o.model_dir + " (n_layer = " +
                      std::to_string(config.n_layer) + ")");
  }
}

output::RootAttributes root_attributes(const EmbedOptions& o, const model::Caduceus& model) {
  output::RootAttributes a;
  a.format = "genomamba-embeddings";
  a.format_version = 1;
  a.genomamba_version = version_string();
  a.command_line = o.context ? o.context->command_line : std::string();
  a.model_path = fs::absolute(o.model_dir).lexically_normal().string();
  a.model_sha256 = model.weights().sha256;
  a.model_config = model.config().json_text;
  a.model_kind = model.config().kind();
  a.strand = o.strand;
  a.window = 0;  // whole record
  a.stride = 0;
  a.dtype = o.dtype;
  a.created = output::iso8601_utc_now();
  a.input_paths = {o.input == "-" ? o.input : fs::absolute(o.input).lexically_normal().string()};
  return a;
}

// Mean over rows, accumulated in double: [L, W] -> [W].
std::vector<float> mean_rows(const core::Matrix& m) {
  std::vector<double> sum(static_cast<size_t>(m.cols()), 0.0);
  for (int64_t r = 0; r < m.rows(); ++r) {
    const float* row = m.row(r);
    for (int64_t c = 0; c < m.cols(); ++c) sum[static_cast<size_t>(c)] += row[c];
  }
  std::vector<float> mean(sum.size());
  for (size_t c = 0; c < sum.size(); ++c) mean[c] = static_cast<float>(sum[c] / static_cast<double>(m.rows()));
  return mean;
}

// One record -> one window of the output.
void embed_record(const io::SequenceRecord& record, const model::Caduceus& model,
                  const model::StrandRequest& request, int64_t width, output::EmbeddingsWriter& writer,
                  const EmbedOptions& o) {
  const std::vector<int32_t> ids = tokenize::encode(record.sequence);
  const model::StrandResult result = model::run_with_strand(model, ids, request);
  const auto length = static_cast<int64_t>(ids.size());
  GM_CHECK(result.hidden.rows() == length && result.hidden.cols() == width,
           "run_with_strand hidden must have shape [L, width]");
  const std::vector<float> pooled = mean_rows(result.hidden);
  writer.append_window(record.name, 0, length, pooled.data(), o.per_position ? &result.hidden : nullptr,
                       o.logits ? &result.logits : nullptr);
  log::debug("embedded record '" + record.name + "' (" + std::to_string(length) + " bases)");
}

}  // namespace

void run_embed(const EmbedOptions& o) {
  if (o.quiet) log::set_level(log::Level::WARNING);
  validate_options(o);
  core::set_num_threads(o.threads);

  // Cheap checks first: the model folder, its config, --layer and the input, before the weights load.
  const fs::path model_dir = o.model_dir;
  require_model_folder(model_dir);
  const io::ModelConfig config = io::read_model_config(model_dir / "config.json");
  validate_layer(o, config);
  io::FastaReader reader(o.input);
  io::SequenceRecord record;
  if (!reader.next(record)) throw InputError(o.input + ": no FASTA/FASTQ records");
  const model::Caduceus model = model::Caduceus::load(model_dir);

  model::StrandRequest request;
  request.strand = o.strand == "fwd" ? model::Strand::FWD : model::Strand::BOTH;
  request.tile = o.tile;
  if (o.layer >= 0) request.layer = o.layer;
  request.want_logits = o.logits;
  const int64_t width = request.strand == model::Strand::FWD ? model.hidden_width() : model.config().d_model;
  output::EmbeddingsWriter writer(o.output, output::EmbeddingsLayout{width, o.per_position, o.logits, o.dtype == "f16"},
                                  root_attributes(o, model));
  log::info("embedding " + o.input + " with " + model.config().kind() + " (d_model " +
            std::to_string(model.config().d_model) + ", n_layer " + std::to_string(model.config().n_layer) +
            "), strand " + o.strand + ", width " + std::to_string(width));

  int64_t n_bases = 0;
  do {
    if (record.sequence.empty()) {
      throw InputError(o.input + ": record " + std::to_string(record.index + 1) + " ('" + record.name +
                       "') has no sequence");
    }
    embed_record(record, model, request, width, writer, o);
    n_bases += static_cast<int64_t>(record.sequence.size());
  } while (reader.next(record));
  writer.finish();
  log::info("wrote " + std::to_string(writer.n_windows()) + " windows (" + std::to_string(n_bases) +
            " bases) to " + o.output);
  log_run_summary(*o.context);
}

}  // namespace genomamba::apps
