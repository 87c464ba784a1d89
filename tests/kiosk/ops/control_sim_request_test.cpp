// The control socket's `sim` request (kiosk/ops/control_protocol.h): strict like every request.
#include <gtest/gtest.h>

#include "kiosk/ops/control_protocol.h"

namespace kiosk::ops {
namespace {

TEST(ControlSimRequest, RoundTripsActionAndArguments) {
  ControlRequest request;
  request.command = ControlCommand::sim;
  request.sim_action = "printer";
  request.sim_arguments = {"receipt", "paper-out"};
  const std::string line = control_request_line(request);
  auto parsed = parse_control_request(line.substr(0, line.size() - 1));
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->command, ControlCommand::sim);
  EXPECT_EQ(parsed->sim_action, "printer");
  EXPECT_EQ(parsed->sim_arguments, (std::vector<std::string>{"receipt", "paper-out"}));
  EXPECT_TRUE(command_is_audited(ControlCommand::sim));
  EXPECT_EQ(audit_event_name(ControlCommand::sim), "kioskctl_sim");
  auto list = parse_control_request(R"({"command":"sim","action":"list"})");
  ASSERT_TRUE(list.ok()) << list.error().message;
  EXPECT_TRUE(list->sim_arguments.empty());
}

TEST(ControlSimRequest, RefusesWhatSimActionsDoNotTake) {
  for (const char* line : {R"({"command":"sim"})", R"({"command":"sim","action":"toast"})", R"({"command":"sim","action":7})",
                           R"({"command":"sim","action":"card","arguments":"lisi"})",
                           R"({"command":"sim","action":"card","arguments":[1]})",
                           R"({"command":"sim","action":"card","arguments":[""]})",
                           R"({"command":"sim","action":"card","arguments":["a","b","c","d"]})",
                           R"({"command":"sim","action":"card","sample":"lisi"})"}) {
    auto parsed = parse_control_request(line);
    ASSERT_FALSE(parsed.ok()) << line;
    EXPECT_EQ(parsed.error().kind, ErrorKind::invalid_argument) << line;
  }
}

}  // namespace
}  // namespace kiosk::ops
