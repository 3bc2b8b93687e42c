import { vtnCase } from './scenarios/common.js';
import { openEndedSchedule } from './scenarios/opts.js';

export default vtnCase({
  id: 'P1_2015_TH_VEN', delivery: 'pull',
  title: 'VEN Opt - Open Ended Opt Schedule',
  requirement: 'An open-ended opt schedule (one window of duration 0) is accepted.',
  run: openEndedSchedule,
});
