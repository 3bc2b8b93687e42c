import { venCase } from './scenarios/common.js';
import { vtnReporting } from './scenarios/reports.js';

export default venCase({
  id: 'R0_8080_TH_VTN', delivery: 'push',
  title: 'VTN Reporting - Periodic Report',
  requirement: 'The VEN asks for a periodic report the VTN offered (optional).',
  run: vtnReporting,
});
