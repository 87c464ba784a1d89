#include "kiosk/driver/script.h"

#include <gtest/gtest.h>

namespace kiosk::driver {
namespace {

TEST(Script, ParsesCommandsQuotesAndComments) {
  auto commands = parse_script("# walk\ntap \"开始办事\"\n\ntap id=search  # the box\ntype \"a \\\"b\\\" c\"\ntap 10 20\n");
  ASSERT_TRUE(commands.ok()) << commands.error().message;
  ASSERT_EQ(commands->size(), 4u);
  EXPECT_EQ((*commands)[0].verb, "tap");
  EXPECT_EQ((*commands)[0].arguments, std::vector<std::string>{"开始办事"});
  EXPECT_EQ((*commands)[0].line, 2);
  EXPECT_EQ((*commands)[1].arguments, std::vector<std::string>{"id=search"});
  EXPECT_EQ((*commands)[2].arguments, std::vector<std::string>{"a \"b\" c"});
  EXPECT_EQ((*commands)[3].arguments.size(), 2u);
}

TEST(Script, ErrorsNameTheLine) {
  auto unknown = parse_script("tap \"x\"\nfly away\n");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().message, "line 2: unknown command \"fly\"");
  auto quote = parse_script("\n\nexpect \"open");
  ASSERT_FALSE(quote.ok());
  EXPECT_EQ(quote.error().message, "line 3: unterminated quote");
  auto count = parse_script("wait");
  ASSERT_FALSE(count.ok());
  EXPECT_NE(count.error().message.find("line 1: \"wait\" takes 1"), std::string::npos);
}

}  // namespace
}  // namespace kiosk::driver
