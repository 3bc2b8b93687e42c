import { venCase } from './scenarios/common.js';
import { optNegative } from './scenarios/opts.js';

export default venCase({
  id: 'P1_2050_TH_VTN', delivery: 'pull', control: true,
  title: 'VEN Opt - Negative Test Scenario',
  requirement: 'An opt the VTN refuses (452) is reported as refused, not taken as made.',
  run: optNegative,
});
