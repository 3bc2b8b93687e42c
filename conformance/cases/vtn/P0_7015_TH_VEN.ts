import { vtnCase } from './scenarios/common.js';
import { openEndedSchedule } from './scenarios/opts.js';

export default vtnCase({
  id: 'P0_7015_TH_VEN', delivery: 'push',
  title: 'VEN Opt - Open Ended Opt Schedule',
  requirement: 'An open-ended opt schedule (one window of duration 0) is accepted.',
  run: openEndedSchedule,
});
