import { venCase } from './scenarios/common.js';
import { vtnReporting } from './scenarios/reports.js';

export default venCase({
  id: 'R0_8100_TH_VTN', delivery: 'push',
  title: 'VTN Reporting - Cancel Report',
  requirement: 'The VEN cancels a report of the VTN\'s (optional).',
  run: vtnReporting,
});
