import { venCase } from './scenarios/common.js';
import { vtnReporting } from './scenarios/reports.js';

export default venCase({
  id: 'R0_8090_TH_VTN', delivery: 'push',
  title: 'VTN Reporting - Multiple Report Request Payloads',
  requirement: 'The VEN asks for two of the VTN\'s reports in one payload (optional).',
  run: vtnReporting,
});
