import { vtnCase } from './scenarios/common.js';
import { newSchedule } from './scenarios/opts.js';

export default vtnCase({
  id: 'P0_7010_TH_VEN', delivery: 'push',
  title: 'VEN Opt - New Opt Schedule',
  requirement: 'oadrCreateOpt with an optIn schedule of two availability windows is answered with oadrCreatedOpt 200 echoing the optID.',
  run: newSchedule,
});
