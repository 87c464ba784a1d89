#pragma once
// The simulator's sample records for the sample identities in assets/identities/: electronic
// licences and cases at different stages of progress. Fictional people and numbers.

#include <string>
#include <vector>

#include "tools/platform-sim/licence_document.h"

namespace platform_sim {

struct SampleLicence {
  std::string id;
  std::string id_number;  // the holder's
  std::string name;       // what the licence list shows ("李思茶饮店营业执照")
  int print_limit = 0;
  LicenceContent content;
};

struct SampleStep {
  std::string name, state, at, note;
};

struct SampleCase {
  std::string case_number, local_receipt, item_code, status;
  std::string id_number, applicant_name;
  std::string submitted_at, promised_date;
  std::string delivery_method, tracking;
  std::vector<SampleStep> steps;
  std::vector<std::string> waiting_on_citizen;
};

const std::vector<SampleLicence>& sample_licences();
const std::vector<SampleCase>& sample_cases();

}  // namespace platform_sim
