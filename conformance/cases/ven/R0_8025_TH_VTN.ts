import { venCase } from './scenarios/common.js';
import { delayedPeriodic } from './scenarios/reports.js';

export default venCase({
  id: 'R0_8025_TH_VTN', delivery: 'push',
  title: 'VEN Reporting - Delayed Periodic Report, loadControlState',
  requirement: 'A periodic request whose reporting window starts later gets no report before the window starts, then reports.',
  run: delayedPeriodic,
});
