import { vtnCase } from './scenarios/common.js';
import { optNegative } from './scenarios/opts.js';

export default vtnCase({
  id: 'P1_2050_TH_VEN', delivery: 'pull',
  title: 'VEN Opt - Negative Test Scenario',
  requirement: 'Cancelling an unknown or already cancelled opt, and an opt naming an unknown event, are refused with 452.',
  run: optNegative,
});
