import { vtnCase } from './scenarios/common.js';
import { cancelWithReportToFollow } from './scenarios/reports.js';

export default vtnCase({
  id: 'R1_3045_TH_VEN', delivery: 'pull', needs: ['requestReports', 'cancelReports'],
  title: 'VEN Reporting - Cancel Open Ended Report, reportToFollow',
  requirement: 'The VTN cancels an open-ended report with reportToFollow true; the VEN\'s last report is accepted.',
  run: cancelWithReportToFollow,
});
