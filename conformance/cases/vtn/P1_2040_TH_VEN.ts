import { vtnCase } from './scenarios/common.js';
import { multipleWithCancel } from './scenarios/opts.js';

export default vtnCase({
  id: 'P1_2040_TH_VEN', delivery: 'pull',
  title: 'VEN Opt - Multiple Opt Scheduled with Cancel',
  requirement: 'Of two schedules one is cancelled and the other replaced under the same optID; every step is answered 200.',
  run: multipleWithCancel,
});
