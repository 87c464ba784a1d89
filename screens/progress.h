#pragma once
// The progress query's screens (办事进度查询, docs/journey.md "Journey 2 — progress"), for each
// other only: make_progress_screen() (screens.h) is the way in. The choice ("progress") opens one
// of three ways — type the number, scan the receipt's QR code, read the ID card — and each opens
// the case page on top of itself, so "back" returns to that way and "查询其他" to the choice.

#include <functional>
#include <memory>
#include <string>

#include "kiosk/app/screen.h"
#include "kiosk/core/cancel.h"
#include "kiosk/platform/progress.h"
#include "screens/journey.h"

namespace screens {

std::unique_ptr<kiosk::Screen> make_progress_number_screen();
std::unique_ptr<kiosk::Screen> make_progress_scan_screen();
std::unique_ptr<kiosk::Screen> make_progress_card_screen();
// The case: status, steps, what waits on the citizen, how the result comes; reprint, rate, other.
std::unique_ptr<kiosk::Screen> make_progress_case_screen(kiosk::platform::CaseInfo info);

// How long a citizen waits for a progress answer before being told the platform is unreachable.
inline constexpr kiosk::Milliseconds kProgressTimeout = 10000;

// One progress request at a time on the platform channel's worker. The answer is read there and
// handed to `done` on the UI thread — unless the owner (a screen member) is gone or started another
// request meanwhile. Until then the app counts as working (PendingWork). Destroying it cancels.
class ProgressRequest {
 public:
  ProgressRequest() = default;
  ~ProgressRequest() { cancel(); }
  ProgressRequest(const ProgressRequest&) = delete;
  ProgressRequest& operator=(const ProgressRequest&) = delete;

  // `list`: the answer is a case list (POST /cases/query), else one case. Without a platform,
  // `done` runs at once with an unreachable answer ("no_platform").
  void start(kiosk::AppContext& app, kiosk::platform::HttpRequest request, bool list,
             std::function<void(kiosk::platform::ProgressAnswer)> done);
  void cancel();

 private:
  kiosk::CancelToken cancel_;
  std::shared_ptr<int> alive_;
};

// The outcome page of an answer that found nothing usable: unreachable (try again), refused or a
// bad answer (staff, with the code). `retry` repeats the request; `other_way` goes back to the
// choice. For not_found each way makes its own page.
Outcome progress_failure(kiosk::AppContext& app, const kiosk::platform::ProgressAnswer& answer,
                         std::function<void()> retry);
// A button back to the choice of ways ("换一种方式查询").
kiosk::ui::DialogButton other_way_button(kiosk::AppContext& app);

// The case's status in plain words ("正在审查"); an unknown status is "办理中".
std::string status_text(kiosk::AppContext& app, const std::string& status);

}  // namespace screens
