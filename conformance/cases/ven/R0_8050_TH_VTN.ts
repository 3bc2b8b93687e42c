import { venCase } from './scenarios/common.js';
import { piggyBackCancel } from './scenarios/reports.js';

export default venCase({
  id: 'R0_8050_TH_VTN', delivery: 'push',
  title: 'VEN Reporting - piggy back Cancellation',
  requirement: 'A cancellation in the VTN\'s oadrUpdatedReport ends the report: the VEN confirms with oadrCanceledReport and sends no more.',
  run: piggyBackCancel,
});
