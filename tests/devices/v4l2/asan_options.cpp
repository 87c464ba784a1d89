// ASan's options for v4l2_test, compiled in (ctest can pass only one environment variable through
// gtest_discover_tests, and that is LD_PRELOAD): the fake camera is preloaded ahead of the ASan
// runtime, which ASan must accept. Unused in builds without ASan.
extern "C" __attribute__((visibility("default"), used)) const char* __asan_default_options() {
  return "verify_asan_link_order=0:detect_leaks=1";
}
