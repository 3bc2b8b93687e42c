import { vtnCase } from './scenarios/common.js';
import { historyUsage } from './scenarios/reports.js';

export default vtnCase({
  id: 'R1_3130_TH_VEN', delivery: 'pull', needs: ['requestReports'],
  title: 'VEN Reporting - Historical Usage Report (Optional)',
  requirement: 'A HISTORY_USAGE request for the last hour reaches the VEN; the history report is accepted.',
  run: historyUsage,
});
