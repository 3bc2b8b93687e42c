import { vtnCase } from './scenarios/common.js';
import { multipleTargeted } from './scenarios/opts.js';

export default vtnCase({
  id: 'P1_2030_TH_VEN', delivery: 'pull',
  title: 'VEN Opt - Multiple Opt Schedules, Targeting',
  requirement: 'Several opt schedules with marketContext, eiTarget and deviceClass targeting are each accepted under their own optID.',
  run: multipleTargeted,
});
