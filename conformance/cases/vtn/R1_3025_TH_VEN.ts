import { vtnCase } from './scenarios/common.js';
import { delayedPeriodic } from './scenarios/reports.js';

export default vtnCase({
  id: 'R1_3025_TH_VEN', delivery: 'pull', needs: ['requestReports'],
  title: 'VEN Reporting - Delayed Periodic Report, loadControlState',
  requirement: 'A periodic request starting in 2 min (on change) reaches the VEN; a status report with loadControlState is accepted.',
  run: delayedPeriodic,
});
