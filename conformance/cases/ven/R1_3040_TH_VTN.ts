import { venCase } from './scenarios/common.js';
import { cancelReport } from './scenarios/reports.js';

export default venCase({
  id: 'R1_3040_TH_VTN', delivery: 'pull',
  title: 'VEN Reporting - Cancel Report',
  requirement: 'The VTN cancels a periodic report: oadrCanceledReport 200, and no further reports.',
  run: cancelReport,
});
