import { vtnCase } from './scenarios/common.js';
import { vtnMultiple } from './scenarios/reports.js';

export default vtnCase({
  id: 'R0_8090_TH_VEN', delivery: 'push',
  title: 'VTN Reporting - Multiple Report Request Payloads',
  requirement: 'The VEN asks for two of the VTN\'s reports in one payload; both are created and reported.',
  run: vtnMultiple,
});
