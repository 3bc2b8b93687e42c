import { venCase } from './scenarios/common.js';
import { shortDuration } from './scenarios/reports.js';

export default venCase({
  id: 'R0_8027_TH_VTN', delivery: 'push',
  title: 'VEN Reporting - Short Duration',
  requirement: 'A request with a zero-length (open-ended) reporting window gets reports.',
  run: shortDuration,
});
