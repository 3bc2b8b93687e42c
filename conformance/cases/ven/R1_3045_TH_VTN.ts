import { venCase } from './scenarios/common.js';
import { cancelWithReportToFollow } from './scenarios/reports.js';

export default venCase({
  id: 'R1_3045_TH_VTN', delivery: 'pull',
  title: 'VEN Reporting - Cancel Open Ended Report, reportToFollow',
  requirement: 'Cancelled with reportToFollow, the VEN lists the report as pending and sends one last report.',
  run: cancelWithReportToFollow,
});
