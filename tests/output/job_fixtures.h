#pragma once
// Shared by the Job and merge tests (with the embeddings format): synthetic windows whose values depend only on their index in
// the job, and a job runner.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "output/embeddings_format.h"
#include "output/job.h"
#include "output/h5_compare.h"

namespace genomamba::test {

inline output::RootAttributes job_attributes() {
  output::RootAttributes a;
  a.format = "genomamba-embeddings";
  a.genomamba_version = "0.1.0 (git test)";
  a.command_line = "genomamba embed -m M -i in.fa -o out.h5";
  a.model_path = "/models/m";
  a.model_sha256 = std::string(64, 'a');
  a.model_config = "{\"d_model\": 3}";
  a.model_kind = "caduceus-ph";
  a.strand = "both";
  a.window = 8;
  a.stride = 6;
  a.dtype = "f32";
  a.created = "2026-01-02T03:04:05Z";
  a.input_paths = {"in.fa"};
  a.extra = {{"reference_path", "ref.fa"}};
  return a;
}

inline output::EmbeddingsLayout job_layout(bool f16 = false, bool pooled = true) {
  return output::EmbeddingsLayout{3, true, true, f16, pooled};
}

/// The embeddings format of `layout`, for a Job.
inline std::shared_ptr<const output::JobFormat> format_of(const output::EmbeddingsLayout& layout) {
  return std::make_shared<output::EmbeddingsFormat>(layout);
}

inline int64_t window_length(int64_t k) { return 2 + k % 5; }

/// The windows with these job indices, values a function of the index (and row, column).
inline output::WindowBatch job_windows(const std::vector<int64_t>& indices, const output::EmbeddingsLayout& layout) {
  output::WindowBatch b;
  int64_t rows = 0;
  for (int64_t k : indices) rows += window_length(k);
  if (layout.pooled) b.pooled = core::Matrix(static_cast<int64_t>(indices.size()), layout.width);
  b.per_position = core::Matrix(rows, layout.width);
  b.logits = core::Matrix(rows, 4);
  int64_t row = 0;
  for (size_t i = 0; i < indices.size(); ++i) {
    const int64_t k = indices[i];
    b.name.push_back("rec" + std::to_string(k / 4));
    b.record.push_back(k / 4);
    b.start.push_back((k % 4) * 6);
    b.end.push_back((k % 4) * 6 + window_length(k));
    for (int64_t c = 0; layout.pooled && c < layout.width; ++c) {
      b.pooled.at(static_cast<int64_t>(i), c) = 0.5f + k * 1.25f + c;
    }
    for (int64_t r = 0; r < window_length(k); ++r, ++row) {
      for (int64_t c = 0; c < layout.width; ++c) b.per_position.at(row, c) = 0.1f * k + 0.01f * r + 0.3f * c + 1e-3f;
      for (int64_t c = 0; c < 4; ++c) b.logits.at(row, c) = -1.0f * k + 0.5f * r - 0.25f * c;
    }
  }
  return b;
}

/// Indices of shard i of N of a job of `total` windows (interleaved: i, i + N, …).
inline std::vector<int64_t> shard_indices(int64_t total, int64_t shard_index, int64_t shard_count) {
  std::vector<int64_t> out;
  for (int64_t k = shard_index; k < total; k += shard_count) out.push_back(k);
  return out;
}

/// Commits `indices[from..]` in batches of `batch_size` to `job`.
inline void commit_windows(output::Job& job, const std::vector<int64_t>& indices, size_t from,
                           size_t batch_size, const output::EmbeddingsLayout& layout) {
  for (size_t i = from; i < indices.size(); i += batch_size) {
    const size_t end = std::min(indices.size(), i + batch_size);
    job.commit(job_windows(std::vector<int64_t>(indices.begin() + static_cast<long>(i), indices.begin() + static_cast<long>(end)), layout));
  }
}

/// A whole job run in one go.
inline void run_job(const std::filesystem::path& out, const output::JobIdentity& identity, int64_t total,
                    const output::EmbeddingsLayout& layout, size_t batch_size = 2,
                    const output::RootAttributes& attrs = job_attributes()) {
  output::Job job(out, std::make_shared<output::EmbeddingsFormat>(layout), attrs, identity, false);
  commit_windows(job, shard_indices(total, identity.shard_index, identity.shard_count), 0, batch_size, layout);
  job.finish(total);
}

}  // namespace genomamba::test
