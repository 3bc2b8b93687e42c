import { venCase } from './scenarios/common.js';
import { shortDuration } from './scenarios/reports.js';

export default venCase({
  id: 'R1_3027_TH_VTN', delivery: 'pull',
  title: 'VEN Reporting - Short Duration',
  requirement: 'A request with a zero-length (open-ended) reporting window gets reports.',
  run: shortDuration,
});
