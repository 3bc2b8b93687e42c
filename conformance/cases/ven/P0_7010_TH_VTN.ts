import { venCase } from './scenarios/common.js';
import { newSchedule } from './scenarios/opts.js';

export default venCase({
  id: 'P0_7010_TH_VTN', delivery: 'push', control: true,
  title: 'VEN Opt - New Opt Schedule',
  requirement: 'Told to, the VEN sends oadrCreateOpt with an optIn schedule of two availability windows under its venID.',
  run: newSchedule,
});
