import { venCase } from './scenarios/common.js';
import { history } from './scenarios/reports.js';

export default venCase({
  id: 'R1_3140_TH_VTN', delivery: 'pull',
  title: 'VEN Reporting - Historical Usage Report Subset (Optional)',
  requirement: 'A HISTORY_USAGE request for a subset gets it (when the VEN offers HISTORY_USAGE).',
  run: history,
});
