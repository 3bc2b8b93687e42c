import { venCase } from './scenarios/common.js';
import { cancelSchedule } from './scenarios/opts.js';

export default venCase({
  id: 'P0_7020_TH_VTN', delivery: 'push', control: true,
  title: 'VEN Opt - Cancel Opt Schedule',
  requirement: 'Told to, the VEN sends a schedule and then oadrCancelOpt naming its optID.',
  run: cancelSchedule,
});
