import { venCase } from './scenarios/common.js';
import { history } from './scenarios/reports.js';

export default venCase({
  id: 'R1_3130_TH_VTN', delivery: 'pull',
  title: 'VEN Reporting - Historical Usage Report (Optional)',
  requirement: 'A HISTORY_USAGE request for the last hour gets the history (when the VEN offers HISTORY_USAGE).',
  run: history,
});
