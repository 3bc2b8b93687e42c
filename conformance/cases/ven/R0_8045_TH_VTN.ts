import { venCase } from './scenarios/common.js';
import { cancelWithReportToFollow } from './scenarios/reports.js';

export default venCase({
  id: 'R0_8045_TH_VTN', delivery: 'push',
  title: 'VEN Reporting - Cancel Open Ended Report, reportToFollow',
  requirement: 'Cancelled with reportToFollow, the VEN lists the report as pending and sends one last report.',
  run: cancelWithReportToFollow,
});
