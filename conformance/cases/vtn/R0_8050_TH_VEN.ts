import { vtnCase } from './scenarios/common.js';
import { piggyBackCancel } from './scenarios/reports.js';

export default vtnCase({
  id: 'R0_8050_TH_VEN', delivery: 'push', needs: ['requestReports', 'cancelReports'],
  title: 'VEN Reporting - piggy back Cancellation',
  requirement: 'A report cancellation piggy-backed on oadrUpdatedReport names the request (a VTN that cancels with a separate oadrCancelReport does not offer this optional form).',
  run: piggyBackCancel,
});
