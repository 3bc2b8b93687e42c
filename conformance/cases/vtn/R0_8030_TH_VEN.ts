import { vtnCase } from './scenarios/common.js';
import { multipleRequests } from './scenarios/reports.js';

export default vtnCase({
  id: 'R0_8030_TH_VEN', delivery: 'push', needs: ['requestReports'],
  title: 'VEN Reporting - Multiple Report Request Payloads',
  requirement: 'Two requests (TELEMETRY_STATUS and TELEMETRY_USAGE, one-shot) travel in one oadrCreateReport; a report for each is accepted.',
  run: multipleRequests,
});
