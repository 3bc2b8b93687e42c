import { vtnCase } from './scenarios/common.js';
import { cancelSchedule } from './scenarios/opts.js';

export default vtnCase({
  id: 'P1_2020_TH_VEN', delivery: 'pull',
  title: 'VEN Opt - Cancel Opt Schedule',
  requirement: 'An opt schedule and then its oadrCancelOpt are each answered 200 with the optID.',
  run: cancelSchedule,
});
