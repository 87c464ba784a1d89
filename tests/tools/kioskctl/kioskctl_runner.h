#pragma once
// The real kioskctl binary (KIOSKCTL_BINARY) run as a technician runs it, against one control
// socket: exit code, standard output and standard error. Shared by the kioskctl and process tests.
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace kiosk::test_support {

inline std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

struct CliRun {
  int exit_code = -1;
  std::string out, err;
};

// `kioskctl --socket SOCKET ARGUMENTS…`; its output goes through files in `scratch`.
inline CliRun run_kioskctl(const std::filesystem::path& socket, const std::vector<std::string>& arguments,
                           const std::filesystem::path& scratch) {
  std::string command = std::string(KIOSKCTL_BINARY) + " --socket '" + socket.string() + "'";
  for (const auto& argument : arguments) command += " '" + argument + "'";
  command += " >'" + (scratch / "out").string() + "' 2>'" + (scratch / "err").string() + "'";
  const int status = std::system(command.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(scratch / "out"), slurp(scratch / "err")};
}

}  // namespace kiosk::test_support
