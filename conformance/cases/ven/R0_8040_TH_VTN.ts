import { venCase } from './scenarios/common.js';
import { cancelReport } from './scenarios/reports.js';

export default venCase({
  id: 'R0_8040_TH_VTN', delivery: 'push',
  title: 'VEN Reporting - Cancel Report',
  requirement: 'The VTN cancels a periodic report: oadrCanceledReport 200, and no further reports.',
  run: cancelReport,
});
