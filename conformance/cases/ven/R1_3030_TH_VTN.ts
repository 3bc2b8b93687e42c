import { venCase } from './scenarios/common.js';
import { multipleRequests } from './scenarios/reports.js';

export default venCase({
  id: 'R1_3030_TH_VTN', delivery: 'pull',
  title: 'VEN Reporting - Multiple Report Request Payloads',
  requirement: 'Two one-shot requests (status and usage) in one oadrCreateReport are both pending and each gets a report.',
  run: multipleRequests,
});
