#pragma once
// Test fixtures for HTSlib inputs, made at test time with the Debian command-line tools (samtools; bgzip from
// the tabix package; gzip). A missing tool fails the test loudly instead of skipping it.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <csignal>
#include <exception>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "io/sequence_source.h"
#include "support/run_command.h"

namespace genomamba::test {

/// Fails the test if `tool` is not on PATH.
inline void require_tool(const std::string& tool) {
  const auto found = run_command("command -v " + tool);
  if (found.exit_code != 0) {
    FAIL("required tool '" << tool << "' is not installed (Debian packages: samtools, tabix for bgzip, gzip)");
  }
}

/// Runs a shell command that must succeed; `tool` is its program, checked first.
inline void run_tool(const std::string& tool, const std::string& args) {
  require_tool(tool);
  const std::string command = tool + " " + args;
  const auto result = run_command(command);
  INFO(command << "\n" << result.err);
  REQUIRE(result.exit_code == 0);
}

/// Single-quotes a path for the shell.
inline std::string sh(const std::filesystem::path& path) {
  // Appended rather than "'" + ...: GCC 12 warns falsely (-Wrestrict, GCC bug 105329) on that form.
  std::string quoted(1, '\'');
  quoted.append(path.string()).push_back('\'');
  return quoted;
}

/// Every record of an input, read through open_sequence_source.
inline std::vector<io::SequenceRecord> read_all(const io::InputSpec& spec) {
  auto source = io::open_sequence_source(spec);
  std::vector<io::SequenceRecord> records;
  io::SequenceRecord record;
  while (source->next(record)) records.push_back(record);
  return records;
}

/// Deterministic pseudo-random bases (upper case), for reference sequences.
inline std::string random_bases(size_t n, uint32_t seed) {
  std::string bases(n, 'A');
  for (char& base : bases) {
    seed = seed * 1664525u + 1013904223u;
    base = "ACGT"[(seed >> 16) & 3u];
  }
  return bases;
}

/// FASTA text with the sequence wrapped at `width` columns.
inline std::string fasta_record(const std::string& name, const std::string& sequence, size_t width = 60) {
  std::string text = ">" + name + "\n";
  for (size_t i = 0; i < sequence.size(); i += width) text += sequence.substr(i, width) + "\n";
  return text;
}

/// Reverse complement of an upper-case ACGTN sequence.
inline std::string reverse_complement(const std::string& sequence) {
  std::string out(sequence.rbegin(), sequence.rend());
  for (char& base : out) {
    switch (base) {
      case 'A': base = 'T'; break;
      case 'C': base = 'G'; break;
      case 'G': base = 'C'; break;
      case 'T': base = 'A'; break;
      default: break;
    }
  }
  return out;
}

/// Runs `body` with standard input reading from a pipe that a thread fills with `data` (not seekable, as in
/// `samtools view -b ... | genomamba embed -i -`). Standard input is restored afterwards.
inline void with_stdin_pipe(const std::string& data, const std::function<void()>& body) {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  std::signal(SIGPIPE, SIG_IGN);  // a reader that stops early must not kill the test binary
  const int saved = ::dup(STDIN_FILENO);
  REQUIRE(saved >= 0);
  ::dup2(fds[0], STDIN_FILENO);
  ::close(fds[0]);
  std::thread writer([fd = fds[1], &data] {
    size_t done = 0;
    while (done < data.size()) {
      const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
      if (n <= 0) break;
      done += static_cast<size_t>(n);
    }
    ::close(fd);
  });
  std::exception_ptr error;
  try {
    body();
  } catch (...) {
    error = std::current_exception();
  }
  ::dup2(saved, STDIN_FILENO);  // closes the pipe's read end, so a blocked writer gets EPIPE
  ::close(saved);
  writer.join();
  if (error) std::rethrow_exception(error);
}

/// Every record read from standard input (a pipe; see with_stdin_pipe) holding `data`.
inline std::vector<io::SequenceRecord> read_all_from_pipe(const std::string& data, io::InputSpec spec) {
  spec.path = "-";
  std::vector<io::SequenceRecord> records;
  with_stdin_pipe(data, [&] { records = read_all(spec); });
  return records;
}

}  // namespace genomamba::test
