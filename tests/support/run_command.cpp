#include "support/run_command.h"

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <thread>
#include <vector>

#include "support/data_path.h"
#include "support/temp_dir.h"

extern char** environ;

namespace genomamba::test {

namespace {

// Splits on spaces (the test's own arguments have none inside them).
std::vector<std::string> words(const std::string& text) {
  std::vector<std::string> out;
  size_t begin = 0;
  while (begin < text.size()) {
    const size_t end = text.find(' ', begin);
    const std::string word = text.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
    if (!word.empty()) out.push_back(word);
    if (end == std::string::npos) break;
    begin = end + 1;
  }
  return out;
}

}  // namespace

bool run_and_kill(const std::string& args, const std::function<bool()>& ready, const std::filesystem::path& log) {
  std::vector<std::string> argv_text = words(args);
  argv_text.insert(argv_text.begin(), genomamba_binary().string());
  std::vector<char*> argv;
  for (auto& word : argv_text) argv.push_back(word.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = -1;
  const int spawned = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  REQUIRE(spawned == 0);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    if (ready()) {
      kill(pid, SIGKILL);
      REQUIRE(waitpid(pid, &status, 0) == pid);
      return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
    }
    if (waitpid(pid, &status, WNOHANG) == pid) {
      INFO(read_file(log));
      CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 0));
      return false;
    }
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  kill(pid, SIGKILL);
  waitpid(pid, &status, 0);
  FAIL("the run neither reached the kill point nor exited within 120 s");
  return false;
}


CommandResult run_command(const std::string& command) {
  TempDir dir;
  const auto out_path = dir / "stdout";
  const auto err_path = dir / "stderr";
  const std::string full = "(" + command + ") >'" + out_path.string() + "' 2>'" + err_path.string() + "'";
  const int status = std::system(full.c_str());
  if (status == -1) throw std::runtime_error("cannot run: " + command);
  CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = read_file(out_path);
  result.err = read_file(err_path);
  return result;
}

CommandResult run_genomamba(const std::string& args) {
  // Appended piecewise: GCC 12 warns (-Wrestrict, a false positive) on "'" + std::string&&.
  std::string command = "'";
  command += genomamba_binary().string();
  command += "' ";
  command += args;
  return run_command(command);
}

}  // namespace genomamba::test
