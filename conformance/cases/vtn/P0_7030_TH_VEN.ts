import { vtnCase } from './scenarios/common.js';
import { multipleTargeted } from './scenarios/opts.js';

export default vtnCase({
  id: 'P0_7030_TH_VEN', delivery: 'push',
  title: 'VEN Opt - Multiple Opt Schedules, Targeting',
  requirement: 'Several opt schedules with marketContext, eiTarget and deviceClass targeting are each accepted under their own optID.',
  run: multipleTargeted,
});
