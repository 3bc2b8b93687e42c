import { vtnCase } from './scenarios/common.js';
import { cancelWithReportToFollow } from './scenarios/reports.js';

export default vtnCase({
  id: 'R0_8045_TH_VEN', delivery: 'push', needs: ['requestReports', 'cancelReports'],
  title: 'VEN Reporting - Cancel Open Ended Report, reportToFollow',
  requirement: 'The VTN cancels an open-ended report with reportToFollow true; the VEN\'s last report is accepted.',
  run: cancelWithReportToFollow,
});
