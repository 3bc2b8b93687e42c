import { vtnCase } from './scenarios/common.js';
import { historySubset } from './scenarios/reports.js';

export default vtnCase({
  id: 'R0_8140_TH_VEN', delivery: 'push', needs: ['requestReports'],
  title: 'VEN Reporting - Historical Usage Report Subset (Optional)',
  requirement: 'A HISTORY_USAGE request for one rID over the last 30 min reaches the VEN; the report is accepted.',
  run: historySubset,
});
