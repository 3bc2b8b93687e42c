import { vtnCase } from './scenarios/common.js';
import { reportNegative } from './scenarios/reports.js';

export default vtnCase({
  id: 'R0_8190_TH_VEN', delivery: 'push',
  title: 'VEN Reporting - Negative Test Scenarios',
  requirement: 'A report naming a reportRequestID the VTN never issued, and cancelling a report the VTN does not send, are refused with 452.',
  run: reportNegative,
});
