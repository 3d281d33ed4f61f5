#pragma once
/// What a resumable, shardable job (output/job.h) writes, as an interface: embed, score and ism each
/// implement it for their own rows (windows, VCF records, positions), and share the job's batch files,
/// --resume, --shard bookkeeping and merge.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "output/h5_file_reader.h"
#include "output/root_attributes.h"

namespace genomamba::output {

/// Finished rows of one format, in the job's row order. Each format has its own derived type.
class RowBatch {
 public:
  virtual ~RowBatch() = default;
  /// Rows (windows, records, positions) in this batch.
  virtual int64_t size() const = 0;
};

/// Writes rows of one format to a file. A writer writes "<path>.partial" (or holds its output open) and
/// only finish() makes <path> appear complete; destroyed before finish(), it leaves no <path> behind.
class RowWriter {
 public:
  virtual ~RowWriter() = default;
  /// Appends rows [first, first + count) of `batch` (whose dynamic type is the format's batch type).
  virtual void append(const RowBatch& batch, int64_t first, int64_t count) = 0;
  /// Marks the file complete and renames it into place.
  virtual void finish() = 0;
};

/// Reads back an HDF5 file of one format (a batch file, a shard, a finished output).
class RowReader : public H5FileReader {
 public:
  using H5FileReader::H5FileReader;
  virtual int64_t n_rows() const = 0;
  /// The format's layout_key() of the file (datasets and widths), to compare with a job's.
  virtual std::string layout_key() const = 0;
  /// Rows [first, first + count).
  virtual std::unique_ptr<RowBatch> read(int64_t first, int64_t count) const = 0;
  /// A cost per row that bounds how many rows merge reads at once (window lengths for embeddings, 1 per
  /// row for formats whose rows are small).
  virtual std::vector<int64_t> row_weights() const { return std::vector<int64_t>(static_cast<size_t>(n_rows()), 1); }
};

/// One output format of a job.
class JobFormat {
 public:
  virtual ~JobFormat() = default;
  /// The `format` root attribute: "genomamba-embeddings", "genomamba-variant-scores", "genomamba-ism".
  virtual std::string format() const = 0;
  /// A canonical one-line description of the datasets and widths; two files with equal keys can be
  /// concatenated.
  virtual std::string layout_key() const = 0;
  /// Creates an HDF5 file of this format (a batch file of the job, or a shard/final .h5 output).
  virtual std::unique_ptr<RowWriter> create_h5(const std::filesystem::path& path, const RootAttributes& attrs) const = 0;
  /// Opens an HDF5 file of this format. @throws InputError naming the file when it is not one.
  virtual std::unique_ptr<RowReader> open_h5(const std::filesystem::path& path) const = 0;
  /// Creates the job's final output at `path`. The default is create_h5(); a format with other output
  /// types (VCF, TSV) picks one here.
  virtual std::unique_ptr<RowWriter> create_output(const std::filesystem::path& path,
                                                   const RootAttributes& attrs) const {
    return create_h5(path, attrs);
  }
  /// Whether the final output at `path` is an HDF5 file of this format that open_h5() can read back (for
  /// --resume to recognise a finished job); false for text outputs such as VCF and TSV.
  virtual bool output_is_h5(const std::filesystem::path& path) const {
    (void)path;
    return true;
  }
};

}  // namespace genomamba::output
