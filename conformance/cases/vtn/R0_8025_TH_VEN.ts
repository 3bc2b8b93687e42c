import { vtnCase } from './scenarios/common.js';
import { delayedPeriodic } from './scenarios/reports.js';

export default vtnCase({
  id: 'R0_8025_TH_VEN', delivery: 'push', needs: ['requestReports'],
  title: 'VEN Reporting - Delayed Periodic Report, loadControlState',
  requirement: 'A periodic request starting in 2 min (on change) reaches the VEN; a status report with loadControlState is accepted.',
  run: delayedPeriodic,
});
