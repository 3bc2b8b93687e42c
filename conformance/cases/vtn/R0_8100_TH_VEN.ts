import { vtnCase } from './scenarios/common.js';
import { vtnCancel } from './scenarios/reports.js';

export default vtnCase({
  id: 'R0_8100_TH_VEN', delivery: 'push',
  title: 'VTN Reporting - Cancel Report',
  requirement: 'The VEN cancels a periodic report of the VTN\'s; oadrCanceledReport 200.',
  run: vtnCancel,
});
