import { vtnCase } from './scenarios/common.js';
import { cancelSchedule } from './scenarios/opts.js';

export default vtnCase({
  id: 'P0_7020_TH_VEN', delivery: 'push',
  title: 'VEN Opt - Cancel Opt Schedule',
  requirement: 'An opt schedule and then its oadrCancelOpt are each answered 200 with the optID.',
  run: cancelSchedule,
});
