import { vtnCase } from './scenarios/common.js';
import { shortDuration } from './scenarios/reports.js';

export default vtnCase({
  id: 'R0_8027_TH_VEN', delivery: 'push', needs: ['requestReports'],
  title: 'VEN Reporting - Short Duration',
  requirement: 'A request with a zero-length reportInterval reaches the VEN and its report is accepted.',
  run: shortDuration,
});
