import { vtnCase } from './scenarios/common.js';
import { vtnPeriodic } from './scenarios/reports.js';

export default vtnCase({
  id: 'R0_8080_TH_VEN', delivery: 'push',
  title: 'VTN Reporting - Periodic Report',
  requirement: 'The VEN asks for a periodic report the VTN offered; it is created and reports arrive.',
  run: vtnPeriodic,
});
