import { vtnCase } from './scenarios/common.js';
import { cancelReport } from './scenarios/reports.js';

export default vtnCase({
  id: 'R1_3040_TH_VEN', delivery: 'pull', needs: ['requestReports', 'cancelReports'],
  title: 'VEN Reporting - Cancel Report',
  requirement: 'The VTN cancels a periodic report: oadrCancelReport names the reportRequestID with reportToFollow false.',
  run: cancelReport,
});
