import { venCase } from './scenarios/common.js';
import { multipleWithCancel } from './scenarios/opts.js';

export default venCase({
  id: 'P0_7040_TH_VTN', delivery: 'push', control: true,
  title: 'VEN Opt - Multiple Opt Scheduled with Cancel',
  requirement: 'Told to, the VEN sends two schedules, cancels one and replaces the other under its optID.',
  run: multipleWithCancel,
});
