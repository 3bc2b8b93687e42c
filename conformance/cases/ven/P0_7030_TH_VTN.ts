import { venCase } from './scenarios/common.js';
import { multipleTargeted } from './scenarios/opts.js';

export default venCase({
  id: 'P0_7030_TH_VTN', delivery: 'push', control: true,
  title: 'VEN Opt - Multiple Opt Schedules, Targeting',
  requirement: 'Told to, the VEN sends two schedules carrying marketContext, eiTarget and deviceClass, under two optIDs.',
  run: multipleTargeted,
});
