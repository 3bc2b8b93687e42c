import { venCase } from './scenarios/common.js';
import { openEnded } from './scenarios/opts.js';

export default venCase({
  id: 'P0_7015_TH_VTN', delivery: 'push', control: true,
  title: 'VEN Opt - Open Ended Opt Schedule',
  requirement: 'Told to, the VEN sends an open-ended opt schedule (one window of duration 0).',
  run: openEnded,
});
