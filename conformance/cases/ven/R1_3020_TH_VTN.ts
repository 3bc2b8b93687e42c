import { venCase } from './scenarios/common.js';
import { periodicStatus } from './scenarios/reports.js';

export default venCase({
  id: 'R1_3020_TH_VTN', delivery: 'pull',
  title: 'VEN Reporting - Periodic Report',
  requirement: 'A periodic TELEMETRY_STATUS request (granularity the VEN\'s minimum sampling period) gets reports at that pace.',
  run: periodicStatus,
});
