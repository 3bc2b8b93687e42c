import { vtnCase } from './scenarios/common.js';
import { periodicStatus } from './scenarios/reports.js';

export default vtnCase({
  id: 'R0_8020_TH_VEN', delivery: 'push', needs: ['requestReports'],
  title: 'VEN Reporting - Periodic Report',
  requirement: 'A periodic TELEMETRY_STATUS request (1 min over 5 min) carries its granularity, reportBackDuration and reportInterval; two reports are accepted.',
  run: periodicStatus,
});
