import { venCase } from './scenarios/common.js';
import { telemetryPeriodic } from './scenarios/reports.js';

export default venCase({
  id: 'R1_3160_TH_VTN', delivery: 'pull',
  title: 'VEN Reporting - Telemetry Usage, Periodic',
  requirement: 'A periodic TELEMETRY_USAGE request gets reports at its pace.',
  run: telemetryPeriodic,
});
