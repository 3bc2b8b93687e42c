import { venCase } from './scenarios/common.js';
import { delayedPeriodic } from './scenarios/reports.js';

export default venCase({
  id: 'R1_3025_TH_VTN', delivery: 'pull',
  title: 'VEN Reporting - Delayed Periodic Report, loadControlState',
  requirement: 'A periodic request whose reporting window starts later gets no report before the window starts, then reports.',
  run: delayedPeriodic,
});
