import { venCase } from './scenarios/common.js';
import { cancelSchedule } from './scenarios/opts.js';

export default venCase({
  id: 'P1_2020_TH_VTN', delivery: 'pull', control: true,
  title: 'VEN Opt - Cancel Opt Schedule',
  requirement: 'Told to, the VEN sends a schedule and then oadrCancelOpt naming its optID.',
  run: cancelSchedule,
});
