import { venCase } from './scenarios/common.js';
import { vtnReporting } from './scenarios/reports.js';

export default venCase({
  id: 'R1_3080_TH_VTN', delivery: 'pull',
  title: 'VTN Reporting - Periodic Report',
  requirement: 'The VEN asks for a periodic report the VTN offered (optional).',
  run: vtnReporting,
});
