import { vtnCase } from './scenarios/common.js';
import { vtnPeriodic } from './scenarios/reports.js';

export default vtnCase({
  id: 'R1_3080_TH_VEN', delivery: 'pull',
  title: 'VTN Reporting - Periodic Report',
  requirement: 'The VEN asks for a periodic report the VTN offered; it is created and reports arrive.',
  run: vtnPeriodic,
});
